"""Errors of the identity context."""

from __future__ import annotations

from clinic.domain.shared.errors import DomainError


class UsernameTakenError(DomainError):
    def __init__(self, username: str) -> None:
        super().__init__(f"username {username!r} is taken")
        self.username = username


class UnknownUserError(DomainError):
    def __init__(self, username: str) -> None:
        super().__init__(f"no user {username!r}")
        self.username = username
