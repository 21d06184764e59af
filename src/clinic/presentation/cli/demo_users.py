"""One demo user per role, so `make run` can be tried as each kind of user straight away.

Passwords are generated on first run and kept in a 0600 file beside the demo database, so every
later `make run` prints the same credentials.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from clinic.application.identity.service import IdentityService
from clinic.domain.identity.errors import UsernameTakenError
from clinic.domain.shared.access import Role

UNKNOWN_PASSWORD = "(exists; set one with `clinic users reset-password`)"  # noqa: S105 - a note


def demo_username(role: Role) -> str:
    return f"demo-{role.value.replace('_', '-')}"


def ensure_demo_users(
    identity: IdentityService, credentials_file: Path
) -> Iterator[tuple[str, str, str]]:
    """(username, role, password) for each role's demo user, adding any that is missing."""
    known = _read(credentials_file)
    for role in Role:
        username = demo_username(role)
        password = known.get(username) or secrets.token_urlsafe(12)
        try:
            identity.add_user(username, password, role.value)
        except UsernameTakenError:
            if username not in known:
                password = UNKNOWN_PASSWORD
        else:
            known[username] = password
            _write(credentials_file, known)
        yield username, role.value, password


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    lines = path.read_text("utf-8").splitlines()
    return dict(line.split(" ", 1) for line in lines if " " in line)


def _write(path: Path, credentials: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.writelines(f"{u} {p}\n" for u, p in credentials.items())
