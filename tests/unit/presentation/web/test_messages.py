"""Validation errors read in Russian in the UI, whatever rule was broken."""

from __future__ import annotations

from datetime import date

import pytest

from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.patients.values import PersonalData
from clinic.domain.shared.errors import InvalidFieldError, InvalidInputError
from clinic.presentation.web.messages import FIELD_ERRORS, field_errors

TODAY = date(2026, 11, 22)


def russian_errors(**raw: object) -> dict[str, str]:
    with pytest.raises(InvalidPersonalDataError) as caught:
        PersonalData.parse(today=TODAY, **raw)
    return field_errors(caught.value)


class TestFieldErrors:
    def test_a_registration_without_name_phone_or_email_says_what_to_give(self) -> None:
        assert russian_errors(surname="", sex="F") == {
            "surname": "Укажите фамилию или имя, телефон или email"
        }

    def test_each_broken_rule_of_personal_data_has_russian_wording(self) -> None:
        errors = russian_errors(
            surname="Петров7",
            given_name="Анна1",
            sex="X",
            birth_date="31.02.1990",
            phone="12345",
            email="нет",
            shoe_size="42",
        )
        assert errors == {
            "surname": "Только буквы, пробелы, дефисы и апострофы",
            "given_name": "Только буквы, пробелы, дефисы и апострофы",
            "sex": "Укажите Ж или М",
            "birth_date": "Дата в формате ДД.ММ.ГГГГ",
            "phone": "Неверный номер телефона",
            "email": "Неверный адрес электронной почты",
            "shoe_size": "Неизвестное поле",
        }

    def test_dates_out_of_range_say_why(self) -> None:
        assert russian_errors(surname="А", given_name="Б", birth_date="01.01.2030") == {
            "birth_date": FIELD_ERRORS["in_future"]
        }
        assert russian_errors(surname="А", given_name="Б", birth_date="31.12.1899") == {
            "birth_date": FIELD_ERRORS["too_early"]
        }

    def test_an_unknown_code_falls_back_to_the_english_message(self) -> None:
        error = InvalidInputError({"phone": "something new"}, {"phone": "brand_new_rule"})
        assert field_errors(error) == {"phone": "something new"}

    def test_a_single_field_error_reads_in_russian_too(self) -> None:
        error = InvalidFieldError("comment", "is required", "required")
        assert field_errors(error) == {"comment": "Обязательное поле"}
