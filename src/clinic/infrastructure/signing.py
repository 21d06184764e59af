"""Signed, expiring tokens: sessions, API bearer tokens, links in messages.

A token is `base64url(json payload).base64url(HMAC-SHA256)`. Each purpose derives its own key
from the secret key, so a token minted for one purpose (a link) is refused for another (a
session). Payloads are signed, not encrypted: they carry ids and times, never personal data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

EXPIRES = "exp"
ISSUED = "iat_ms"  # milliseconds: a sign-in just after a password reset is told from one before


class InvalidTokenError(Exception):
    """The token is malformed, forged, for another purpose, or expired."""


class TokenSigner:
    def __init__(self, secret: bytes, purpose: str) -> None:
        self._key = hmac.new(secret, f"clinic-cdp:token:{purpose}".encode(), "sha256").digest()

    def sign(self, claims: dict[str, Any], now: datetime, lifetime: timedelta) -> str:
        payload = {
            **claims,
            ISSUED: int(now.timestamp() * 1000),
            EXPIRES: int((now + lifetime).timestamp()),
        }
        body = _encode(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{_encode(self._mac(body))}"

    def verify(self, token: str, now: datetime) -> dict[str, Any]:
        """The claims of a token this signer issued that has not expired, else InvalidTokenError.

        The MAC is checked before the payload is parsed: nothing a forger sends is decoded.
        """
        body, _, mac = token.partition(".")
        try:
            # One spelling per token: base64's spare bits and padding would allow others.
            expected = _encode(self._mac(body))
            genuine = hmac.compare_digest(mac.encode("ascii"), expected.encode("ascii"))
        except (ValueError, UnicodeError):
            raise InvalidTokenError("malformed token") from None
        if not genuine:
            raise InvalidTokenError("forged token")
        try:
            payload = json.loads(_decode(body))
        except (ValueError, UnicodeError, RecursionError):
            raise InvalidTokenError("malformed token") from None
        if not isinstance(payload, dict):
            raise InvalidTokenError("malformed token")
        if not isinstance(payload.get(EXPIRES), int) or payload[EXPIRES] <= now.timestamp():
            raise InvalidTokenError("expired token")
        return payload

    def _mac(self, body: str) -> bytes:
        return hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
