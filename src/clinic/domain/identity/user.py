"""The User aggregate: who may sign in, with which role and which extra permissions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from clinic.domain.shared.access import Permission, Role, permissions_of


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
        self.granted: frozenset[Permission] = frozenset()
        self.signed_out_at: datetime | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.role, self.granted)

    def accepts_sign_in_from(self, issued_at: datetime) -> bool:
        """Sessions and tokens issued before a password reset or a disable are void."""
        if self.disabled:
            return False
        if self.signed_out_at is None:
            return True
        # Tokens carry milliseconds: one issued in the same millisecond counts as after.
        signed_out_ms = self.signed_out_at.microsecond // 1000 * 1000
        return issued_at >= self.signed_out_at.replace(microsecond=signed_out_ms)

    @event("PasswordReset")
    def reset_password(self, password_hash: str, reset_at: datetime) -> None:
        self.password_hash = password_hash
        self.signed_out_at = reset_at

    @event("SignedOut")
    def sign_out(self, signed_out_at: datetime) -> None:
        """Ends every session and API token issued so far."""
        self.signed_out_at = signed_out_at

    @event("Disabled")
    def disable(self, disabled_at: datetime) -> None:
        self.disabled = True
        self.signed_out_at = disabled_at

    @event("Enabled")
    def enable(self, enabled_at: datetime) -> None:
        self.disabled = False

    @event("PermissionGranted")
    def grant(self, permission: str, granted_at: datetime) -> None:
        self.granted = self.granted | {Permission(permission)}

    @event("PermissionRevoked")
    def revoke(self, permission: str, revoked_at: datetime) -> None:
        self.granted = self.granted - {Permission(permission)}
