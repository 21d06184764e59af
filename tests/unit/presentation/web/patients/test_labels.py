"""How the patient screens word what a profile holds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinic.application.patients.profile import ProfileChange
from clinic.presentation.web.patients import labels

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


class TestPatientsAccusative:
    @pytest.mark.parametrize(
        ("count", "words"),
        [
            (1, "1 пациента"),
            (3, "3 пациентов"),
            (5, "5 пациентов"),
            (11, "11 пациентов"),
            (21, "21 пациента"),
            (111, "111 пациентов"),
        ],
    )
    def test_the_noun_agrees_with_the_count(self, count: int, words: str) -> None:
        assert labels.patients_accusative(count) == words


class TestChangeDetails:
    def test_personal_fields_are_named_and_other_values_shown_in_russian(self) -> None:
        change = ProfileChange(
            at=AT,
            by="admin",
            change="consent.granted",
            fields=("channel", "purpose", "source", "evidence", "at"),
            values={
                "channel": "sms",
                "purpose": "marketing",
                "source": "paper_form",
                "at": AT.isoformat(),
            },
        )
        assert labels.change_details(change) == (
            "Канал: SMS, Цель: маркетинг, Источник: бумажная анкета, Подтверждение, "
            "Когда дано: 01.03.2026 09:30 UTC"
        )

    def test_unknown_fields_and_values_are_shown_as_they_are(self) -> None:
        change = ProfileChange(AT, None, "patient.merged", ("rule", "score"), {"rule": "phone"})
        assert labels.change_details(change) == "rule: phone, score"


class TestContact:
    def test_phones_read_in_international_form_and_other_contacts_as_stored(self) -> None:
        assert labels.contact("phone", "+79161234567") == "+7 916 123-45-67"
        assert labels.contact("whatsapp", "+79161234567") == "+7 916 123-45-67"
        assert labels.contact("email", "Anna@example.ru") == "Anna@example.ru"
