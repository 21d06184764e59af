"""Webhook signatures: `t=…,v1=…`, stale timestamps, rotation, and every way to be wrong."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.application.shared.webhooks import InvalidSignatureError, SignatureProblem
from clinic.infrastructure.settings import Settings
from clinic.infrastructure.webhooks import WebhookKeyring, WebhookSignatures, webhook_keyring

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BODY = b'{"message": "m-1", "status": "delivered"}'
CURRENT, PREVIOUS = b"whsec-current", b"whsec-previous"


def _problem(signatures: WebhookSignatures, header: str | None, body: bytes = BODY) -> str:
    with pytest.raises(InvalidSignatureError) as refused:
        signatures.verify(header, body, NOW)
    return refused.value.problem


class TestSignAndVerify:
    def test_the_header_is_stripe_style(self) -> None:
        header = WebhookSignatures(CURRENT).sign(BODY, NOW)

        t = int(NOW.timestamp())
        expected = hmac.new(CURRENT, f"{t}.".encode() + BODY, hashlib.sha256).hexdigest()
        assert header == f"t={t},v1={expected}"

    def test_a_signed_body_verifies_and_tells_when_it_was_signed(self) -> None:
        signatures = WebhookSignatures(CURRENT)
        header = signatures.sign(BODY, NOW - timedelta(seconds=30))

        assert signatures.verify(header, BODY, NOW) == NOW - timedelta(seconds=30)

    def test_a_changed_body_does_not_verify(self) -> None:
        signatures = WebhookSignatures(CURRENT)

        assert _problem(signatures, signatures.sign(BODY, NOW), BODY + b" ") == "mismatch"

    def test_another_secret_does_not_verify(self) -> None:
        header = WebhookSignatures(b"someone-else").sign(BODY, NOW)

        assert _problem(WebhookSignatures(CURRENT), header) == SignatureProblem.MISMATCH

    @pytest.mark.parametrize("age", [timedelta(seconds=301), timedelta(seconds=-301)])
    def test_a_signature_older_or_newer_than_five_minutes_is_stale(self, age: timedelta) -> None:
        signatures = WebhookSignatures(CURRENT)

        assert _problem(signatures, signatures.sign(BODY, NOW - age)) == "stale"

    def test_the_tolerance_can_be_chosen(self) -> None:
        signatures = WebhookSignatures(CURRENT)
        header = signatures.sign(BODY, NOW - timedelta(minutes=10))

        assert signatures.verify(header, BODY, NOW, tolerance=timedelta(minutes=15))

    def test_a_missing_header_says_so(self) -> None:
        assert _problem(WebhookSignatures(CURRENT), None) == "missing"
        assert _problem(WebhookSignatures(CURRENT), "") == "missing"

    @pytest.mark.parametrize(
        "header",
        [
            "garbage",
            "v1=" + "a" * 64,
            "t=1700000000",
            "t=abc,v1=" + "a" * 64,
            "t=1,t=2,v1=" + "a" * 64,
            "t=1700000000,v1=xyz",
            "t=1700000000,v1=" + "a" * 63,
            "t=1700000000," + ",".join(["v1=" + "a" * 64] * 9),
            "t=1700000000,v1=" + "a" * 5000,
        ],
    )
    def test_a_malformed_header_says_so(self, header: str) -> None:
        assert _problem(WebhookSignatures(CURRENT), header) == "malformed"

    @given(position=st.integers(min_value=0), replacement=st.characters(codec="ascii"))
    def test_any_single_character_change_of_the_header_is_refused(
        self, position: int, replacement: str
    ) -> None:
        signatures = WebhookSignatures(CURRENT)
        header = signatures.sign(BODY, NOW)
        position %= len(header)
        tampered = header[:position] + replacement + header[position + 1 :]
        if tampered.lower() == header or tampered.replace(" ", "") == header:
            return  # hex case and spaces around items do not change the signature
        with pytest.raises(InvalidSignatureError):
            signatures.verify(tampered, BODY, NOW)


class TestRotation:
    def test_during_a_rotation_we_sign_with_both_secrets(self) -> None:
        header = WebhookSignatures(CURRENT, PREVIOUS).sign(BODY, NOW)

        assert header.count("v1=") == 2
        assert WebhookSignatures(CURRENT).verify(header, BODY, NOW)
        assert WebhookSignatures(PREVIOUS).verify(header, BODY, NOW)

    def test_during_a_rotation_either_secret_verifies(self) -> None:
        receiver = WebhookSignatures(CURRENT, PREVIOUS)

        assert receiver.verify(WebhookSignatures(PREVIOUS).sign(BODY, NOW), BODY, NOW)
        assert receiver.verify(WebhookSignatures(CURRENT).sign(BODY, NOW), BODY, NOW)

    def test_a_header_with_one_good_v1_among_others_verifies(self) -> None:
        good = WebhookSignatures(CURRENT).sign(BODY, NOW)
        header = good.replace(",v1=", ",v1=" + "0" * 64 + ",v1=")

        assert WebhookSignatures(CURRENT).verify(header, BODY, NOW)


class TestKeyring:
    def test_configured_providers_use_their_secrets_current_first(self) -> None:
        keyring = WebhookKeyring({"sms": ["new", "old"]}, fallback=b"f")

        assert keyring.secrets("sms") == ("new", "old")
        header = WebhookSignatures(b"old").sign(BODY, NOW)
        assert keyring.verify("sms", header, BODY, NOW) == NOW

    def test_other_providers_get_distinct_secrets_derived_from_the_secret_key(self) -> None:
        keyring = webhook_keyring(Settings(secret_key="a-long-random-secret"))
        other = webhook_keyring(Settings(secret_key="another-secret"))

        assert keyring.secrets("sms") != keyring.secrets("mail")
        assert keyring.secrets("sms") != other.secrets("sms")
        header = keyring.sign("sms", BODY, NOW)
        assert keyring.verify("sms", header, BODY, NOW) == NOW
        with pytest.raises(InvalidSignatureError):
            keyring.verify("mail", header, BODY, NOW)

    def test_the_setting_takes_one_secret_or_a_list(self) -> None:
        settings = Settings(webhook_secrets={"sms": "one", "mail": ["two", "three"]})

        assert webhook_keyring(settings).secrets("sms") == ("one",)
        assert webhook_keyring(settings).secrets("mail") == ("two", "three")

    def test_a_provider_name_is_lower_case_with_dashes(self) -> None:
        with pytest.raises(ValueError, match="provider"):
            WebhookKeyring({}, fallback=b"f").secrets("../sms")
