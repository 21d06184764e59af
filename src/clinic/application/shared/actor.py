"""Who is acting: every command and every read of personal data names its actor."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from clinic.application.shared.errors import PermissionDeniedError
from clinic.domain.shared.access import Permission, Role, permissions_of


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in user (or an operator at the command line) and what they may do."""

    username: str
    role: Role | None
    permissions: frozenset[Permission] = field(default_factory=frozenset)

    @classmethod
    def of(cls, username: str, role: Role, granted: frozenset[Permission] = frozenset()) -> Actor:
        return cls(username, role, permissions_of(role, granted))

    @classmethod
    def operator(cls) -> Actor:
        """Whoever runs the `clinic` CLI on the server: an administrator, named by OS account."""
        return cls.of(f"cli:{getpass.getuser()}", Role.ADMIN)

    @classmethod
    def anonymous(cls) -> Actor:
        """Someone not signed in: a failed sign-in, a patient following a signed link."""
        return cls("anonymous", None, frozenset())

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def demand(self, permission: Permission) -> None:
        if permission not in self.permissions:
            raise PermissionDeniedError(self.username, permission.value)
