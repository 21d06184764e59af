"""The audit trail on every backend: recorded, projected, searched, rebuilt; through the API
(admins only) and the `clinic audit list` CLI; identity's acts show up in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import InvalidCursorError
from clinic.domain.shared.access import Role
from clinic.infrastructure.settings import Settings
from clinic.presentation.api.app import create_api
from clinic.presentation.bootstrap.containers import ApplicationContainer

AUDIT = "/api/v1/audit"
ADMIN = Actor.of("ivanova", Role.ADMIN)
ANALYST = Actor.of("petrov", Role.ANALYST)
TEST_PASSWORD = "correct horse battery staple"
CLI = [sys.executable, "-m", "clinic.presentation.cli.main"]

Headers = Callable[..., dict[str, str]]


def record_some(container: ApplicationContainer) -> None:
    audit = container.audit.service()
    audit.record(ADMIN, "user.added", "user", "petrov", {"role": "analyst"})
    audit.record(ANALYST, "patients.exported", details={"count": 120, "pseudonymised": True})
    audit.record(ANALYST, "patient.viewed", "patient", "0f0e", {"client": "10.0.0.7"})
    audit.record(ADMIN, "user.disabled", "user", "petrov")
    container.projections().catch_up()


def search(container: ApplicationContainer, **filters: Any) -> list[tuple[str, str]]:
    page = container.audit.queries().search(**filters)
    return [(r.actor, r.action) for r in page.items]


@pytest.fixture
def client(container: ApplicationContainer) -> TestClient:
    """The API on the test's container (wired to it); projections are driven by the test."""
    return TestClient(create_api(), raise_server_exceptions=False)


