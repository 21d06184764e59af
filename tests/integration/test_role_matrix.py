"""Every API operation, called as every role and as nobody: allowed roles get past the door,
the others get 403, nobody gets 401 — except the few public operations.

The matrix is written out by hand: a new endpoint fails `test_the_matrix_lists_every_operation`
until someone decides who may call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from clinic.infrastructure.settings import Settings
from clinic.presentation.api.app import create_api
from tests.integration.auth import bearer_headers
from tests.integration.patients.serving import Served, serving

ADMIN, MARKETER, ANALYST, CALL_CENTRE = "admin", "marketer", "analyst", "call_centre"
EXPORTING_MARKETER = "marketer+patients:export"
CALLERS = (ADMIN, MARKETER, EXPORTING_MARKETER, ANALYST, CALL_CENTRE)
EVERYONE = frozenset(CALLERS)
PUBLIC = "public"  # no sign-in: the credentials are in the request itself
WRITERS = frozenset({ADMIN, CALL_CENTRE})

MATRIX: dict[str, frozenset[str] | str] = {
    "POST /api/v1/auth/token": PUBLIC,
    "GET /api/v1/auth/me": EVERYONE,
    "POST /api/v1/patients": WRITERS,
    "GET /api/v1/patients": frozenset({ADMIN, MARKETER, EXPORTING_MARKETER, CALL_CENTRE}),
    "GET /api/v1/patients/count": frozenset({ADMIN, MARKETER, EXPORTING_MARKETER, CALL_CENTRE}),
    "GET /api/v1/patients/by-source/{source}/{external_id}": frozenset(
        {ADMIN, MARKETER, EXPORTING_MARKETER, CALL_CENTRE}
    ),
    "GET /api/v1/patients/{patient_id}": frozenset(
        {ADMIN, MARKETER, EXPORTING_MARKETER, CALL_CENTRE}
    ),
    "GET /api/v1/patients/{patient_id}/profile": frozenset(
        {ADMIN, MARKETER, EXPORTING_MARKETER, CALL_CENTRE}
    ),
    "DELETE /api/v1/patients/{patient_id}": frozenset({ADMIN}),
    # Changing profiles (one or many, archive and restore too) is registration's permission:
    # the call centre keeps profiles current; bulk changes are all-or-nothing and audited.
    "PATCH /api/v1/patients/{patient_id}": WRITERS,
    "POST /api/v1/patients/{patient_id}/contact-points": WRITERS,
    "POST /api/v1/patients/{patient_id}/contact-points/remove": WRITERS,
    "PUT /api/v1/patients/{patient_id}/consents/{channel}/{purpose}": WRITERS,
    "POST /api/v1/patients/{patient_id}/tags": WRITERS,
    "POST /api/v1/patients/{patient_id}/tags/remove": WRITERS,
    "PUT /api/v1/patients/{patient_id}/representative": WRITERS,
    "DELETE /api/v1/patients/{patient_id}/representative": WRITERS,
    "POST /api/v1/patients/{patient_id}/source-records": WRITERS,
    "POST /api/v1/patients/{patient_id}/archive": WRITERS,
    "POST /api/v1/patients/{patient_id}/restore": WRITERS,
    "POST /api/v1/patients/bulk/archive": WRITERS,
    "POST /api/v1/patients/bulk/restore": WRITERS,
    "POST /api/v1/patients/bulk/tag": WRITERS,
    "POST /api/v1/patients/bulk/untag": WRITERS,
    "POST /api/v1/patients/bulk/consents": WRITERS,
    "GET /api/v1/patients/import/template": frozenset({ADMIN, CALL_CENTRE}),
    # Imports, merges and match suggestions change many profiles at once: administrators only.
    "POST /api/v1/patients/imports": frozenset({ADMIN}),
    "GET /api/v1/patients/imports": frozenset({ADMIN}),
    "GET /api/v1/patients/imports/{import_id}": frozenset({ADMIN}),
    "POST /api/v1/patients/imports/{import_id}/confirm": frozenset({ADMIN}),
    "GET /api/v1/patients/imports/{import_id}/rejected.csv": frozenset({ADMIN}),
    "POST /api/v1/patients/merges": frozenset({ADMIN}),
    "POST /api/v1/patients/{patient_id}/unmerge": frozenset({ADMIN}),
    "GET /api/v1/patients/match-suggestions": frozenset({ADMIN}),
    "POST /api/v1/patients/match-suggestions/{suggestion_id}/accept": frozenset({ADMIN}),
    "POST /api/v1/patients/match-suggestions/{suggestion_id}/reject": frozenset({ADMIN}),
    "GET /api/v1/patients/export.csv": frozenset({ADMIN, EXPORTING_MARKETER}),
    "GET /api/v1/analytics/patients": frozenset({ADMIN, MARKETER, EXPORTING_MARKETER, ANALYST}),
    "GET /api/v1/analytics/patients/age-bands": frozenset(
        {ADMIN, MARKETER, EXPORTING_MARKETER, ANALYST}
    ),
    "GET /api/v1/analytics/patients/export.csv": frozenset({ADMIN, ANALYST}),
    "GET /api/v1/audit": frozenset({ADMIN}),
    "POST /api/v1/webhooks/{provider}/test": PUBLIC,
}
PATH_VALUES = {
    "patient_id": lambda: str(uuid4()),
    "import_id": lambda: str(uuid4()),
    "suggestion_id": lambda: str(uuid4()),
    "provider": lambda: "sandbox",
    "channel": lambda: "sms",
    "purpose": lambda: "marketing",
    "source": lambda: "mis",
    "external_id": lambda: "A-17",
}


def api_operations() -> set[str]:
    spec = create_api().openapi()
    return {
        f"{method.upper()} {path}"
        for path, operations in spec["paths"].items()
        if path.startswith("/api/v1/")
        for method in operations
    }


def test_the_matrix_lists_every_operation() -> None:
    assert set(MATRIX) == api_operations()


@pytest.fixture
def served(settings: Settings, backend: str) -> Iterator[Served]:
    with serving(settings, backend) as served:
        yield served


def _headers(served: Served) -> dict[str, dict[str, str]]:
    headers = {role: bearer_headers(served.container, role) for role in CALLERS if "+" not in role}
    headers[EXPORTING_MARKETER] = bearer_headers(served.container, MARKETER, ("patients:export",))
    return headers


def _call(client: TestClient, operation: str, headers: dict[str, str]) -> int:
    method, template = operation.split(" ", 1)
    path = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)](), template)
    kwargs: dict[str, Any] = {"headers": headers}
    if method == "POST":
        kwargs["json"] = {}
    return client.request(method, path, **kwargs).status_code


def test_each_role_gets_exactly_its_operations(served: Served) -> None:
    client = TestClient(served.client.app)  # no default credentials
    headers = _headers(served)
    wrong: list[str] = []
    for operation, allowed in MATRIX.items():
        anonymous = _call(client, operation, {})
        if allowed != PUBLIC and anonymous != 401:
            wrong.append(f"{operation} as nobody: {anonymous}, expected 401")
        if allowed == PUBLIC:
            if anonymous in (403, 500):
                wrong.append(f"{operation} is public but answered {anonymous}")
            continue
        for role in CALLERS:
            status = _call(client, operation, headers[role])
            if role in allowed and status in (401, 403):
                wrong.append(f"{operation} as {role}: {status}, expected to be let in")
            if role not in allowed and status != 403:
                wrong.append(f"{operation} as {role}: {status}, expected 403")
    assert wrong == []
