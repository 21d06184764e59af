"""Property-based API tests: schemathesis generates requests from the app's OpenAPI document.

Positive mode sends requests the document allows, negative mode requests it forbids; either way
each answer must be no server error (5xx) and must have a status code, content type and body
that the document declares for the operation. The requests go in-process to the app of
`clinic serve` (projections embedded, no UI) on each backend, so a registration is read back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

# Imported lazily by schemathesis deep inside hypothesis' recursion otherwise, where compiling
# it can fail with "AST constructor recursion depth mismatch" (a CPython 3.11 quirk).
import schemathesis.generation.body_overrides
from hypothesis import HealthCheck, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.types import ASGIApp, Receive, Scope, Send

from clinic.infrastructure.settings import Settings
from clinic.presentation.api.app import create_api
from tests.integration.patients.serving import Served, serving

OPENAPI_PATH = "/openapi.json"
MAX_EXAMPLES = 10  # per operation, mode and backend (40 requests an operation) in the fuzzing phase
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Invalid input must also be refused (a 4xx), not accepted.
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]
FUZZ_SETTINGS = settings(
    deadline=None,
    # Invalid values for a path parameter that still make a path are rare among those drawn
    # (by-source/{source}/{external_id}): filtering many is slow generation, not a finding.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


def _schema(mode: GenerationMode) -> schemathesis.BaseSchema:
    """The document the API serves, read from the app over ASGI; one generation mode.

    Collection needs the operations before any database exists, so the document comes from the
    API app alone; `test_the_fuzzed_document_is_the_one_the_served_app_publishes` keeps it equal
    to what the served app publishes.
    """
    schema = schemathesis.openapi.from_asgi(
        OPENAPI_PATH, create_api(), config=schemathesis.Config()
    )
    schema.config.generation.update(modes=[mode], max_examples=MAX_EXAMPLES)
    return schema


positive = _schema(GenerationMode.POSITIVE)
# Operations that take no input at all: there is nothing to negate, schemathesis would only skip.
NO_INPUT = ["/healthz", "/api/v1/auth/me", "/api/v1/patients/export.csv"]
negative = _schema(GenerationMode.NEGATIVE).exclude(path=NO_INPUT)


@pytest.fixture
def served(settings: Settings, backend: str) -> Iterator[Served]:
    with serving(settings, backend) as served:
        yield served


@pytest.fixture
def app(served: Served) -> ASGIApp:
    """The served app, for schemathesis to call; its lifespan is the TestClient's to run."""
    return _lifespan_run_elsewhere(served.client.app)


def _lifespan_run_elsewhere(app: ASGIApp) -> ASGIApp:
    async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while (await receive())["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})

    return asgi


@pytest.fixture
def admin(served: Served) -> dict[str, str]:
    """The administrator's bearer token: every endpoint is reached, not just its 401."""
    return {"Authorization": served.client.headers["Authorization"]}


@positive.parametrize()
@FUZZ_SETTINGS
def test_valid_requests_get_documented_answers(
    case: Case, app: ASGIApp, admin: dict[str, str]
) -> None:
    case.call_and_validate(app=app, checks=CHECKS, headers=admin)


@negative.parametrize()
@FUZZ_SETTINGS
def test_invalid_requests_get_documented_answers(
    case: Case, app: ASGIApp, admin: dict[str, str]
) -> None:
    case.call_and_validate(app=app, checks=NEGATIVE_CHECKS, headers=admin)


def test_the_fuzzed_document_is_the_one_the_served_app_publishes(served: Served) -> None:
    response = served.client.get(OPENAPI_PATH)
    assert response.status_code == 200
    assert response.json() == positive.raw_schema == negative.raw_schema
