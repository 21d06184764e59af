"""The identity context: users, their roles and passwords."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from clinic.application.identity.ports import PasswordHasher
from clinic.application.shared.eventsourced import ContextApplication
from clinic.application.shared.ports import Clock
from clinic.domain.identity.errors import UnknownUserError, UsernameTakenError
from clinic.domain.identity.user import User
from clinic.domain.identity.values import (
    Role,
    check_password,
    parse_role,
    parse_username,
    user_id,
)


@dataclass(frozen=True, slots=True)
class SignedIn:
    username: str
    role: Role


class IdentityService(ContextApplication):
    name = "identity"

    def __init__(
        self, clock: Clock, hasher: PasswordHasher, env: dict[str, str] | None = None
    ) -> None:
        super().__init__(env)
        self.clock = clock
        self.hasher = hasher
        # Verified against for unknown usernames: a wrong name costs as long as a wrong password.
        self._dummy_hash = hasher.hash(secrets.token_urlsafe(16))

    def add_user(self, username: str, password: str, role: str) -> str:
        """Adds a user; InvalidFieldError names a bad field, UsernameTakenError a taken name."""
        name, parsed_role = parse_username(username), parse_role(role)
        check_password(password)
        user = User(
            id=user_id(name),
            username=name,
            role=parsed_role.value,
            password_hash=self.hasher.hash(password),
            added_at=self.clock.now(),
        )
        try:
            self.save(user)
        except IntegrityError:
            raise UsernameTakenError(name) from None
        return name

    def reset_password(self, username: str, password: str) -> None:
        check_password(password)
        user = self._user(username)
        user.reset_password(self.hasher.hash(password), reset_at=self.clock.now())
        self.save(user)

    def disable_user(self, username: str) -> None:
        user = self._user(username)
        if not user.disabled:
            user.disable(disabled_at=self.clock.now())
            self.save(user)

    def enable_user(self, username: str) -> None:
        user = self._user(username)
        if user.disabled:
            user.enable(enabled_at=self.clock.now())
            self.save(user)

    def authenticate(self, username: str, password: str) -> SignedIn | None:
        """The signed-in user, or None: unknown, disabled and wrong password look alike."""
        try:
            user = self._user(username)
        except UnknownUserError:
            self.hasher.verify(self._dummy_hash, password)
            return None
        if not self.hasher.verify(user.password_hash, password) or user.disabled:
            return None
        return SignedIn(user.username, user.role)

    def _user(self, username: str) -> User:
        name = username.strip().lower()
        try:
            return self.repository.get(user_id(name))
        except AggregateNotFoundError:
            raise UnknownUserError(name) from None
