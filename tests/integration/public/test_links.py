"""`/l/{token}` on each backend: pages behind signed links, one 404 for every invalid token,
CSRF checks on answers, and rate limits shared by every app process."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from clinic.application.shared.links import LinkPurpose, Links
from clinic.infrastructure.settings import Settings, signing_secret
from clinic.infrastructure.signed_links import SignedLinkTokens
from clinic.infrastructure.signing import TokenSigner
from tests.integration.public.conftest import CONFIRM, PATIENT, Phone, phone_on
from tests.unit.application.fakes import FixedClock

INVALID_TITLE = "Ссылка недействительна или устарела"


def _form(token: str, choice: str = "confirm", comment: str = "") -> dict[str, str]:
    return {"token": token, "choice": choice, "comment": comment}


class TestOpenLink:
    def test_a_registered_purpose_shows_its_page_with_a_form(self, phone: Phone) -> None:
        token = phone.issue()

        response = phone.client.get(f"/l/{token}")

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert "Подтвердите визит" in response.text
        assert "Визит 2026-12-02." in response.text
        assert f'name="token" value="{token}"' in response.text

    def test_the_page_is_private_and_locked_down(self, phone: Phone) -> None:
        headers = phone.client.get(f"/l/{phone.issue()}").headers

        assert headers["cache-control"] == "no-store"
        assert headers["referrer-policy"] == "same-origin"
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "form-action 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"

    def test_every_invalid_token_gets_the_same_404(self, phone: Phone, settings: Settings) -> None:
        valid = phone.issue()
        secret = signing_secret(settings)
        past = FixedClock(phone.container.core.clock().now() - timedelta(days=3))
        invalid = {
            "unknown": secrets.token_urlsafe(40),
            "forged": valid[:-5] + ("AAAAA" if not valid.endswith("AAAAA") else "BBBBB"),
            "expired": Links(SignedLinkTokens(secret), past).issue(CONFIRM, PATIENT),
            "unhandled purpose": phone.issue(LinkPurpose("unsubscribe", timedelta(days=1))),
            "session token": TokenSigner(secret, "session").sign(
                {"p": "confirm-visit", "s": PATIENT}, past.moment, timedelta(days=30)
            ),
            "another installation": Links(
                SignedLinkTokens(b"x" * 32), phone.container.core.clock()
            ).issue(CONFIRM, PATIENT),
        }

        answers = {name: phone.client.get(f"/l/{token}") for name, token in invalid.items()}

        assert {r.status_code for r in answers.values()} == {404}
        assert len({r.content for r in answers.values()}) == 1
        assert INVALID_TITLE in answers["unknown"].text
        assert "<form" not in answers["unknown"].text


class TestAnswerLink:
    def test_an_answer_reaches_the_handler(self, phone: Phone) -> None:
        token = phone.issue()

        response = phone.client.post(
            f"/l/{token}",
            data=_form(token, "decline", "Заболел"),
            headers={"Origin": "http://testserver"},
        )

        assert response.status_code == 200
        assert "Спасибо!" in response.text
        assert phone.confirmations.answers == [(PATIENT, "decline", "Заболел")]

    @pytest.mark.parametrize(
        "headers",
        [
            {"Origin": "https://evil.example"},
            {"Origin": "null"},
            {"Referer": "https://evil.example/page"},
        ],
    )
    def test_an_answer_from_another_site_is_refused(
        self, phone: Phone, headers: dict[str, str]
    ) -> None:
        token = phone.issue()

        response = phone.client.post(f"/l/{token}", data=_form(token), headers=headers)

        assert response.status_code == 403
        assert phone.confirmations.answers == []

    def test_an_answer_without_the_token_in_the_form_is_refused(self, phone: Phone) -> None:
        token = phone.issue()

        response = phone.client.post(f"/l/{token}", data={"choice": "confirm"})

        assert response.status_code == 403
        assert phone.confirmations.answers == []

    def test_a_choice_the_page_does_not_offer_is_refused(self, phone: Phone) -> None:
        token = phone.issue()

        response = phone.client.post(f"/l/{token}", data=_form(token, "cancel-everything"))

        assert response.status_code == 400
        assert phone.confirmations.answers == []

    def test_an_answer_to_an_invalid_link_gets_the_same_404(self, phone: Phone) -> None:
        token = secrets.token_urlsafe(40)
        opened = phone.client.get(f"/l/{token}")

        answered = phone.client.post(f"/l/{token}", data=_form(token))

        assert answered.status_code == 404
        assert answered.content == opened.content

    def test_an_oversized_form_is_refused(self, phone: Phone) -> None:
        token = phone.issue()

        response = phone.client.post(f"/l/{token}", data=_form(token, comment="я" * 9000))

        assert response.status_code == 403
        assert phone.confirmations.answers == []


class TestRateLimits:
    def test_requests_over_the_limit_get_429_counted_across_app_instances(
        self, phone: Phone, settings: Settings
    ) -> None:
        token = phone.issue()
        with phone_on(settings) as other:
            statuses = [
                (phone if i % 2 else other).client.get(f"/l/{token}").status_code for i in range(30)
            ]
            refused = other.client.get(f"/l/{token}")

        assert statuses == [200] * 30
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "Слишком много запросов" in refused.text

    def test_ten_invalid_tokens_lock_the_address_out_even_for_valid_links(
        self, phone: Phone, settings: Settings
    ) -> None:
        with phone_on(settings) as other:
            guesses = [
                (phone if i % 2 else other).client.get(f"/l/{secrets.token_urlsafe(40)}")
                for i in range(10)
            ]
            refused = other.client.get(f"/l/{phone.issue()}")

        assert [g.status_code for g in guesses] == [404] * 10
        assert refused.status_code == 429
        assert 60 < int(refused.headers["retry-after"]) <= 600
