from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.domain.shared.dates import parse_date
from clinic.domain.shared.errors import InvalidFieldError


class TestParseDate:
    @pytest.mark.parametrize("typed", ["15.03.1985", "1985-03-15", " 15.03.1985 "])
    def test_russian_and_iso_forms_give_the_date(self, typed: str) -> None:
        assert parse_date(typed, "birth_date") == date(1985, 3, 15)

    def test_a_date_is_taken_as_is(self) -> None:
        assert parse_date(date(1985, 3, 15), "birth_date") == date(1985, 3, 15)

    def test_a_datetime_gives_its_calendar_date(self) -> None:
        moment = datetime(1985, 3, 15, 23, 30, tzinfo=UTC)
        assert parse_date(moment, "birth_date") == date(1985, 3, 15)

    @pytest.mark.parametrize(
        "typed",
        ["", "31.02.2020", "2020-13-01", "15/03/1985", "03.15.1985", "15.03.85", "yesterday"],
    )
    def test_an_invalid_date_is_rejected_naming_the_field(self, typed: str) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            parse_date(typed, "visit_day")
        assert raised.value.field == "visit_day"

    @given(st.dates(min_value=date(1000, 1, 1)))
    def test_both_forms_of_any_date_read_back_as_that_date(self, day: date) -> None:
        russian = f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
        assert parse_date(russian, "day") == day
        assert parse_date(day.isoformat(), "day") == day
