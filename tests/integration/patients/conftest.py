"""The real HTTP app on each backend, with projections following events as `clinic serve` runs.

`client` serves a fresh database per test (for tests that write and count); `shared_client`
serves one database per test class and backend (for classes that register their patients once
and then only read).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from clinic.infrastructure.migrate import upgrade
from clinic.infrastructure.settings import Settings
from tests.integration.patients.serving import Served, serving
from tests.services import postgres_database


@pytest.fixture
def served(settings: Settings, backend: str) -> Iterator[Served]:
    with serving(settings, backend) as served:
        yield served


@pytest.fixture
def client(served: Served) -> TestClient:
    return served.client


@pytest.fixture(scope="class", params=["sqlite", "postgres"])
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    backend = str(request.param)
    with _migrated_database(backend, request, tmp_path_factory) as url:
        settings = Settings(
            database_url=url,
            embedded_worker=False,
            projection_poll_interval=0.02,
            postgres_pool_size=2,
        )
        with serving(settings, backend) as served:
            yield served


@pytest.fixture(scope="class")
def shared_client(shared: Served) -> TestClient:
    return shared.client


@contextmanager
def _migrated_database(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'clinic.db'}"
        upgrade(Settings(database_url=url))
        yield url
        return
    template = request.getfixturevalue("postgres_template")
    with postgres_database(template=template) as url:
        yield url
