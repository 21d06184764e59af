"""SQLAlchemy engines of the read models: one for projections (writes), one for queries."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import sql
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, insert
from sqlalchemy.dialects import sqlite

from clinic.infrastructure.settings import Settings


@dataclass(frozen=True)
class ReadModelDatabase:
    """On SQLite writers take the write lock up front (BEGIN IMMEDIATE) so they queue instead
    of failing, while readers use WAL snapshots and never wait for writers."""

    write_engine: Engine
    read_engine: Engine

    def dispose(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()


def create_database(settings: Settings) -> ReadModelDatabase:
    settings.ensure_directories()
    if not settings.is_sqlite:
        engine = create_engine(
            settings.sqlalchemy_url, pool_size=5, max_overflow=5, pool_pre_ping=True
        )
        return ReadModelDatabase(engine, engine)
    return ReadModelDatabase(
        _sqlite_engine(settings.sqlalchemy_url, immediate=True),
        _sqlite_engine(settings.sqlalchemy_url, immediate=False),
    )


def database_resource(settings: Settings) -> Iterator[ReadModelDatabase]:
    """The read-model database for the container's lifetime; pools disposed on shutdown."""
    database = create_database(settings)
    try:
        yield database
    finally:
        database.dispose()


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts many rows in the connection's transaction: COPY on PostgreSQL, else executemany."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    driver_connection = connection.connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row([row[column] for column in columns])


def insert_missing(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts the `rows` whose primary key the table does not hold yet, in one statement."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(sqlite.insert(table).on_conflict_do_nothing(), list(rows))
        return
    columns = list(rows[0])
    statement = sql.SQL("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING").format(
        sql.Identifier(table.name),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
    )
    driver_connection = connection.connection.driver_connection
    with driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        # psycopg pipelines executemany: one round trip for all the rows
        cursor.executemany(statement, [[row[column] for column in columns] for row in rows])


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA secure_delete=ON")  # erased personal data leaves no free pages
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)
