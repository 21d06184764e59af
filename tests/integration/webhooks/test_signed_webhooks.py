"""Signed webhooks on each backend: the self-check endpoint, a receiver declared with
`signed_webhook("sms")`, and the rate limit of bad signatures."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Annotated

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import SecretStr

from clinic.infrastructure.settings import Settings
from clinic.infrastructure.webhooks import WebhookSignatures
from clinic.presentation.api.signed_webhooks import SignedWebhook, signed_webhook
from clinic.presentation.bootstrap.asgi import create_app
from clinic.presentation.bootstrap.containers import build_container, close_container

BODY = json.dumps({"message": "m-1", "status": "delivered"}).encode()
CURRENT, PREVIOUS = "sms-secret-2026", "sms-secret-2025"
HEADER = "Clinic-Signature"
receipts = APIRouter()
received: list[SignedWebhook] = []


@receipts.post("/test-hooks/sms/receipts")
def receive_receipt(webhook: Annotated[SignedWebhook, signed_webhook("sms")]) -> dict[str, str]:
    """A receiver as the messaging context will declare one (only in this test's app)."""
    received.append(webhook)
    return {"status": "recorded"}


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    secrets = {"sms": [SecretStr(CURRENT), SecretStr(PREVIOUS)]}
    container = build_container(settings.model_copy(update={"webhook_secrets": secrets}))
    try:
        app = create_app(container, with_ui=False)
        app.include_router(receipts)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client
    finally:
        close_container(container)
        received.clear()


def _signed(secret: str, body: bytes = BODY, age: timedelta = timedelta(0)) -> dict[str, str]:
    return {HEADER: WebhookSignatures(secret.encode()).sign(body, datetime.now(UTC) - age)}


class TestSignatureSelfCheck:
    def test_a_good_signature_is_echoed_with_what_was_verified(self, client: TestClient) -> None:
        response = client.post("/api/v1/webhooks/sms/test", content=BODY, headers=_signed(CURRENT))

        assert response.status_code == 200
        check = response.json()
        assert (check["provider"], check["verified"], check["body_bytes"]) == (
            "sms",
            True,
            len(BODY),
        )
        assert check["body_sha256"] == hashlib.sha256(BODY).hexdigest()

    def test_the_previous_secret_verifies_during_a_rotation(self, client: TestClient) -> None:
        response = client.post("/api/v1/webhooks/sms/test", content=BODY, headers=_signed(PREVIOUS))

        assert response.status_code == 200

    @pytest.mark.parametrize(
        ("signing", "reason"),
        [
            (None, "no Clinic-Signature header"),
            ("t=1,v1=zz", "is not t=<unix time>,v1=<hex>"),
            ((CURRENT, BODY, timedelta(minutes=6)), "outside the tolerance"),
            (("wrong-secret", BODY, timedelta(0)), "no v1 signature matches"),
            ((CURRENT, b"{}", timedelta(0)), "no v1 signature matches"),
        ],
    )
    def test_a_bad_signature_gets_401_problem_json_saying_why(
        self, client: TestClient, signing: str | tuple[str, bytes, timedelta] | None, reason: str
    ) -> None:
        headers = (
            _signed(*signing)
            if isinstance(signing, tuple)
            else {HEADER: signing}
            if signing
            else {}
        )

        response = client.post("/api/v1/webhooks/sms/test", content=BODY, headers=headers)

        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert reason in response.json()["detail"]
        assert response.headers["www-authenticate"] == HEADER

    def test_another_providers_secret_does_not_verify(self, client: TestClient) -> None:
        response = client.post("/api/v1/webhooks/mail/test", content=BODY, headers=_signed(CURRENT))

        assert response.status_code == 401

    def test_an_unknown_kind_of_provider_name_is_404(self, client: TestClient) -> None:
        response = client.post("/api/v1/webhooks/SMS/test", content=BODY, headers=_signed(CURRENT))

        assert response.status_code == 404


class TestReceiver:
    def test_a_signed_receipt_reaches_the_endpoint_with_its_raw_body(
        self, client: TestClient
    ) -> None:
        response = client.post("/test-hooks/sms/receipts", content=BODY, headers=_signed(CURRENT))

        assert response.status_code == 200
        assert [(w.provider, w.body) for w in received] == [("sms", BODY)]

    @pytest.mark.parametrize("age", [timedelta(minutes=-6), timedelta(minutes=6)])
    def test_a_stale_receipt_never_reaches_the_endpoint(
        self, client: TestClient, age: timedelta
    ) -> None:
        response = client.post(
            "/test-hooks/sms/receipts", content=BODY, headers=_signed(CURRENT, age=age)
        )

        assert response.status_code == 401
        assert received == []

    def test_twenty_bad_signatures_lock_the_address_out(self, client: TestClient) -> None:
        bad = [
            client.post("/test-hooks/sms/receipts", content=BODY, headers=_signed("guess"))
            for _ in range(20)
        ]
        refused = client.post("/test-hooks/sms/receipts", content=BODY, headers=_signed(CURRENT))

        assert [r.status_code for r in bad] == [401] * 20
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert 60 < int(refused.headers["retry-after"]) <= 600
        assert received == []
