"""Webhook signatures, Stripe-style: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`.

`WebhookSignatures` holds one provider's secrets (the current one first, then any being rotated
out): it signs with every one of them, so a receiver that knows either accepts, and verifies
against every one of them. `WebhookKeyring` knows each provider's secrets: from
CLINIC_WEBHOOK_SECRETS, or else derived from CLINIC_SECRET_KEY per provider.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from clinic.application.shared.webhooks import (
    TOLERANCE,
    InvalidSignatureError,
    SignatureProblem,
)
from clinic.infrastructure.settings import Settings, signing_secret

MAX_HEADER_LENGTH = 2048
MAX_SIGNATURES = 8
TIMESTAMP = re.compile(r"[0-9]{1,12}")
HEX_SHA256 = re.compile(r"[0-9a-f]{64}")
PROVIDER_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")


class WebhookSignatures:
    def __init__(self, secret: bytes, *previous: bytes) -> None:
        self._secrets = (secret, *previous)

    def sign(self, body: bytes, timestamp: datetime) -> str:
        """The signature header's value for `body` sent at `timestamp`."""
        t = int(timestamp.timestamp())
        return ",".join([f"t={t}", *(f"v1={_mac(s, t, body)}" for s in self._secrets)])

    def verify(
        self, header: str | None, body: bytes, now: datetime, tolerance: timedelta = TOLERANCE
    ) -> datetime:
        """When `body` was signed; InvalidSignatureError unless a v1 matches and `t` is within
        `tolerance` of `now` (either side: clocks drift)."""
        if not header:
            raise InvalidSignatureError(SignatureProblem.MISSING)
        t, candidates = _parse(header)
        signed_at = datetime.fromtimestamp(t, UTC)
        if abs(now - signed_at) > tolerance:
            raise InvalidSignatureError(SignatureProblem.STALE)
        expected = [_mac(secret, t, body) for secret in self._secrets]
        matches = [hmac.compare_digest(e, c) for e in expected for c in candidates]
        if not any(matches):
            raise InvalidSignatureError(SignatureProblem.MISMATCH)
        return signed_at


class WebhookKeyring:
    """Every provider's signatures: configured secrets, or ones derived from the secret key."""

    def __init__(self, secrets: Mapping[str, Sequence[str]], fallback: bytes) -> None:
        self._secrets = {provider: tuple(values) for provider, values in secrets.items()}
        self._fallback = fallback

    def secrets(self, provider: str) -> tuple[str, ...]:
        """The provider's secrets, current first (what to configure at the provider)."""
        if not PROVIDER_NAME.fullmatch(provider):
            msg = f"provider {provider!r} is not lower-case-with-dashes"
            raise ValueError(msg)
        derived = hmac.new(self._fallback, f"webhook:{provider}".encode(), hashlib.sha256)
        return self._secrets.get(provider) or (derived.hexdigest(),)

    def signatures(self, provider: str) -> WebhookSignatures:
        return WebhookSignatures(*(secret.encode() for secret in self.secrets(provider)))

    def verify(self, provider: str, header: str | None, body: bytes, now: datetime) -> datetime:
        return self.signatures(provider).verify(header, body, now)

    def sign(self, provider: str, body: bytes, now: datetime) -> str:
        return self.signatures(provider).sign(body, now)


def webhook_keyring(settings: Settings) -> WebhookKeyring:
    secrets = {
        provider: [value.get_secret_value() for value in values]
        for provider, values in settings.webhook_secrets.items()
    }
    return WebhookKeyring(secrets, signing_secret(settings))


def _mac(secret: bytes, t: int, body: bytes) -> str:
    return hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()


def _parse(header: str) -> tuple[int, list[str]]:
    if len(header) > MAX_HEADER_LENGTH:
        raise InvalidSignatureError(SignatureProblem.MALFORMED)
    timestamps, signatures = [], []
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        if name == "t":
            timestamps.append(value)
        elif name == "v1":
            signatures.append(value.lower())
    well_formed = (
        len(timestamps) == 1
        and TIMESTAMP.fullmatch(timestamps[0])
        and 0 < len(signatures) <= MAX_SIGNATURES
        and all(HEX_SHA256.fullmatch(s) for s in signatures)
    )
    if not well_formed:
        raise InvalidSignatureError(SignatureProblem.MALFORMED)
    return int(timestamps[0]), signatures
