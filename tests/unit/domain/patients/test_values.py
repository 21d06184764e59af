from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given

from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.patients.values import PersonalData, Sex, parse_comment, parse_correction
from clinic.domain.shared.email import Email
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.phone import Phone
from tests.unit.domain.strategies import Written, registrations

TODAY = date(2025, 6, 1)
VALID = {"surname": "Иванова", "given_name": "Мария"}


def parse(**raw: Any) -> PersonalData:
    return PersonalData.parse(today=TODAY, **raw)


def errors_of(**raw: Any) -> dict[str, str]:
    with pytest.raises(InvalidPersonalDataError) as raised:
        parse(**raw)
    return raised.value.errors


class TestParsePersonalData:
    def test_every_field_is_normalised(self) -> None:
        data = parse(
            surname="Иванова",
            given_name="Мария",
            patronymic="Петровна",
            sex="Ж",
            birth_date="15.03.1985",
            phone="8 (916) 123-45-67",
            email="maria@Mail.RU",
        )
        assert data == PersonalData(
            surname="Иванова",
            given_name="Мария",
            patronymic="Петровна",
            sex=Sex.FEMALE,
            birth_date=date(1985, 3, 15),
            phone=Phone("+79161234567"),
            email=Email("maria@mail.ru"),
        )

    def test_only_surname_and_given_name_are_needed(self) -> None:
        data = parse(**VALID)
        assert (data.patronymic, data.sex, data.birth_date, data.phone, data.email) == (
            None,
            None,
            None,
            None,
            None,
        )

    @pytest.mark.parametrize("blank", [None, "", "   "])
    def test_blank_optional_fields_are_absent(self, blank: str | None) -> None:
        data = parse(
            **VALID, patronymic=blank, sex=blank, birth_date=blank, phone=blank, email=blank
        )
        assert (data.patronymic, data.sex, data.birth_date, data.phone, data.email) == (
            None,
            None,
            None,
            None,
            None,
        )

    def test_inner_whitespace_of_a_name_is_collapsed(self) -> None:
        assert parse(surname="  Римский-Корсакова ", given_name="Анна   Мария").given_name == (
            "Анна Мария"
        )

    def test_full_name_joins_the_parts_present(self) -> None:
        assert parse(**VALID, patronymic="Петровна").full_name == "Иванова Мария Петровна"
        assert parse(**VALID).full_name == "Иванова Мария"

    @given(registrations(TODAY))
    def test_any_valid_typing_parses_to_its_normalised_form(self, registration: Written) -> None:
        data = parse(**registration.typed)
        expected = registration.canonical
        assert data.surname == expected["surname"]
        assert data.given_name == expected["given_name"]
        assert data.patronymic == expected["patronymic"]
        assert (data.sex.value if data.sex else None) == expected["sex"]
        assert data.birth_date == expected["birth_date"]
        assert (data.phone.e164 if data.phone else None) == expected["phone"]
        assert (data.email.address if data.email else None) == expected["email"]


class TestNames:
    @pytest.mark.parametrize("field", ["surname", "given_name"])
    @pytest.mark.parametrize("blank", [None, "", "   "])
    def test_one_name_part_is_enough(self, field: str, blank: str | None) -> None:
        data = parse(**(VALID | {field: blank}))
        assert getattr(data, field) is None

    @pytest.mark.parametrize("contact", [{"phone": "89161234567"}, {"email": "a@mail.ru"}])
    def test_a_phone_or_an_email_alone_tells_who_the_patient_is(
        self, contact: dict[str, str]
    ) -> None:
        data = parse(**contact)
        assert (data.surname, data.given_name) == (None, None)

    @pytest.mark.parametrize("blank", [None, "", "   "])
    def test_without_a_name_a_phone_or_an_email_the_patient_is_unidentifiable(
        self, blank: str | None
    ) -> None:
        errors = errors_of(surname=blank, given_name=blank, sex="F", birth_date="01.01.1990")
        assert errors == {"surname": "a name, a phone or an e-mail is required"}

    @pytest.mark.parametrize("bad", ["Иванова2", "Ива_нова", "<script>", "--", "Иванова!"])
    def test_a_name_with_other_than_letters_and_separators_is_rejected(self, bad: str) -> None:
        assert set(errors_of(**(VALID | {"surname": bad}))) == {"surname"}

    @pytest.mark.parametrize("good", ["Салтыков-Щедрин", "Д'Артаньян", "O'Neil", "Мария Елена"])
    def test_hyphens_apostrophes_and_spaces_join_name_parts(self, good: str) -> None:
        assert parse(**(VALID | {"surname": good})).surname == good

    def test_a_name_longer_than_100_characters_is_rejected(self) -> None:
        longest = "Я" + "я" * 99
        assert parse(**(VALID | {"surname": longest})).surname == longest
        assert set(errors_of(**(VALID | {"surname": longest + "я"}))) == {"surname"}

    def test_a_name_that_is_not_text_is_rejected(self) -> None:
        assert set(errors_of(**(VALID | {"given_name": 42}))) == {"given_name"}


