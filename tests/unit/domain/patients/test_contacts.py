from __future__ import annotations

import pytest

from clinic.domain.patients.contacts import ContactKind, ContactPoint
from clinic.domain.patients.errors import InvalidPersonalDataError


class TestParseContactPoint:
    @pytest.mark.parametrize(
        ("kind", "typed", "normalised"),
        [
            ("phone", "8 (916) 123-45-67", "+79161234567"),
            ("WhatsApp", "+7 916 123 45 67", "+79161234567"),
            ("email", " Maria@Mail.RU ", "Maria@mail.ru"),
            ("telegram", " 123456789 ", "123456789"),
            ("telegram", "-1001234567890", "-1001234567890"),
        ],
    )
    def test_values_are_normalised_by_kind(self, kind: str, typed: str, normalised: str) -> None:
        point = ContactPoint.parse(kind, typed, " Import:MIS ")
        assert (point.kind, point.value, point.source) == (
            ContactKind(kind.lower()),
            normalised,
            "import:mis",
        )

    @pytest.mark.parametrize(
        ("kind", "value", "code"),
        [
            ("phone", "12", "invalid_phone"),
            ("whatsapp", "not a number", "invalid_phone"),
            ("email", "nope", "invalid_email"),
            ("telegram", "@maria", "invalid_telegram"),
            ("telegram", "12-34", "invalid_telegram"),
            ("phone", "  ", "required"),
        ],
    )
    def test_a_bad_value_is_named_with_its_rule(self, kind: str, value: str, code: str) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            ContactPoint.parse(kind, value, "manual")
        assert raised.value.codes == {"value": code}

    def test_every_bad_field_is_reported_at_once(self) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            ContactPoint.parse("pigeon", "x", "bad source!")
        assert raised.value.codes == {"kind": "invalid_kind", "source": "invalid_source"}

    def test_the_same_kind_and_value_is_the_same_point_whatever_its_source(self) -> None:
        first = ContactPoint.parse("phone", "89161234567", "manual")
        second = ContactPoint.parse("phone", "+7 916 123-45-67", "import")
        assert first.key == second.key
