"""Age bands: how old a person is, told coarsely enough that it does not identify them.

The band is worked out on the day of the question (a birth date is fixed, an age is not), so read
models keep birth dates and queries turn them into bands against the clock's today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clinic.domain.shared.errors import InvalidFieldError


class AgeBand(StrEnum):
    UNDER_18 = "0–17"
    FROM_18 = "18–24"
    FROM_25 = "25–34"
    FROM_35 = "35–44"
    FROM_45 = "45–54"
    FROM_55 = "55–64"
    FROM_65 = "65+"
    UNKNOWN = "unknown"


YOUNGEST_AGE: dict[AgeBand, int] = {
    AgeBand.FROM_18: 18,
    AgeBand.FROM_25: 25,
    AgeBand.FROM_35: 35,
    AgeBand.FROM_45: 45,
    AgeBand.FROM_55: 55,
    AgeBand.FROM_65: 65,
}
"""The youngest age in each band but the first (which takes everyone younger than 18)."""

AGE_BANDS = tuple(band for band in AgeBand if band is not AgeBand.UNKNOWN)
"""The bands of known ages, youngest first."""


@dataclass(frozen=True, slots=True)
class BirthDates:
    """The birth dates of one band's people on a given day: born after `after` (exclusive) and
    on or before `until` (inclusive); None is open-ended."""

    after: date | None
    until: date | None


def age_on(birth_date: date, today: date) -> int:
    """Full years lived on `today` (negative for a birth date still to come)."""
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)


def band_of_age(age: int) -> AgeBand:
    """The band of `age`; every age under 18 (even a negative one) is 0–17."""
    band = AgeBand.UNDER_18
    for candidate, youngest in YOUNGEST_AGE.items():
        if age >= youngest:
            band = candidate
    return band


def age_band(birth_date: date | None, today: date) -> AgeBand:
    return AgeBand.UNKNOWN if birth_date is None else band_of_age(age_on(birth_date, today))


def latest_birth_date_of_age(age: int, today: date) -> date:
    """The latest birth date of anyone at least `age` years old on `today`."""
    year = today.year - age
    try:
        return today.replace(year=year)
    except ValueError:  # today is 29 February and that year had none: born by the 28th
        return date(year, 2, 28)


def birth_dates_of(band: AgeBand, today: date) -> BirthDates:
    """Who is in `band` on `today`, as a range of birth dates (UNKNOWN has none: no birth date)."""
    if band is AgeBand.UNKNOWN:
        msg = "the unknown band is the people without a birth date"
        raise ValueError(msg)
    index = AGE_BANDS.index(band)
    older = AGE_BANDS[index + 1] if index + 1 < len(AGE_BANDS) else None
    youngest = YOUNGEST_AGE.get(band)
    return BirthDates(
        after=None if older is None else latest_birth_date_of_age(YOUNGEST_AGE[older], today),
        until=None if youngest is None else latest_birth_date_of_age(youngest, today),
    )


def parse_age_band(raw: str) -> AgeBand:
    """An age band as typed: `18–24`, `18-24` (hyphen) or `65+`; InvalidFieldError otherwise."""
    text = raw.strip().replace("-", "–")
    try:
        return AgeBand(text)
    except ValueError:
        allowed = ", ".join(band.value for band in AgeBand)
        raise InvalidFieldError("age_band", f"one of {allowed}", "invalid_age_band") from None
