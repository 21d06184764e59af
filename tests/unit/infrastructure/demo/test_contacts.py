from __future__ import annotations

import random

import phonenumbers
import pytest

from clinic.domain.shared.phone import normalise_phone
from clinic.infrastructure.demo.contacts import (
    OPERATOR_CODES,
    PHONE_FORMS,
    mobile_number,
    transliterate,
    typed_phone,
)


def is_russian_mobile(national: str) -> bool:
    number = phonenumbers.parse("+7" + national, "RU")
    return (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == "RU"
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    )


class TestMobileNumbers:
    @pytest.mark.parametrize("code", OPERATOR_CODES.items)
    def test_every_operator_code_gives_valid_russian_mobiles(self, code: int) -> None:
        for subscriber in ("0000000", "4567890", "9999999"):
            assert is_russian_mobile(f"{code}{subscriber}")

    def test_random_numbers_are_valid_russian_mobiles(self) -> None:
        rng = random.Random(1)
        assert all(is_russian_mobile(mobile_number(rng)) for _ in range(2000))


class TestTypedPhones:
    @pytest.mark.parametrize("form", PHONE_FORMS.items)
    def test_every_typed_form_normalises_to_the_same_number(self, form: str) -> None:
        typed = form.format(c="916", a="123", b="45", d="67")
        assert normalise_phone(typed) == "+79161234567"

    def test_typing_keeps_the_digits(self) -> None:
        typed = typed_phone(random.Random(2), "9031234567")
        assert "".join(ch for ch in typed if ch.isdigit()).endswith("9031234567")


class TestTransliteration:
    @pytest.mark.parametrize(
        ("name", "latin"),
        [("Фёдор", "fedor"), ("Щукина", "shchukina"), ("Зайцева", "zaytseva"), ("Ия", "iya")],
    )
    def test_names_are_spelled_as_in_a_passport(self, name: str, latin: str) -> None:
        assert transliterate(name) == latin