def clinic(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLINIC_DATABASE_URL": settings.database_url}
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


class TestRecordAndSearch:
    def test_entries_come_back_newest_first_with_every_field(
        self, container: ApplicationContainer
    ) -> None:
        record_some(container)
        page = container.audit.queries().search()
        assert [r.action for r in page.items] == [
            "user.disabled",
            "patient.viewed",
            "patients.exported",
            "user.added",
        ]
        exported = page.items[2]
        assert (exported.actor, exported.role, exported.subject_type) == ("petrov", "analyst", None)
        assert exported.details == {"count": 120, "pseudonymised": True}
        assert exported.at.tzinfo is not None

    def test_filters_narrow_the_trail(self, container: ApplicationContainer) -> None:
        record_some(container)
        assert search(container, actor="ivanova") == [
            ("ivanova", "user.disabled"),
            ("ivanova", "user.added"),
        ]
        assert search(container, action="patient.viewed") == [("petrov", "patient.viewed")]
        assert search(container, subject_type="user", subject_id="petrov") == [
            ("ivanova", "user.disabled"),
            ("ivanova", "user.added"),
        ]
        newest = container.audit.queries().search(limit=1).items[0].at
        assert search(container, since=newest + timedelta(seconds=1)) == []
        assert ("ivanova", "user.disabled") not in search(container, until=newest)

    def test_pages_follow_each_other_with_sealed_cursors(
        self, container: ApplicationContainer
    ) -> None:
        record_some(container)
        queries = container.audit.queries()
        first = queries.search(limit=3)
        assert first.next_cursor is not None
        assert "petrov" not in first.next_cursor
        second = queries.search(limit=3, cursor=first.next_cursor)
        assert [r.id for r in first.items + second.items] == [r.id for r in queries.search().items]
        assert second.next_cursor is None
        with pytest.raises(InvalidCursorError):
            queries.search(cursor=first.next_cursor[:-4] + "AAAA")

    def test_after_reads_an_entry_just_recorded(self, container: ApplicationContainer) -> None:
        container.projections().start()
        position = container.audit.service().record_entry(ADMIN, "user.enabled", "user", "x")
        page = container.audit.queries().search(after=position)
        assert [r.action for r in page.items] == ["user.enabled"]

    def test_a_rebuild_gives_the_same_rows(self, container: ApplicationContainer) -> None:
        record_some(container)
        before = container.audit.queries().search().items
        assert container.projections().rebuild("audit_trail") == 4
        assert container.audit.queries().search().items == before


class TestIdentityActsAreAudited:
    def test_adding_a_user_and_failed_sign_ins_are_in_the_trail(
        self, container: ApplicationContainer, client: TestClient
    ) -> None:
        identity = container.identity.service()
        identity.add_user("sidorov", TEST_PASSWORD, "call_centre", by=ADMIN)
        wrong = {"username": "sidorov", "password": "not the password"}
        assert client.post("/api/v1/auth/token", data=wrong).status_code == 401
        container.projections().catch_up()

        trail = container.audit.queries().search(subject_type="user", subject_id="sidorov")
        assert [(r.actor, r.action, r.details) for r in trail.items] == [
            ("anonymous", "user.sign_in_failed", {"client": "testclient"}),
            ("ivanova", "user.added", {"role": "call_centre"}),
        ]


class TestAuditApi:
    def test_an_admin_searches_the_trail(
        self, container: ApplicationContainer, client: TestClient, headers_for: Headers
    ) -> None:
        headers = headers_for("admin")
        record_some(container)
        response = client.get(AUDIT, params={"actor": "petrov", "limit": 1}, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        [entry] = body["items"]
        assert (entry["actor"], entry["action"]) == ("petrov", "patient.viewed")
        assert entry["details"] == {"client": "10.0.0.7"}

        following = client.get(
            AUDIT, params={"actor": "petrov", "cursor": body["next_cursor"]}, headers=headers
        )
        assert [e["action"] for e in following.json()["items"]] == ["patients.exported"]
        assert following.json()["next_cursor"] is None

    def test_a_forged_cursor_is_invalid_input(
        self, client: TestClient, headers_for: Headers
    ) -> None:
        response = client.get(
            AUDIT, params={"cursor": "bm90IGEgY3Vyc29y"}, headers=headers_for("admin")
        )
        assert response.status_code == 422

    @pytest.mark.parametrize("role", ["marketer", "analyst", "call_centre"])
    def test_other_roles_are_forbidden(
        self, client: TestClient, headers_for: Headers, role: str
    ) -> None:
        response = client.get(AUDIT, headers=headers_for(role))
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")

    def test_without_signing_in_it_is_401(self, client: TestClient) -> None:
        response = client.get(AUDIT)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


class TestAuditCli:
    def test_audit_list_prints_json_lines_including_cli_acts(
        self, settings: Settings, container: ApplicationContainer
    ) -> None:
        record_some(container)
        added = clinic(
            settings, "users", "add", "--username", "oper1", "--role", "analyst",
            "--password", TEST_PASSWORD,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr

        listed = clinic(settings, "audit", "list", "--action", "user.added", "--json")
        assert listed.returncode == 0, listed.stderr
        entries = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [(e["subject_id"], e["details"]) for e in entries] == [
            ("oper1", {"role": "analyst"}),
            ("petrov", {"role": "analyst"}),
        ]
        assert entries[0]["actor"].startswith("cli:")
        assert entries[0]["role"] == "admin"

    def test_audit_list_filters_and_limits(
        self, settings: Settings, container: ApplicationContainer
    ) -> None:
        record_some(container)
        listed = clinic(settings, "audit", "list", "--actor", "petrov", "--limit", "1", "--json")
        assert listed.returncode == 0, listed.stderr
        [entry] = [json.loads(line) for line in listed.stdout.splitlines()]
        assert entry["action"] == "patient.viewed"

        human = clinic(settings, "audit", "list", "--subject-id", "petrov")
        assert human.returncode == 0, human.stderr
        lines = human.stdout.splitlines()
        assert len(lines) == 2
        assert "user.disabled" in lines[0]
        assert "user:petrov" in lines[0]
