from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.phone import Phone, normalise_phone, phone_search_digits
from tests.unit.domain.strategies import Written, mobile_phones


class TestNormalisePhone:
    @pytest.mark.parametrize(
        "typed",
        [
            "8 (916) 123-45-67",
            "+7 916 1234567",
            "9161234567",
            "+7(916)123-45-67",
            "8-916-123-45-67",
            "89161234567",
            "+79161234567",
            "  8 916 123 45 67  ",
        ],
    )
    def test_common_russian_forms_give_e164(self, typed: str) -> None:
        assert normalise_phone(typed) == "+79161234567"

    @pytest.mark.parametrize(
        ("typed", "e164"),
        [
            ("+7 (495) 123-45-67", "+74951234567"),
            ("8 800 555-35-35", "+78005553535"),
            ("+44 20 7946 0958", "+442079460958"),
        ],
    )
    def test_landlines_free_phone_and_foreign_numbers_are_accepted(
        self, typed: str, e164: str
    ) -> None:
        assert normalise_phone(typed) == e164

    @pytest.mark.parametrize(
        "typed",
        [
            "",
            "   ",
            "phone",
            "12345",
            "916123",
            "+7 916 123",
            "8 (916) 123-45-67-89",
            "0000000000",
            "+0 123",
        ],
    )
    def test_garbage_and_short_numbers_are_rejected_naming_phone(self, typed: str) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            normalise_phone(typed)
        assert raised.value.field == "phone"

    @given(mobile_phones())
    def test_any_common_form_of_a_mobile_number_gives_its_e164(self, phone: Written) -> None:
        assert normalise_phone(phone.typed) == phone.canonical

    @given(mobile_phones())
    def test_normalisation_is_idempotent(self, phone: Written) -> None:
        once = normalise_phone(phone.typed)
        assert normalise_phone(once) == once


class TestPhone:
    def test_parse_keeps_the_e164_form(self) -> None:
        phone = Phone.parse("8 (916) 123-45-67")
        assert phone.e164 == "+79161234567"
        assert str(phone) == "+79161234567"

    def test_parse_names_the_field_it_was_given(self) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            Phone.parse("12", field="representative_phone")
        assert raised.value.field == "representative_phone"

    def test_a_phone_is_only_constructed_from_e164(self) -> None:
        with pytest.raises(InvalidFieldError):
            Phone("8 (916) 123-45-67")

    def test_phones_with_the_same_number_are_equal(self) -> None:
        assert Phone.parse("8-916-123-45-67") == Phone.parse("+7 916 1234567")


class TestPhoneSearchDigits:
    @pytest.mark.parametrize("typed", ["8916", "916", "+7916", "+7 916", "8 (916", "7916"])
    def test_every_way_of_starting_a_russian_mobile_gives_the_same_digits(self, typed: str) -> None:
        assert phone_search_digits(typed) == "7916"

    def test_foreign_numbers_keep_their_country_code(self) -> None:
        assert phone_search_digits("+44 20 7946") == "44207946"

    @given(mobile_phones())
    def test_a_full_number_in_any_form_gives_the_e164_digits(self, phone: Written) -> None:
        assert phone_search_digits(phone.typed) == phone.canonical.removeprefix("+")

    @given(mobile_phones(), st.data())
    def test_a_typed_beginning_of_a_number_is_a_prefix_of_its_e164_digits(
        self, phone: Written, data: st.DataObject
    ) -> None:
        typed = phone.typed.strip()
        digit_positions = [i for i, ch in enumerate(typed) if ch.isdigit()]
        cut = data.draw(st.sampled_from(digit_positions[1:]), label="last typed digit")
        beginning = typed[: cut + 1]
        assert phone.canonical.removeprefix("+").startswith(phone_search_digits(beginning))


class TestDisplay:
    def test_a_russian_mobile_reads_with_spaces_and_dashes(self) -> None:
        assert Phone("+79161234567").display == "+7 916 123-45-67"
