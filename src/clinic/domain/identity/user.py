"""The User aggregate: who may sign in, with which role."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from clinic.domain.identity.values import Role


class User(Aggregate):
    """A person who signs in to Clinic CDP; the password is kept only as a slow hash."""

    @event("Added")
    def __init__(
        self,
        id: UUID,  # noqa: A002 - the library takes the aggregate id from this parameter
        username: str,
        role: str,
        password_hash: str,
        added_at: datetime,
    ) -> None:
        self.username = username
        self.role = Role(role)
        self.password_hash = password_hash
        self.added_at = added_at
        self.disabled = False

    @event("PasswordReset")
    def reset_password(self, password_hash: str, reset_at: datetime) -> None:
        self.password_hash = password_hash

    @event("Disabled")
    def disable(self, disabled_at: datetime) -> None:
        self.disabled = True

    @event("Enabled")
    def enable(self, enabled_at: datetime) -> None:
        self.disabled = False
