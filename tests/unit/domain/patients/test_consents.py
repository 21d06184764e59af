from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinic.domain.patients.consents import Channel, Consent, Purpose
from clinic.domain.patients.errors import InvalidPersonalDataError

NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)


def consent(**overrides: object) -> Consent:
    raw: dict[str, object] = {
        "channel": "SMS",
        "purpose": "marketing",
        "granted": True,
        "source": "website",
        "at": NOW,
        "evidence": "  form 12  ",
    }
    return Consent.parse(**(raw | overrides))  # type: ignore[arg-type]


class TestParseConsent:
    def test_fields_are_normalised(self) -> None:
        assert consent() == Consent(Channel.SMS, Purpose.MARKETING, True, "website", NOW, "form 12")

    def test_evidence_may_be_absent(self) -> None:
        assert consent(evidence="  ").evidence is None

    def test_bad_fields_are_named(self) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            consent(channel="pigeon", purpose="fun", evidence="x" * 501)
        assert raised.value.codes == {
            "channel": "invalid_channel",
            "purpose": "invalid_purpose",
            "evidence": "too_long",
        }

    def test_the_same_word_again_differs_only_in_time(self) -> None:
        later = consent(at=datetime(2025, 6, 2, tzinfo=UTC))
        assert later.same_as(consent())
        assert not consent(evidence="form 13").same_as(consent())
        assert not consent(granted=False).same_as(consent())
