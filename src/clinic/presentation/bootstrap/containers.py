"""The composition root: one container per context, composed into the application container."""

from __future__ import annotations

from dependency_injector import containers, providers

from clinic.application.identity.service import IdentityService
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.queries import PatientQueries
from clinic.application.patients.service import PatientsService
from clinic.infrastructure.celery_app import create_celery
from clinic.infrastructure.clock import SystemClock
from clinic.infrastructure.cursors import SealedCursors, cursor_key
from clinic.infrastructure.db import database_resource
from clinic.infrastructure.eventstore import application_resource, postgres_conninfo
from clinic.infrastructure.health import HealthChecks
from clinic.infrastructure.identity.argon2_hasher import Argon2PasswordHasher
from clinic.infrastructure.patients.sql_views import SqlPatientListView, SqlPatientListWriter
from clinic.infrastructure.personal_data_vault import SqlPersonalDataVault, master_key
from clinic.infrastructure.projections.board import PositionBoard
from clinic.infrastructure.projections.host import ProjectionBinding, projection_host_resource
from clinic.infrastructure.projections.waiter import SqlProjectionWaiter
from clinic.infrastructure.rate_limits import SqlRateLimiter
from clinic.infrastructure.settings import Settings, signing_secret
from clinic.presentation.authentication import Authenticator


class CoreContainer(containers.DeclarativeContainer):
    """What every context shares: settings, clock, read-model database, projection positions."""

    settings = providers.Singleton(Settings)
    clock = providers.Singleton(SystemClock)
    database = providers.Resource(database_resource, settings)
    board = providers.Singleton(PositionBoard)
    waiter = providers.Singleton(SqlProjectionWaiter, board, database.provided.read_engine)
    cursors = providers.Singleton(SealedCursors, providers.Callable(cursor_key, settings))
    vault = providers.Singleton(
        SqlPersonalDataVault,
        database.provided.write_engine,
        providers.Callable(master_key, settings),
        cache_seconds=settings.provided.key_cache_seconds,
    )


class PatientsContainer(containers.DeclarativeContainer):
    core = providers.DependenciesContainer()

    service = providers.Resource(
        application_resource, PatientsService, core.settings, clock=core.clock, vault=core.vault
    )
    view = providers.Singleton(SqlPatientListView, core.database.provided.read_engine, core.cursors)
    queries = providers.Singleton(PatientQueries, view, core.waiter)
    projections = providers.List(
        providers.Singleton(ProjectionBinding, PatientListProjection(), SqlPatientListWriter),
    )


class IdentityContainer(containers.DeclarativeContainer):
    core = providers.DependenciesContainer()

    hasher = providers.Singleton(Argon2PasswordHasher)
    attempts = providers.Singleton(SqlRateLimiter, core.database.provided.write_engine, core.clock)
    service = providers.Resource(
        application_resource,
        IdentityService,
        core.settings,
        clock=core.clock,
        hasher=hasher,
        attempts=attempts,
    )
    authenticator = providers.Singleton(
        Authenticator, service, providers.Callable(signing_secret, core.settings), core.clock
    )


class ApplicationContainer(containers.DeclarativeContainer):
    core = providers.Container(CoreContainer)
    patients = providers.Container(PatientsContainer, core=core)
    identity = providers.Container(IdentityContainer, core=core)

    applications = providers.Dict(patients=patients.service)
    projections = providers.Resource(
        projection_host_resource,
        bindings=patients.projections,
        applications=applications,
        engine=core.database.provided.write_engine,
        board=core.board,
        batch_size=core.settings.provided.projection_batch_size,
        poll_interval=core.settings.provided.projection_poll_interval,
        postgres_conninfo=providers.Callable(postgres_conninfo, core.settings),
    )
    celery = providers.Singleton(create_celery, core.settings)
    health_checks = providers.Singleton(
        HealthChecks, core.database.provided.read_engine, applications, celery
    )


WIRED_MODULES = [
    "clinic.presentation.api.security",
    "clinic.presentation.api.auth.router",
    "clinic.presentation.api.patients.router",
    "clinic.presentation.api.health",
    "clinic.presentation.web.patients.pages",
    "clinic.presentation.worker.projections.tasks",
]


def build_container(settings: Settings | None = None) -> ApplicationContainer:
    """A container for `settings` (default: the environment), wired to routers, pages, tasks."""
    container = ApplicationContainer()
    if settings is not None:
        container.core.settings.override(providers.Object(settings))
    container.wire(modules=WIRED_MODULES)
    return container


def close_container(container: ApplicationContainer) -> None:
    """Stops projections and closes event stores and connection pools."""
    # Projections first: the container cannot see that they use the event stores and the
    # database (reached through a Dict and `.provided`), and would otherwise close those under
    # a running projection thread.
    container.projections.shutdown()
    container.shutdown_resources()
    container.unwire()
