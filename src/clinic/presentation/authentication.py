"""Sessions (UI cookie) and bearer tokens (API): signed, expiring, tied to the user's state.

A token names the user and when it was issued; every request asks the identity context whether
that user may still act (not disabled, no password reset since), so disabling a user or
resetting their password ends their sessions within seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from clinic.application.shared.actor import Actor
from clinic.application.shared.ports import Clock
from clinic.infrastructure.signing import ISSUED, InvalidTokenError, TokenSigner

API_TOKEN_LIFETIME = timedelta(hours=1)
SESSION_LIFETIME = timedelta(hours=8)
SUBJECT = "sub"


class Authenticator:
    def __init__(self, identity: Any, secret: bytes, clock: Clock) -> None:
        self._identity = identity
        self._clock = clock
        self._api_tokens = TokenSigner(secret, "api-token")
        self._sessions = TokenSigner(secret, "session")
        self._csrf = TokenSigner(secret, "csrf")

    def sign_in(self, username: str, password: str, client: str) -> Actor | None:
        """Raises SignInLockedError while the username or client is locked out."""
        actor: Actor | None = self._identity.sign_in(username, password, client)
        return actor

    def sign_out(self, session: str) -> None:
        """Ends every session and token of the session's user (nothing if it is invalid)."""
        actor = self.actor_of_session(session)
        if actor is not None:
            self._identity.sign_out(actor)

    def api_token(self, actor: Actor) -> str:
        return self._api_tokens.sign(
            {SUBJECT: actor.username}, self._clock.now(), API_TOKEN_LIFETIME
        )

    def session(self, actor: Actor) -> str:
        return self._sessions.sign({SUBJECT: actor.username}, self._clock.now(), SESSION_LIFETIME)

    def actor_of_api_token(self, token: str) -> Actor | None:
        return self._actor(self._api_tokens, token)

    def actor_of_session(self, token: str) -> Actor | None:
        return self._actor(self._sessions, token)

    def csrf_token(self, bound_to: str) -> str:
        """A form token bound to a browser's pre-session nonce or to its session."""
        return self._csrf.sign({SUBJECT: bound_to}, self._clock.now(), SESSION_LIFETIME)

    def csrf_valid(self, token: str, bound_to: str) -> bool:
        try:
            claims = self._csrf.verify(token, self._clock.now())
        except InvalidTokenError:
            return False
        return bool(claims.get(SUBJECT) == bound_to)

    def _actor(self, signer: TokenSigner, token: str) -> Actor | None:
        try:
            claims = signer.verify(token, self._clock.now())
        except InvalidTokenError:
            return None
        username, issued = claims.get(SUBJECT), claims.get(ISSUED)
        if not isinstance(username, str) or not isinstance(issued, int):
            return None
        issued_at = datetime.fromtimestamp(issued / 1000, UTC)
        actor: Actor | None = self._identity.actor(username, issued_at)
        return actor


def token_lifetime_seconds() -> int:
    return int(API_TOKEN_LIFETIME.total_seconds())
