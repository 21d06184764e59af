"""Real services for tests: PostgreSQL and Redis on loopback, skipped locally when missing.

With CLINIC_REQUIRE_SERVICES=1 (or CI=true) a missing service fails the test instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ADMIN_URL = os.environ.get(
    "CLINIC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("CLINIC_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def services_required() -> bool:
    flag = os.environ.get("CLINIC_REQUIRE_SERVICES", "") or os.environ.get("CI", "")
    return flag.lower() in {"1", "true", "yes"}


def unavailable(service: str, error: Exception) -> None:
    message = f"{service} is not reachable: {error!r}"
    if services_required():
        pytest.fail(message + " (services are required: CLINIC_REQUIRE_SERVICES/CI)")
    pytest.skip(message)


def _admin_connect():
    import psycopg

    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)


def postgres_available() -> Exception | None:
    try:
        with _admin_connect():
            return None
    except Exception as error:  # noqa: BLE001
        return error


def create_postgres_database(prefix: str = "clinic_test", template: str | None = None) -> str:
    """Creates a fresh database and returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with _admin_connect() as connection:
        clause = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{clause}')
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with _admin_connect() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def postgres_database(template: str | None = None) -> Iterator[str]:
    url = create_postgres_database(template=template)
    try:
        yield url
    finally:
        drop_postgres_database(url)


def redis_available(url: str = REDIS_URL) -> Exception | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001
        return error
    return None