class TestNameCapitalisation:
    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            ("иванова", "Иванова"),
            ("ИВАНОВА", "Иванова"),
            ("салтыков-щедрин", "Салтыков-Щедрин"),
            ("САЛТЫКОВ-ЩЕДРИН", "Салтыков-Щедрин"),
        ],
    )
    def test_all_lower_or_all_upper_names_are_capitalised(self, typed: str, expected: str) -> None:
        assert parse(**(VALID | {"surname": typed})).surname == expected

    @pytest.mark.parametrize("mixed", ["МакДональд", "deVries", "Иванова"])
    def test_mixed_case_names_are_kept_as_typed(self, mixed: str) -> None:
        assert parse(**(VALID | {"surname": mixed})).surname == mixed

    @pytest.mark.parametrize("typed", ["анна мария", "АННА МАРИЯ"])
    def test_every_word_of_a_multi_word_name_is_capitalised(self, typed: str) -> None:
        assert parse(**(VALID | {"given_name": typed})).given_name == "Анна Мария"


class TestSex:
    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            ("F", Sex.FEMALE),
            ("f", Sex.FEMALE),
            ("Ж", Sex.FEMALE),
            ("ж", Sex.FEMALE),
            ("M", Sex.MALE),
            ("m", Sex.MALE),
            ("М", Sex.MALE),
            ("м", Sex.MALE),
        ],
    )
    def test_latin_and_cyrillic_letters_are_accepted(self, typed: str, expected: Sex) -> None:
        assert parse(**VALID, sex=typed).sex is expected

    @pytest.mark.parametrize("bad", ["X", "female", "1", "МЖ"])
    def test_anything_else_is_rejected_naming_sex(self, bad: str) -> None:
        assert set(errors_of(**VALID, sex=bad)) == {"sex"}


class TestBirthDate:
    @pytest.mark.parametrize(
        "typed", ["15.03.1985", "1985-03-15", date(1985, 3, 15)], ids=["ru", "iso", "date"]
    )
    def test_russian_iso_and_date_forms_are_accepted(self, typed: str | date) -> None:
        assert parse(**VALID, birth_date=typed).birth_date == date(1985, 3, 15)

    def test_today_is_a_valid_birth_date(self) -> None:
        assert parse(**VALID, birth_date=TODAY).birth_date == TODAY

    def test_a_birth_date_after_today_is_rejected(self) -> None:
        assert set(errors_of(**VALID, birth_date="02.06.2025")) == {"birth_date"}

    def test_the_future_is_judged_against_the_given_today(self) -> None:
        later = PersonalData.parse(today=date(2025, 6, 2), **VALID, birth_date="02.06.2025")
        assert later.birth_date == date(2025, 6, 2)

    def test_the_first_of_january_1900_is_the_earliest_birth_date(self) -> None:
        assert parse(**VALID, birth_date="01.01.1900").birth_date == date(1900, 1, 1)
        assert set(errors_of(**VALID, birth_date="31.12.1899")) == {"birth_date"}

    @pytest.mark.parametrize("bad", ["31.02.1985", "15/03/1985", "давно"])
    def test_an_unreadable_birth_date_is_rejected_naming_birth_date(self, bad: str) -> None:
        assert set(errors_of(**VALID, birth_date=bad)) == {"birth_date"}


