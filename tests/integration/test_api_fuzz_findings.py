"""Bugs that running schemathesis against the API turned up, each kept as its minimal case."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic.application.patients.service import PatientsService
from clinic.infrastructure.db import ReadModelDatabase
from clinic.infrastructure.projections.host import ProjectionHost
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.asgi import create_app
from clinic.presentation.bootstrap.containers import (
    ApplicationContainer,
    build_container,
    close_container,
)

PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def client(container: ApplicationContainer) -> Iterator[TestClient]:
    with TestClient(create_app(container, with_ui=False), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"surname": "\xd0", "given_name": "x"}', id="not-utf8"),
        pytest.param(b"[" * 100_000, id="nested-too-deep"),
    ],
)
def test_a_body_that_cannot_be_decoded_is_a_422_problem_naming_the_body(
    client: TestClient, body: bytes
) -> None:
    response = client.post(
        "/api/v1/patients", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert [e["field"] for e in response.json()["errors"]] == ["body"]


def test_a_method_the_path_does_not_allow_is_a_405_naming_the_allowed_methods(
    client: TestClient,
) -> None:
    response = client.request("TRACE", "/api/v1/patients")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "allow" in response.headers


CONTAINERS = 40  # about one container in three closes in a wrong order


@pytest.mark.parametrize("backend", ["sqlite"])  # the order does not depend on the backend
def test_closing_a_container_stops_the_projections_before_what_they_use(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[str] = []
    _record(monkeypatch, ProjectionHost, "stop", closed)
    _record(monkeypatch, ReadModelDatabase, "dispose", closed)
    _record(monkeypatch, PatientsService, "close", closed)
    orders = set()
    for _ in range(CONTAINERS):
        container = build_container(settings)
        container.projections()  # with the event store and the database it uses
        closed.clear()
        close_container(container)
        orders.add(tuple(closed))
    assert {order[0] for order in orders} == {"ProjectionHost.stop"}, orders


def _record(monkeypatch: pytest.MonkeyPatch, cls: type, name: str, calls: list[str]) -> None:
    original: Callable[..., Any] = getattr(cls, name)

    def recorded(self: object, *args: Any, **kwargs: Any) -> Any:
        calls.append(f"{cls.__name__}.{name}")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, recorded)
