"""Builds each context's eventsourcing Application on the configured event store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from clinic.application.shared.eventsourced import ContextApplication
from clinic.infrastructure.settings import Settings

AppT = TypeVar("AppT", bound=ContextApplication)


def create_application(cls: type[AppT], settings: Settings, **kwargs: Any) -> AppT:
    """SQLite: one file per application beside the database; PostgreSQL: `<name>_events` tables."""
    settings.ensure_directories()
    return cls(env=settings.event_store_env(cls.name), **kwargs)


def application_resource(cls: type[AppT], settings: Settings, **kwargs: Any) -> Iterator[AppT]:
    """The application for the container's lifetime; closed (pools, files) on shutdown."""
    application = create_application(cls, settings, **kwargs)
    try:
        yield application
    finally:
        application.close()


def postgres_conninfo(settings: Settings) -> str | None:
    """A libpq connection string for LISTEN, or None on SQLite."""
    if settings.is_sqlite:
        return None
    return settings.database_url.replace("postgres://", "postgresql://", 1)
