"""Link tokens: a `TokenSigner` per purpose, so a link for one purpose never opens as another
(nor as a session or an API token, whose keys are derived for their own purposes).

The payload is `{"p": purpose, "s": subject id, "c": {claims}, "iat", "exp"}`, signed, not
encrypted: it holds ids only (see `clinic.application.shared.links`).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from typing import Any

from clinic.application.shared.links import ID_VALUE, PURPOSE_NAME, InvalidLinkError, Link
from clinic.infrastructure.signing import EXPIRES, InvalidTokenError, TokenSigner

MAX_TOKEN_LENGTH = 1024
CANONICAL = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


class SignedLinkTokens:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def seal(self, link: Link, now: datetime) -> str:
        payload: dict[str, Any] = {"p": link.purpose, "s": link.subject_id}
        if link.claims:
            payload["c"] = dict(link.claims)
        return self._signer(link.purpose).sign(payload, now, link.expires_at - now)

    def open(self, token: str, now: datetime) -> Link:
        purpose = _claimed_purpose(token)
        try:
            payload = self._signer(purpose).verify(token, now)
        except InvalidTokenError:
            raise InvalidLinkError from None
        subject, claims = payload.get("s"), payload.get("c", {})
        if not isinstance(subject, str) or not _ids(claims) or payload.get("p") != purpose:
            raise InvalidLinkError
        expires_at = datetime.fromtimestamp(payload[EXPIRES], UTC)
        return Link(purpose, subject, claims, expires_at)

    def _signer(self, purpose: str) -> TokenSigner:
        return TokenSigner(self._secret, f"link:{purpose}")


def _claimed_purpose(token: str) -> str:
    """The purpose a token says it is for (unverified: it only picks the key to verify with)."""
    if len(token) > MAX_TOKEN_LENGTH or not CANONICAL.fullmatch(token):
        raise InvalidLinkError
    body, _, mac = token.partition(".")
    try:
        raw_body, raw_mac = _decode(body), _decode(mac)
        payload = json.loads(raw_body)
    except (ValueError, binascii.Error):
        raise InvalidLinkError from None
    if _encode(raw_body) != body or _encode(raw_mac) != mac:
        # Base64 ignores the spare bits of a segment's last character: without this check a
        # token would have several spellings that all verify.
        raise InvalidLinkError
    purpose = payload.get("p") if isinstance(payload, dict) else None
    if not isinstance(purpose, str) or not PURPOSE_NAME.fullmatch(purpose):
        raise InvalidLinkError
    return purpose


def _ids(claims: object) -> bool:
    return isinstance(claims, dict) and all(
        isinstance(value, str) and ID_VALUE.fullmatch(value) for value in claims.values()
    )


def _decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
