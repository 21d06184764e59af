"""The audit trail screen, served by `clinic serve` in a subprocess (NiceGUI cannot be mounted
again in a process that rendered a page): admins see the entries, other roles "no access"."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Role
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import ApplicationContainer
from tests.e2e.serving import free_port, stop

PASSWORD = "correct horse battery staple"
STARTUP_TIMEOUT = 60.0


@pytest.fixture
def server(settings: Settings) -> Iterator[str]:
    """`clinic serve` on the test's database; its URL."""
    port = free_port()
    env = {
        **os.environ,
        "CLINIC_DATABASE_URL": settings.database_url,
        "CLINIC_EMBEDDED_WORKER": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "clinic.presentation.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield url
    finally:
        stop(process)


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`clinic serve` exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"`clinic serve` not healthy after {STARTUP_TIMEOUT:.0f} s")


def session_of(container: ApplicationContainer, role: str) -> dict[str, str]:
    identity = container.identity.service()
    username = identity.add_user(f"page-{role.replace('_', '-')}", PASSWORD, role)
    actor = identity.actor(username, container.core.clock().now())
    return {"clinic_session": container.identity.authenticator().session(actor)}


class TestAuditTrailPage:
    def test_admins_see_the_entries_and_nobody_else_does(
        self, container: ApplicationContainer, server: str
    ) -> None:
        container.audit.service().record(
            Actor.of("ivanova", Role.ADMIN), "patients.exported", details={"count": 5}
        )
        container.projections().catch_up()

        admin = httpx.get(f"{server}/audit", cookies=session_of(container, "admin"), timeout=30)
        assert admin.status_code == 200
        assert "Журнал действий" in admin.text
        assert "patients.exported" in admin.text

        for role in ("marketer", "analyst", "call_centre"):
            other = httpx.get(f"{server}/audit", cookies=session_of(container, role), timeout=30)
            assert other.status_code == 403, role
            assert "patients.exported" not in other.text

        anonymous = httpx.get(f"{server}/audit", timeout=30)
        assert anonymous.status_code == 303
        assert anonymous.headers["location"].startswith("/login")
