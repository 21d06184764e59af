"""Throwaway databases for one benchmark run: a SQLite directory, a PostgreSQL database.

Both are migrated like a real installation and removed afterwards, whatever happens.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path

import psycopg

from clinic.infrastructure.migrate import upgrade
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import (
    ApplicationContainer,
    build_container,
    close_container,
)

SQLITE, POSTGRES = "sqlite", "postgres"
BACKENDS = (SQLITE, POSTGRES)
POSTGRES_ADMIN_URL = os.environ.get(
    "CLINIC_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def bench_settings(database_url: str) -> Settings:
    """What `clinic serve` would use, minus the embedded worker and projections."""
    return Settings(database_url=database_url, embedded_projections=False, embedded_worker=False)


def postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip()


def installation(backend: str) -> AbstractContextManager[Settings]:
    """A migrated, empty installation on `backend`, deleted on exit."""
    return _sqlite_installation() if backend == SQLITE else _postgres_installation()


@contextmanager
def running(settings: Settings) -> Iterator[ApplicationContainer]:
    """The real composition root on `settings`; projections are driven by the benchmark."""
    container = build_container(settings)
    try:
        yield container
    finally:
        close_container(container)


def events_file(settings: Settings, application: str) -> Path:
    """The SQLite file holding one application's events (the library's `stored_events`)."""
    return settings.sibling_file(f"{application}.events")


def refresh_statistics(settings: Settings, application: str) -> None:
    """ANALYZE an application's events table, as autovacuum would after a bulk load."""
    if settings.is_sqlite:
        with closing(sqlite3.connect(events_file(settings, application))) as connection:
            connection.execute("ANALYZE")
        return
    with psycopg.connect(settings.database_url, autocommit=True) as connection:
        connection.execute(f'ANALYZE "{application}_events"')


def reclaim_space(settings: Settings, table: str) -> None:
    """VACUUM a read-model table emptied by DELETE, so the next load starts as on a fresh one."""
    if settings.is_sqlite:
        with closing(sqlite3.connect(settings.sqlite_path, isolation_level=None)) as connection:
            connection.execute("VACUUM")
        return
    with psycopg.connect(settings.database_url, autocommit=True) as connection:
        connection.execute(f'VACUUM "{table}"')


@contextmanager
def _sqlite_installation() -> Iterator[Settings]:
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as directory:
        settings = bench_settings(f"sqlite:///{Path(directory) / 'clinic.db'}")
        upgrade(settings)
        yield settings


@contextmanager
def _postgres_installation() -> Iterator[Settings]:
    name = f"clinic_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        settings = bench_settings(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name)
        upgrade(settings)
        yield settings
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
