"""The composition root: one container per context, composed into the application container."""

from __future__ import annotations

from dependency_injector import containers, providers

from clinic.application.analytics.queries import PseudonymisedPatientQueries
from clinic.application.audit.projections import AuditTrailProjection
from clinic.application.audit.queries import AuditQueries
from clinic.application.audit.service import AuditLog
from clinic.application.identity.service import IdentityService
from clinic.application.patients.import_records import ImportListProjection
from clinic.application.patients.importer import PatientImporter
from clinic.application.patients.imports import PatientImports
from clinic.application.patients.merges import PatientMerges
from clinic.application.patients.profile import PatientProfileQueries
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.queries import PatientQueries
from clinic.application.patients.service import PatientsService
from clinic.application.patients.suggestions import MatchSuggestionProjection, SuggestionQueries
from clinic.application.shared.links import LINK_LIMITS, LinkPages, Links
from clinic.application.shared.throttle import Throttle
from clinic.application.shared.webhooks import WEBHOOK_LIMITS
from clinic.infrastructure.analytics.sql_views import SqlPatientFactsView
from clinic.infrastructure.audit.sql_views import SqlAuditTrailView, SqlAuditTrailWriter
from clinic.infrastructure.celery_app import create_celery
from clinic.infrastructure.clock import SystemClock
from clinic.infrastructure.cursors import SealedCursors, cursor_key
from clinic.infrastructure.db import database_resource
from clinic.infrastructure.eventstore import application_resource, postgres_conninfo
from clinic.infrastructure.health import HealthChecks
from clinic.infrastructure.identity.argon2_hasher import Argon2PasswordHasher
from clinic.infrastructure.patients.import_files import SpreadsheetImportFiles
from clinic.infrastructure.patients.import_records import (
    SqlImportListView,
    SqlImportListWriter,
    SqlImportProblems,
)
from clinic.infrastructure.patients.import_store import CeleryImportJobs, DirectoryImportStore
from clinic.infrastructure.patients.sql_matching import SqlKnownPatients, SqlMatchCandidates
from clinic.infrastructure.patients.sql_views import SqlPatientListView, SqlPatientListWriter
from clinic.infrastructure.patients.suggestions import SqlSuggestionView, SqlSuggestionWriter
from clinic.infrastructure.personal_data_vault import SqlPersonalDataVault, master_key
from clinic.infrastructure.projections.board import PositionBoard
from clinic.infrastructure.projections.host import ProjectionBinding, projection_host_resource
from clinic.infrastructure.projections.waiter import SqlProjectionWaiter
from clinic.infrastructure.pseudonyms import HmacPseudonymiser, pseudonym_key
from clinic.infrastructure.rate_limits import SqlRateLimiter
from clinic.infrastructure.settings import Settings, signing_secret
from clinic.infrastructure.signed_links import SignedLinkTokens
from clinic.infrastructure.webhooks import webhook_keyring
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
    rate_limiter = providers.Singleton(SqlRateLimiter, database.provided.write_engine, clock)
    links = providers.Singleton(
        Links,
        providers.Singleton(SignedLinkTokens, providers.Callable(signing_secret, settings)),
        clock,
    )
    link_throttle = providers.Singleton(Throttle, rate_limiter, "links", LINK_LIMITS)
    webhooks = providers.Singleton(webhook_keyring, settings)
    webhook_throttle = providers.Singleton(Throttle, rate_limiter, "webhooks", WEBHOOK_LIMITS)
    celery = providers.Singleton(create_celery, settings)


class PatientsContainer(containers.DeclarativeContainer):
    core = providers.DependenciesContainer()
    audit = providers.DependenciesContainer()

    service = providers.Resource(
        application_resource,
        PatientsService,
        core.settings,
        clock=core.clock,
        vault=core.vault,
        audit=audit.service,
    )
    view = providers.Singleton(SqlPatientListView, core.database.provided.read_engine, core.cursors)
    queries = providers.Singleton(
        PatientQueries, view, core.waiter, audit.service, clock=core.clock
    )
    profiles = providers.Singleton(PatientProfileQueries, service, view, audit.service)
    import_files = providers.Singleton(SpreadsheetImportFiles)
    merges = providers.Singleton(PatientMerges, service, audit.service)
    suggestions = providers.Singleton(
        SuggestionQueries,
        providers.Singleton(SqlSuggestionView, core.database.provided.read_engine),
        core.waiter,
    )
    importer = providers.Singleton(
        PatientImporter,
        service,
        providers.Singleton(SqlKnownPatients, core.database.provided.read_engine),
        providers.Singleton(SqlMatchCandidates, core.database.provided.read_engine),
        wait_for=queries.provided.wait_for,
    )
    imports = providers.Singleton(
        PatientImports,
        service,
        importer,
        import_files,
        providers.Singleton(DirectoryImportStore, core.settings.provided.imports_path),
        providers.Singleton(SqlImportProblems, core.database.provided.write_engine),
        providers.Singleton(SqlImportListView, core.database.provided.read_engine),
        jobs=providers.Singleton(CeleryImportJobs, core.celery),
        audit=audit.service,
        keep_files_for=core.settings.provided.import_file_retention,
    )
    projections = providers.List(
        providers.Singleton(ProjectionBinding, PatientListProjection(), SqlPatientListWriter),
        providers.Singleton(ProjectionBinding, MatchSuggestionProjection(), SqlSuggestionWriter),
        providers.Singleton(ProjectionBinding, ImportListProjection(), SqlImportListWriter),
    )


