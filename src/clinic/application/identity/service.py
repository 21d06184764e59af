"""The identity context: users, their roles, passwords, sign-in and its lockout."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from datetime import datetime, timedelta

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from clinic.application.identity.ports import PasswordHasher
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditDetail, AuditTrail
from clinic.application.shared.eventsourced import ContextApplication
from clinic.application.shared.ports import Clock, Limit, RateLimiter
from clinic.domain.identity.errors import (
    SignInLockedError,
    UnknownUserError,
    UsernameTakenError,
)
from clinic.domain.identity.user import User
from clinic.domain.identity.values import (
    check_password,
    parse_role,
    parse_username,
    user_id,
)
from clinic.domain.shared.access import parse_grantable

FAILURES_PER_USERNAME = Limit(hits=5, window=timedelta(minutes=15))
FAILURES_PER_CLIENT = Limit(hits=20, window=timedelta(minutes=15))
ACTOR_CACHE_SECONDS = 5.0


class IdentityService(ContextApplication):
    name = "identity"

    def __init__(
        self,
        clock: Clock,
        hasher: PasswordHasher,
        attempts: RateLimiter | None = None,
        audit: AuditTrail | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        super().__init__(env)
        self.clock = clock
        self.hasher = hasher
        self.attempts = attempts
        self.audit = audit
        # Verified against for unknown usernames: a wrong name costs as long as a wrong password.
        self._dummy_hash = hasher.hash(secrets.token_urlsafe(16))
        self._actors: dict[str, tuple[float, User]] = {}

    def add_user(self, username: str, password: str, role: str, by: Actor | None = None) -> str:
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
        self._audit(by, "user.added", name, {"role": parsed_role.value})
        return name

    def reset_password(self, username: str, password: str, by: Actor | None = None) -> None:
        """Sets a new password; sessions and tokens issued before it stop working."""
        check_password(password)
        user = self._user(username)
        user.reset_password(self.hasher.hash(password), reset_at=self.clock.now())
        self.save(user)
        self._forget(user)
        self._audit(by, "user.password_reset", user.username)

    def sign_out(self, actor: Actor) -> None:
        """Ends every session and token of the actor's user: signing out on one device signs
        out everywhere, so a copied session cookie dies with it."""
        user = self._user(actor.username)
        user.sign_out(signed_out_at=self.clock.now())
        self.save(user)
        self._forget(user)
        self._audit(actor, "user.signed_out", user.username)

    def disable_user(self, username: str, by: Actor | None = None) -> None:
        user = self._user(username)
        if not user.disabled:
            user.disable(disabled_at=self.clock.now())
            self.save(user)
            self._forget(user)
            self._audit(by, "user.disabled", user.username)

    def enable_user(self, username: str, by: Actor | None = None) -> None:
        user = self._user(username)
        if user.disabled:
            user.enable(enabled_at=self.clock.now())
            self.save(user)
            self._forget(user)
            self._audit(by, "user.enabled", user.username)

    def grant_permission(self, username: str, permission: str, by: Actor | None = None) -> None:
        """Adds a grantable permission (such as `patients:export`) beyond the user's role."""
        parsed = parse_grantable(permission)
        user = self._user(username)
        if parsed not in user.granted:
            user.grant(parsed.value, granted_at=self.clock.now())
            self.save(user)
            self._forget(user)
            self._audit(by, "user.permission_granted", user.username, {"permission": parsed})

    def revoke_permission(self, username: str, permission: str, by: Actor | None = None) -> None:
        parsed = parse_grantable(permission)
        user = self._user(username)
        if parsed in user.granted:
            user.revoke(parsed.value, revoked_at=self.clock.now())
            self.save(user)
            self._forget(user)
            self._audit(by, "user.permission_revoked", user.username, {"permission": parsed})

    def authenticate(self, username: str, password: str) -> Actor | None:
        """The user as an actor, or None: unknown, disabled and wrong password look alike."""
        try:
            user = self._user(username)
        except UnknownUserError:
            self.hasher.verify(self._dummy_hash, password)
            return None
        if not self.hasher.verify(user.password_hash, password) or user.disabled:
            return None
        return Actor(user.username, user.role, user.permissions)

    def sign_in(self, username: str, password: str, client: str) -> Actor | None:
        """`authenticate`, locked for a while after repeated failures for the username or from
        the client address: SignInLockedError says how long, even for the right password."""
        name = username.strip().lower()[:64]
        keys = {f"sign-in:user:{name}": FAILURES_PER_USERNAME}
        keys[f"sign-in:client:{client}"] = FAILURES_PER_CLIENT
        if self.attempts is not None:
            waits = [self.attempts.retry_after(key, limit) for key, limit in keys.items()]
            if any(waits):
                self._audit_anonymous("user.sign_in_locked", name, {"client": client})
                raise SignInLockedError(max(w for w in waits if w))
        actor = self.authenticate(name, password)
        if actor is None:
            for key, limit in keys.items():
                if self.attempts is not None:
                    self.attempts.hit(key, limit)
            self._audit_anonymous("user.sign_in_failed", name, {"client": client})
            return None
        if self.attempts is not None:
            self.attempts.reset(f"sign-in:user:{name}")
        self._audit(actor, "user.signed_in", actor.username, {"client": client})
        return actor

    def actor(self, username: str, issued_at: datetime) -> Actor | None:
        """The actor a session or token issued at `issued_at` stands for, or None when the user
        is gone, disabled, or reset their password since. Cached for a few seconds."""
        cached = self._actors.get(username)
        if cached is not None and cached[0] > time.monotonic():
            user = cached[1]
        else:
            try:
                user = self._user(username)
            except UnknownUserError:
                return None
            self._actors[username] = (time.monotonic() + ACTOR_CACHE_SECONDS, user)
        if not user.accepts_sign_in_from(issued_at):
            return None
        return Actor(user.username, user.role, user.permissions)

    def _user(self, username: str) -> User:
        name = username.strip().lower()
        try:
            return self.repository.get(user_id(name))
        except AggregateNotFoundError:
            raise UnknownUserError(name) from None

    def _forget(self, user: User) -> None:
        self._actors.pop(user.username, None)

    def _audit(
        self,
        actor: Actor | None,
        action: str,
        username: str,
        details: Mapping[str, AuditDetail] | None = None,
    ) -> None:
        if self.audit is not None:
            self.audit.record(actor or Actor.operator(), action, "user", username, details)

    def _audit_anonymous(
        self, action: str, username: str, details: Mapping[str, AuditDetail]
    ) -> None:
        if self.audit is not None:
            self.audit.record(Actor.anonymous(), action, "user", username, details)
