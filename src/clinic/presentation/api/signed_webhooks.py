"""Receiving signed webhooks: a dependency that authenticates a request by its signature.

A receiver declares `webhook: SignedWebhook = signed_webhook("sms")` and reads `webhook.body`
(the raw bytes that were verified). Requests count against a rate limit per client address and
bad signatures against a stricter one: 401 problem+json with the reason, 429 over a limit.
Such endpoints need no sign-in: the signature is the authentication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, HTTPException, Request, status
from starlette.concurrency import run_in_threadpool

from clinic.application.shared.throttle import TooManyRequestsError
from clinic.application.shared.webhooks import SIGNATURE_HEADER, InvalidSignatureError
from clinic.presentation.api.throttling import client_address, retry_after

PROVIDER_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")
AUTHENTICATION = "webhook-signature"


@dataclass(frozen=True, slots=True)
class SignedWebhook:
    provider: str
    body: bytes
    signed_at: datetime


@dataclass(frozen=True, slots=True)
class _Receiving:
    verifier: Any
    throttle: Any
    clock: Any


@inject
def _receiving(
    verifier: Any = Depends(Provide["core.webhooks"]),
    throttle: Any = Depends(Provide["core.webhook_throttle"]),
    clock: Any = Depends(Provide["core.clock"]),
) -> _Receiving:
    return _Receiving(verifier, throttle, clock)


def signed_webhook(provider: str | None = None) -> Any:
    """`Depends` for a webhook from `provider` (default: the path's `{provider}`) whose
    signature header verifies with that provider's secret."""

    async def verified_webhook(
        request: Request, receiving: Annotated[_Receiving, Depends(_receiving)]
    ) -> SignedWebhook:
        name = provider or str(request.path_params.get("provider", ""))
        body = await request.body()
        header = request.headers.get(SIGNATURE_HEADER)
        client = client_address(request)
        return await run_in_threadpool(_verify, receiving, client, name, header, body)

    verified_webhook.authentication = AUTHENTICATION  # type: ignore[attr-defined]
    return Depends(verified_webhook)


def _verify(
    receiving: _Receiving, client: str, provider: str, header: str | None, body: bytes
) -> SignedWebhook:
    try:
        receiving.throttle.admit(client)
        if not PROVIDER_NAME.fullmatch(provider):
            receiving.throttle.failed(client)
            raise HTTPException(status.HTTP_404_NOT_FOUND, "No webhooks from such a provider")
        try:
            signed_at = receiving.verifier.verify(provider, header, body, receiving.clock.now())
        except InvalidSignatureError as error:
            receiving.throttle.failed(client)
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                f"Invalid webhook signature: {error}",
                headers={"WWW-Authenticate": SIGNATURE_HEADER},
            ) from None
    except TooManyRequestsError as error:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "Too many webhook requests (or bad signatures) from this address",
            headers=retry_after(error.retry_after),
        ) from None
    return SignedWebhook(provider, body, signed_at)
