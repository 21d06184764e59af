"""Webhooks: a signature self-check for whoever sets up a provider or a clinic system."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.signed_webhooks import SignedWebhook, signed_webhook

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class SignatureCheck(BaseModel):
    """What was verified, so the sender can compare it with what it sent."""

    provider: str
    verified: bool = True
    signed_at: datetime = Field(description="The signature's `t`.")
    body_bytes: int
    body_sha256: str = Field(description="Hex SHA-256 of the body as received.")


@router.post(
    "/{provider}/test",
    responses=problem_responses(401, 404, 413, 422, 429),
    summary="Check a webhook signature",
)
def check_signature(
    provider: Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{0,31}$", examples=["sms"])],
    webhook: Annotated[SignedWebhook, signed_webhook()],
) -> SignatureCheck:
    """Verify the `Clinic-Signature` header of a body with the provider's secret (401: why not)."""
    return SignatureCheck(
        provider=provider,
        signed_at=webhook.signed_at,
        body_bytes=len(webhook.body),
        body_sha256=hashlib.sha256(webhook.body).hexdigest(),
    )
