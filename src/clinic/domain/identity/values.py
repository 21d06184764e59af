"""Users of Clinic CDP: roles and the rules for usernames and passwords."""

from __future__ import annotations

import re
from uuid import NAMESPACE_URL, UUID, uuid5

from clinic.domain.shared.access import Role
from clinic.domain.shared.errors import InvalidFieldError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}")
_USER_NAMESPACE = uuid5(NAMESPACE_URL, "clinic-cdp:users")


def parse_username(raw: str) -> str:
    username = raw.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise InvalidFieldError(
            "username",
            "2–63 of a–z, 0–9, '.', '_', '-', starting with a letter or digit",
            "invalid",
        )
    return username


def parse_role(raw: str) -> Role:
    try:
        return Role(raw.strip().lower())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidFieldError("role", f"one of {roles}", "invalid_role") from None


def check_password(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidFieldError(
            "password",
            f"{MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters",
            "weak_password",
        )


def user_id(username: str) -> UUID:
    """One id per username, so the event store itself refuses a second user of that name."""
    return uuid5(_USER_NAMESPACE, username)
