from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.domain.shared.age_bands import (
    AGE_BANDS,
    AgeBand,
    age_band,
    age_on,
    band_of_age,
    birth_dates_of,
    parse_age_band,
)
from clinic.domain.shared.errors import InvalidFieldError

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
AGES = st.integers(min_value=0, max_value=130)
BAND_LIMITS = {  # the bands as the requirement states them: youngest and oldest age
    AgeBand.UNDER_18: (0, 17),
    AgeBand.FROM_18: (18, 24),
    AgeBand.FROM_25: (25, 34),
    AgeBand.FROM_35: (35, 44),
    AgeBand.FROM_45: (45, 54),
    AgeBand.FROM_55: (55, 64),
    AgeBand.FROM_65: (65, 10**6),
}


def in_range(birth_date: date, band: AgeBand, today: date) -> bool:
    dates = birth_dates_of(band, today)
    return (dates.after is None or birth_date > dates.after) and (
        dates.until is None or birth_date <= dates.until
    )


class TestAgeOn:
    @pytest.mark.parametrize(
        ("born", "today", "age"),
        [
            (date(1985, 3, 15), date(2026, 3, 14), 40),
            (date(1985, 3, 15), date(2026, 3, 15), 41),
            (date(2000, 2, 29), date(2026, 2, 28), 25),
            (date(2000, 2, 29), date(2026, 3, 1), 26),
            (date(2000, 2, 29), date(2028, 2, 29), 28),
            (date(2026, 3, 16), date(2026, 3, 15), -1),
        ],
    )
    def test_counts_full_years(self, born: date, today: date, age: int) -> None:
        assert age_on(born, today) == age

    @given(DAYS, DAYS)
    def test_a_day_later_one_is_the_same_age_or_a_year_older(self, born: date, today: date) -> None:
        assert age_on(born, today + timedelta(days=1)) - age_on(born, today) in {0, 1}


class TestBandOfAge:
    @given(AGES)
    def test_every_age_falls_in_exactly_one_band(self, age: int) -> None:
        containing = [b for b, (low, high) in BAND_LIMITS.items() if low <= age <= high]
        assert containing == [band_of_age(age)]

    @given(AGES, AGES)
    def test_the_band_never_goes_down_as_age_goes_up(self, one: int, other: int) -> None:
        younger, older = sorted((one, other))
        assert AGE_BANDS.index(band_of_age(younger)) <= AGE_BANDS.index(band_of_age(older))

    @given(st.integers(max_value=-1))
    def test_an_age_below_zero_counts_as_under_18(self, age: int) -> None:
        assert band_of_age(age) is AgeBand.UNDER_18

    @pytest.mark.parametrize(
        ("age", "band"),
        [
            (0, "0–17"),
            (17, "0–17"),
            (18, "18–24"),
            (24, "18–24"),
            (25, "25–34"),
            (64, "55–64"),
            (65, "65+"),
            (110, "65+"),
        ],
    )
    def test_bands_change_on_the_stated_birthdays(self, age: int, band: str) -> None:
        assert band_of_age(age).value == band


class TestAgeBand:
    def test_no_birth_date_is_unknown(self) -> None:
        assert age_band(None, date(2026, 1, 1)) is AgeBand.UNKNOWN

    def test_is_reckoned_on_the_day_asked(self) -> None:
        born = date(2008, 6, 1)
        assert age_band(born, date(2026, 5, 31)) is AgeBand.UNDER_18
        assert age_band(born, date(2026, 6, 1)) is AgeBand.FROM_18


class TestBirthDatesOf:
    @given(DAYS, DAYS)
    def test_a_birth_date_is_in_the_range_of_its_own_band_only(
        self, born: date, today: date
    ) -> None:
        containing = [band for band in AGE_BANDS if in_range(born, band, today)]
        assert containing == [age_band(born, today)]

    def test_the_unknown_band_has_no_birth_dates(self) -> None:
        with pytest.raises(ValueError, match="without a birth date"):
            birth_dates_of(AgeBand.UNKNOWN, date(2026, 1, 1))


class TestParseAgeBand:
    @pytest.mark.parametrize(
        ("typed", "band"),
        [
            ("18–24", AgeBand.FROM_18),
            ("18-24", AgeBand.FROM_18),
            (" 65+ ", AgeBand.FROM_65),
            ("unknown", AgeBand.UNKNOWN),
            ("0-17", AgeBand.UNDER_18),
        ],
    )
    def test_takes_an_en_dash_or_a_hyphen(self, typed: str, band: AgeBand) -> None:
        assert parse_age_band(typed) is band

    @pytest.mark.parametrize("typed", ["", "18", "18–25", "old"])
    def test_anything_else_is_an_invalid_field(self, typed: str) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            parse_age_band(typed)
        assert raised.value.field == "age_band"
