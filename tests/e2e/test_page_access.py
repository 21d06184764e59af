"""Every screen, opened by every role and by nobody, on the real server: the UI half of the
role matrix (the API half is tests/integration/test_role_matrix.py)."""

from __future__ import annotations

import re
from uuid import uuid4

import httpx
import pytest

from tests.e2e.clinic_api import ClinicApi
from tests.e2e.serving import RunningServer

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PROFILE = "/patients/{id}"
"""A profile that exists: the id of a patient registered for these tests."""
UNKNOWN = f"/patients/{uuid4()}"
IMPORT, MATCHES = "/patients/import", "/patients/matches"
SCREENS = ("/", PROFILE, UNKNOWN, IMPORT, MATCHES, "/analytics/patients", "/audit")
OK, FORBIDDEN, NOT_FOUND = 200, 403, 404
TO_ANALYTICS = "→/analytics/patients"
EXPECTED = {
    "admin": {
        "/": OK,
        PROFILE: OK,
        UNKNOWN: NOT_FOUND,
        IMPORT: OK,
        MATCHES: OK,
        "/analytics/patients": OK,
        "/audit": OK,
    },
    "marketer": {
        "/": OK,
        PROFILE: OK,
        UNKNOWN: NOT_FOUND,
        IMPORT: FORBIDDEN,
        MATCHES: FORBIDDEN,
        "/analytics/patients": OK,
        "/audit": FORBIDDEN,
    },
    "analyst": {
        "/": TO_ANALYTICS,
        PROFILE: FORBIDDEN,
        UNKNOWN: FORBIDDEN,
        IMPORT: FORBIDDEN,
        MATCHES: FORBIDDEN,
        "/analytics/patients": OK,
        "/audit": FORBIDDEN,
    },
    "call_centre": {
        "/": OK,
        PROFILE: OK,
        UNKNOWN: NOT_FOUND,
        IMPORT: FORBIDDEN,
        MATCHES: FORBIDDEN,
        "/analytics/patients": FORBIDDEN,
        "/audit": FORBIDDEN,
    },
}


@pytest.fixture(scope="module")
def paths(server: RunningServer) -> dict[str, str]:
    """Each screen's path to open."""
    with ClinicApi(server) as api:
        patient_id = api.register(surname="Доступова", given_name="Вера")
    return {screen: screen.format(id=patient_id) for screen in SCREENS}


def signed_in(server: RunningServer, role: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    username, password = server.demo_user(role)
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 303, answer.text
    return client


def outcome(response: httpx.Response) -> int | str:
    if response.status_code == 303:
        return "→" + response.headers["location"]
    return response.status_code


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_opens_exactly_its_screens(
    server: RunningServer, paths: dict[str, str], role: str
) -> None:
    client = signed_in(server, role)
    try:
        seen = {screen: outcome(client.get(path)) for screen, path in paths.items()}
    finally:
        client.close()
    assert seen == EXPECTED[role]


def test_the_analyst_is_not_shown_the_patients_name(
    server: RunningServer, paths: dict[str, str]
) -> None:
    client = signed_in(server, "analyst")
    try:
        answer = client.get(paths[PROFILE])
    finally:
        client.close()
    assert answer.status_code == FORBIDDEN
    assert "Доступова" not in answer.text


def test_nobody_is_sent_to_sign_in_from_every_screen(
    server: RunningServer, paths: dict[str, str]
) -> None:
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=30) as client:
        seen = {screen: outcome(client.get(path)) for screen, path in paths.items()}
    assert all(str(s).startswith("→/login?next=") for s in seen.values()), seen