class AuditContainer(containers.DeclarativeContainer):
    core = providers.DependenciesContainer()

    service = providers.Resource(application_resource, AuditLog, core.settings, clock=core.clock)
    view = providers.Singleton(SqlAuditTrailView, core.database.provided.read_engine, core.cursors)
    queries = providers.Singleton(AuditQueries, view, core.waiter)
    projections = providers.List(
        providers.Singleton(ProjectionBinding, AuditTrailProjection(), SqlAuditTrailWriter),
    )


class AnalyticsContainer(containers.DeclarativeContainer):
    """Patients for analysts: pseudonyms and age bands, read from the patient list."""

    core = providers.DependenciesContainer()

    pseudonymiser = providers.Singleton(
        HmacPseudonymiser, providers.Callable(pseudonym_key, core.settings)
    )
    patient_facts = providers.Singleton(
        SqlPatientFactsView, core.database.provided.read_engine, core.cursors
    )
    patients = providers.Singleton(
        PseudonymisedPatientQueries, patient_facts, pseudonymiser, core.clock
    )


class IdentityContainer(containers.DeclarativeContainer):
    core = providers.DependenciesContainer()
    audit = providers.DependenciesContainer()

    hasher = providers.Singleton(Argon2PasswordHasher)
    service = providers.Resource(
        application_resource,
        IdentityService,
        core.settings,
        clock=core.clock,
        hasher=hasher,
        attempts=core.rate_limiter,
        audit=audit.service,
    )
    authenticator = providers.Singleton(
        Authenticator, service, providers.Callable(signing_secret, core.settings), core.clock
    )


def every_binding(*contexts: list[ProjectionBinding]) -> list[ProjectionBinding]:
    """The projection bindings of every context, for the one projection host."""
    return [binding for bindings in contexts for binding in bindings]


class ApplicationContainer(containers.DeclarativeContainer):
    core = providers.Container(CoreContainer)
    audit = providers.Container(AuditContainer, core=core)
    patients = providers.Container(PatientsContainer, core=core, audit=audit)
    analytics = providers.Container(AnalyticsContainer, core=core)
    identity = providers.Container(IdentityContainer, core=core, audit=audit)

    applications = providers.Dict(patients=patients.service, audit=audit.service)
    projections = providers.Resource(
        projection_host_resource,
        bindings=providers.Callable(every_binding, patients.projections, audit.projections),
        applications=applications,
        engine=core.database.provided.write_engine,
        board=core.board,
        batch_size=core.settings.provided.projection_batch_size,
        poll_interval=core.settings.provided.projection_poll_interval,
        postgres_conninfo=providers.Callable(postgres_conninfo, core.settings),
    )
    # Pages behind signed links: each context adds `{PURPOSE.name: its LinkHandler}`.
    link_handlers = providers.Dict()
    link_pages = providers.Singleton(LinkPages, core.links, link_handlers)
    celery = core.celery
    health_checks = providers.Singleton(
        HealthChecks, core.database.provided.read_engine, applications, celery
    )


WIRED_MODULES = [
    "clinic.presentation.api.security",
    "clinic.presentation.api.auth.router",
    "clinic.presentation.api.patients.router",
    "clinic.presentation.api.patients.profile",
    "clinic.presentation.api.patients.imports",
    "clinic.presentation.api.patients.merges",
    "clinic.presentation.api.analytics.router",
    "clinic.presentation.api.audit.router",
    "clinic.presentation.api.health",
    "clinic.presentation.api.public.router",
    "clinic.presentation.api.signed_webhooks",
    "clinic.presentation.worker.projections.tasks",
    "clinic.presentation.worker.patients.tasks",
]
# Wired only when the UI is mounted: importing NiceGUI would slow every CLI command and worker.
WEB_MODULES = [
    "clinic.presentation.web.patients.pages",
    "clinic.presentation.web.imports.pages",
    "clinic.presentation.web.matches.pages",
    "clinic.presentation.web.analytics.pages",
    "clinic.presentation.web.audit.pages",
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
