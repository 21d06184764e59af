"""Users on the real event stores with real Argon2 hashes, and through the `clinic users` CLI."""

from __future__ import annotations

import os
import subprocess
import sys

from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Role
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import ApplicationContainer

CLI = [sys.executable, "-m", "clinic.presentation.cli.main", "users"]
PASSWORD = "correct horse battery"


def clinic_users(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLINIC_DATABASE_URL": settings.database_url}
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


class TestUsers:
    def test_a_user_added_with_argon2_signs_in(self, container: ApplicationContainer) -> None:
        identity = container.identity.service()
        identity.add_user("admin1", PASSWORD, "admin")
        [note] = identity.recorder.select_notifications(None, 1)
        assert b"$argon2id$" in note.state
        assert identity.authenticate("admin1", PASSWORD) == Actor.of("admin1", Role.ADMIN)
        assert identity.authenticate("admin1", PASSWORD + "!") is None

    def test_the_cli_adds_disables_and_resets(
        self, settings: Settings, container: ApplicationContainer
    ) -> None:
        added = clinic_users(
            settings, "add", "--username", "oper1", "--role", "call_centre", "--password", PASSWORD
        )
        taken = clinic_users(
            settings, "add", "--username", "OPER1", "--role", "admin", "--password", PASSWORD
        )
        weak = clinic_users(
            settings, "add", "--username", "oper2", "--role", "admin", "--password", "short"
        )
        assert (added.returncode, taken.returncode, weak.returncode) == (0, 1, 2)
        assert "password" in weak.stderr

        identity = container.identity.service()
        assert identity.authenticate("oper1", PASSWORD) == Actor.of("oper1", Role.CALL_CENTRE)
        assert clinic_users(settings, "disable", "--username", "oper1").returncode == 0
        assert identity.authenticate("oper1", PASSWORD) is None
        assert clinic_users(settings, "enable", "--username", "oper1").returncode == 0
        new = "another long passphrase"
        reset = clinic_users(settings, "reset-password", "--username", "oper1", "--password", new)
        assert reset.returncode == 0
        assert identity.authenticate("oper1", new) is not None
