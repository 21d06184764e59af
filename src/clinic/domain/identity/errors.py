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


class SignInLockedError(DomainError):
    """Too many failed sign-ins for this username or from this address: wait and retry."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many failed sign-ins; retry in {retry_after:.0f} s")
        self.retry_after = retry_after
