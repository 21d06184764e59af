from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.application.patients.list_filter import PatientListFilter, parse_consent
from clinic.domain.patients.consents import Channel, Purpose
from clinic.domain.patients.values import PatientStatus
from clinic.domain.shared.age_bands import age_on
from clinic.domain.shared.errors import InvalidFieldError, InvalidInputError


class TestParse:
    def test_nothing_given_selects_anyone(self) -> None:
        assert PatientListFilter.parse() == PatientListFilter()

    def test_none_is_not_filtered(self) -> None:
        assert PatientListFilter.parse(city=None, tag=None, age_from=None) == PatientListFilter()

    def test_values_are_normalised_as_the_profile_stores_them(self) -> None:
        parsed = PatientListFilter.parse(
            status=" Archived ",
            sex="f",
            city="  Нижний   Новгород ",
            tag="  VIP  Клиент ",
            source="Import:MIS",
            consent="SMS:Marketing",
            registered_from="2026-01-01",
            registered_to="31.01.2026",
        )
        assert parsed == PatientListFilter(
            status=PatientStatus.ARCHIVED,
            sex="F",
            city="Нижний Новгород",
            tag="vip клиент",
            source="import:mis",
            consent=(Channel.SMS, Purpose.MARKETING),
            registered_from=date(2026, 1, 1),
            registered_to=date(2026, 1, 31),
        )

    def test_every_bad_filter_is_reported_at_once(self) -> None:
        with pytest.raises(InvalidInputError) as raised:
            PatientListFilter.parse(
                status="erased",
                sex="X",
                age_from=-1,
                age_to=151,
                city=" ",
                tag="",
                source="не латиница",
                consent="sms",
                registered_from="2026-02-30",
                colour="red",
            )
        assert set(raised.value.errors) == {
            "status",
            "sex",
            "age_from",
            "age_to",
            "city",
            "tag",
            "source",
            "consent",
            "registered_from",
            "colour",
        }

    @pytest.mark.parametrize("age", [True, 1.5, "30"])
    def test_an_age_is_a_whole_number(self, age: Any) -> None:
        with pytest.raises(InvalidInputError) as raised:
            PatientListFilter.parse(age_from=age)
        assert raised.value.codes == {"age_from": "invalid_age"}

    def test_an_age_range_upside_down_names_its_upper_end(self) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            PatientListFilter.parse(age_from=40, age_to=30)
        assert (raised.value.field, raised.value.code) == ("age_to", "reversed_range")

    def test_one_age_is_a_range(self) -> None:
        assert PatientListFilter.parse(age_from=30, age_to=30).age_to == 30

    def test_registration_days_upside_down_name_the_last_day(self) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            PatientListFilter.parse(registered_from="2026-02-01", registered_to="2026-01-31")
        assert raised.value.field == "registered_to"


class TestParseConsent:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("sms:marketing", (Channel.SMS, Purpose.MARKETING)),
            ("email:service", (Channel.EMAIL, Purpose.SERVICE)),
            (" Telegram:Marketing ", (Channel.TELEGRAM, Purpose.MARKETING)),
        ],
    )
    def test_channel_and_purpose(self, raw: str, expected: tuple[Channel, Purpose]) -> None:
        assert parse_consent(raw) == expected

    @pytest.mark.parametrize("raw", ["sms", "sms:", ":marketing", "pigeon:marketing", "sms:spam"])
    def test_anything_else_is_refused(self, raw: str) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            parse_consent(raw)
        assert (raised.value.field, raised.value.code) == ("consent", "invalid_consent")


class TestBirthDates:
    def test_no_age_asked_for_is_no_range(self) -> None:
        assert PatientListFilter().birth_dates(date(2026, 6, 1)) is None

    @given(
        today=st.dates(date(1950, 1, 1), date(2100, 12, 31)),
        born=st.dates(date(1900, 1, 1), date(2100, 12, 31)),
        age_from=st.none() | st.integers(0, 120),
        age_to=st.none() | st.integers(0, 120),
    )
    def test_the_range_holds_exactly_the_birth_dates_of_those_ages(
        self, today: date, born: date, age_from: int | None, age_to: int | None
    ) -> None:
        if age_from is None and age_to is None:
            return
        if age_from is not None and age_to is not None and age_to < age_from:
            age_from, age_to = age_to, age_from
        dates = PatientListFilter(age_from=age_from, age_to=age_to).birth_dates(today)
        assert dates is not None
        in_range = (dates.after is None or born > dates.after) and (
            dates.until is None or born <= dates.until
        )
        age = age_on(born, today)
        assert in_range == (
            (age_from is None or age >= age_from) and (age_to is None or age <= age_to)
        )

    def test_someone_born_on_29_february_comes_of_age_on_1_march(self) -> None:
        dates = PatientListFilter(age_from=18).birth_dates(date(2026, 2, 28))
        assert dates is not None
        assert dates.until == date(2008, 2, 28)
        assert date(2008, 2, 29) > dates.until
