"""Signed webhooks: provider receipts coming in, notifications to clinic systems going out.

The signature header is `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`; during a secret
rotation the sender adds one `v1=` per secret and the receiver accepts any that matches.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar, Protocol

from clinic.application.shared.ports import Limit
from clinic.application.shared.throttle import PublicLimits

SIGNATURE_HEADER = "Clinic-Signature"
TOLERANCE = timedelta(minutes=5)
WEBHOOK_LIMITS = PublicLimits(
    requests=Limit(600, timedelta(minutes=1)), failures=Limit(20, timedelta(minutes=10))
)
"""Per client address: providers send receipts in bursts; bad signatures are few."""


class SignatureProblem(StrEnum):
    MISSING = "missing"
    MALFORMED = "malformed"
    STALE = "stale"
    MISMATCH = "mismatch"


class InvalidSignatureError(Exception):
    """The webhook's signature is missing, malformed, too old (or new), or does not match."""

    MESSAGES: ClassVar[dict[SignatureProblem, str]] = {
        SignatureProblem.MISSING: f"no {SIGNATURE_HEADER} header",
        SignatureProblem.MALFORMED: f"{SIGNATURE_HEADER} is not t=<unix time>,v1=<hex>",
        SignatureProblem.STALE: "the signature's timestamp is outside the tolerance",
        SignatureProblem.MISMATCH: "no v1 signature matches the body with this provider's secret",
    }

    def __init__(self, problem: SignatureProblem) -> None:
        super().__init__(self.MESSAGES[problem])
        self.problem = problem


class WebhookVerifier(Protocol):
    """Checks the signature of a webhook from a provider with that provider's secret(s)."""

    def verify(self, provider: str, header: str | None, body: bytes, now: datetime) -> datetime:
        """When the body was signed; InvalidSignatureError unless genuine and recent."""
        ...


class WebhookSigner(Protocol):
    """Signs the webhooks this installation sends (to a clinic's own systems)."""

    def sign(self, provider: str, body: bytes, now: datetime) -> str:
        """The value of the signature header for `body` sent to `provider` at `now`."""
        ...