class TestContacts:
    def test_a_bad_phone_is_reported_as_phone(self) -> None:
        assert set(errors_of(**VALID, phone="123")) == {"phone"}

    def test_a_bad_email_is_reported_as_email(self) -> None:
        assert set(errors_of(**VALID, email="maria@")) == {"email"}


class TestAllErrorsAtOnce:
    def test_every_invalid_field_is_named_in_one_error(self) -> None:
        errors = errors_of(
            surname="2",
            given_name="1",
            sex="X",
            birth_date="01.01.2999",
            phone="12",
            email="nope",
        )
        assert set(errors) == {"surname", "given_name", "sex", "birth_date", "phone", "email"}
        assert all(message for message in errors.values())

    def test_the_error_message_names_each_field(self) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            parse(surname="Ив4", given_name="Мария", phone="12")
        assert "surname" in str(raised.value)
        assert "phone" in str(raised.value)


class TestUnknownFields:
    def test_an_unknown_field_is_rejected_by_name(self) -> None:
        assert errors_of(**VALID, nickname="Маша") == {"nickname": "unknown field"}

    def test_unknown_fields_are_reported_with_the_invalid_ones(self) -> None:
        assert set(errors_of(surname="Иванова1", nickname="Маша", diagnosis="J06")) == {
            "surname",
            "nickname",
            "diagnosis",
        }


class TestNonTextValues:
    """Spreadsheet imports hand over numbers for phones and dates; they are field errors too."""

    @pytest.mark.parametrize(
        ("field", "value"), [("birth_date", 19850315), ("email", 5), ("phone", 1.5)]
    )
    def test_a_number_where_text_is_expected_is_a_field_error(self, field: str, value: int) -> None:
        assert set(errors_of(**VALID, **{field: value})) == {field}

    def test_a_whole_number_phone_is_read_as_its_digits(self) -> None:
        assert parse(**(VALID | {"phone": 79161234567})).phone == Phone("+79161234567")


class TestErrorCodes:
    def test_every_invalid_field_carries_the_code_of_its_rule(self) -> None:
        with pytest.raises(InvalidPersonalDataError) as caught:
            PersonalData.parse(
                today=date(2026, 11, 22), surname="1", given_name="Анна", phone="12", email="x"
            )
        assert caught.value.codes == {
            "surname": "not_a_name",
            "phone": "invalid_phone",
            "email": "invalid_email",
        }


class TestPlace:
    def test_city_address_postcode_and_time_zone_are_normalised(self) -> None:
        data = parse(
            **VALID,
            city="  Нижний   Новгород ",
            address=" ул. Ленина, д. 1 ",
            postcode="603 000",
            time_zone=" Europe/Moscow ",
        )
        assert (data.city, data.address, data.postcode, data.time_zone) == (
            "Нижний Новгород",
            "ул. Ленина, д. 1",
            "603000",
            "Europe/Moscow",
        )

    def test_bad_place_fields_are_named(self) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            parse(
                **VALID, city="x" * 101, address="a\x07b", postcode="12345", time_zone="Mars/Base"
            )
        codes = raised.value.codes
        assert codes == {
            "city": "too_long",
            "address": "control_chars",
            "postcode": "invalid_postcode",
            "time_zone": "invalid_time_zone",
        }


class TestParseCorrection:
    def test_only_the_fields_given_come_back_normalised(self) -> None:
        assert parse_correction(today=TODAY, surname="петрова", sex="ж", patronymic=None) == {
            "surname": "Петрова",
            "sex": "F",
            "patronymic": None,
        }

    def test_required_names_cannot_be_cleared_and_contacts_are_not_corrected(self) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            parse_correction(today=TODAY, given_name="", phone="+79161234567", eye_colour="blue")
        assert raised.value.codes == {
            "given_name": "required",
            "phone": "not_correctable",
            "eye_colour": "unknown_field",
        }


class TestParseComment:
    def test_a_comment_keeps_its_lines(self) -> None:
        assert parse_comment("  duplicate \n of #12  ") == "duplicate\n of #12"

    @pytest.mark.parametrize("blank", [None, "", "  \n "])
    def test_a_comment_is_required(self, blank: str | None) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            parse_comment(blank)
        assert (raised.value.field, raised.value.code) == ("comment", "required")
