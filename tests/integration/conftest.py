"""Integration fixtures: the same behaviour tests on SQLite and on a real PostgreSQL.

PostgreSQL tests get a database of their own, cloned from a template that is migrated once per
xdist worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clinic.infrastructure.migrate import upgrade
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import (
    ApplicationContainer,
    build_container,
    close_container,
)
from tests.integration.auth import bearer_headers
from tests.services import (
    create_postgres_database,
    drop_postgres_database,
    postgres_available,
    postgres_database,
    unavailable,
)

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database to clone per test (name, not URL)."""
    error = postgres_available()
    if error is not None:
        unavailable("PostgreSQL", error)
    url = create_postgres_database(prefix="clinic_template")
    upgrade(_settings_for(url))
    yield url.rsplit("/", 1)[1]
    drop_postgres_database(url)


def _settings_for(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": url,
        "embedded_projections": False,
        "embedded_worker": False,
        "projection_poll_interval": 0.02,
        "postgres_pool_size": 2,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated, empty read-model database (and event stores) on `backend`."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'clinic.db'}"
        upgrade(_settings_for(url))
        yield url
        return
    template = request.getfixturevalue("postgres_template")
    with postgres_database(template=template) as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return _settings_for(database_url)


@pytest.fixture
def container(settings: Settings) -> Iterator[ApplicationContainer]:
    """The real composition root on `settings`; projections are driven by the test."""
    container = build_container(settings)
    yield container
    close_container(container)


@pytest.fixture
def headers_for(container: ApplicationContainer) -> Callable[..., dict[str, str]]:
    """`headers_for("analyst")`: Authorization headers of a new user with that role (and any
    `granted` permissions), for calling the API as them."""

    def headers(role: str, granted: tuple[str, ...] = ()) -> dict[str, str]:
        return bearer_headers(container, role, granted)

    return headers
