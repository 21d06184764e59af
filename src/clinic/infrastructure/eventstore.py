"""Builds each context's eventsourcing Application on the configured event store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from clinic.application.shared.eventsourced import ContextApplication
from clinic.infrastructure.settings import Settings

AppT = TypeVar("AppT", bound=ContextApplication)


class ColumnarPostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, inserting a batch of events as four arrays (ids,
    versions, topics, states) instead of one array of its composite type. psycopg dumps a
    composite row by row in Python, as text, escaping every byte of the (sealed) state; the four
    arrays go in binary: half the client's CPU per event, which is what an import spends most
    on after identity resolution. Everything else (table lock, NOTIFY, notification ids in
    commit order, RETURNING) is the library's, but for its pipeline (see `insert_events`).
    `settings.event_store_env` selects it."""

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%s::{id_type}[], %s::bigint[], %s::text[], %s::bytea[]) "
            "RETURNING notification_id"
        ).format(
            schema=Identifier(datastore.schema),
            table=Identifier(self.events_table_name),
            id_type=Identifier(datastore.originator_id_type),
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's transaction, without psycopg's pipeline mode: a batch of more than
        ~10 MB (ten thousand archive events with long comments) hangs there for good, the
        client waiting for results while the server still waits for the rest of the query."""
        if self.datastore.enable_db_functions or not stored_events:
            ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return ids
        with (
            self.datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor() as curs,
        ):
            self._insert_events(curs, stored_events, **kwargs)
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self.insert_events_statement,
            (
                [event.originator_id for event in stored_events],
                [event.originator_version for event in stored_events],
                [event.topic for event in stored_events],
                [event.state for event in stored_events],
            ),
        )


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
