"""Who the patient list shows, and in which order: its filters and sorts.

The same filter selects the patients of a list page, of its count and of a bulk change "for
everyone matching", so what an administrator sees counted is what gets changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from clinic.domain.patients.consents import Channel, Purpose
from clinic.domain.patients.sources import parse_source
from clinic.domain.patients.tags import parse_tag
from clinic.domain.patients.values import MAX_CITY_LENGTH, PatientStatus
from clinic.domain.shared.age_bands import BirthDates, latest_birth_date_of_age
from clinic.domain.shared.dates import parse_date
from clinic.domain.shared.errors import InvalidFieldError, InvalidInputError
from clinic.domain.shared.text import single_line

LISTED_STATUSES = (PatientStatus.ACTIVE, PatientStatus.ARCHIVED, PatientStatus.MERGED)
"""The statuses of listed patients (an erased one has no row)."""
OLDEST_AGE = 150


class PatientSort(StrEnum):
    """Orders of the patient list; a leading `-` reverses one (newest, youngest first).
    Patients without the value sorted on (no birth date) come last either way."""

    NAME = "name"
    REGISTERED_AT = "registered_at"
    NEWEST_FIRST = "-registered_at"
    BIRTH_DATE = "birth_date"
    YOUNGEST_FIRST = "-birth_date"


@dataclass(frozen=True, slots=True)
class PatientListFilter:
    """Which patients a list page, a count or a bulk change covers; None matches anyone.

    Build it with `parse`, which normalises the values as the profile stores them (tags
    case-folded, sources lower-case). The city matches ignoring case and ё/е; ages are whole
    years on the day of the question; `registered_to` is inclusive; registration days are UTC.
    """

    status: PatientStatus | None = None
    sex: str | None = None
    age_from: int | None = None
    age_to: int | None = None
    city: str | None = None
    tag: str | None = None
    source: str | None = None
    consent: tuple[Channel, Purpose] | None = None
    """A consent granted on this channel for this purpose."""
    registered_from: date | None = None
    registered_to: date | None = None

    @classmethod
    def parse(cls, **raw: Any) -> PatientListFilter:
        """Validates every filter given (None or absent: not filtered) and reports all bad ones
        at once (InvalidInputError naming each)."""
        unknown = sorted(set(raw) - set(_PARSERS))
        problems = [InvalidFieldError(f, "unknown filter", "unknown_field") for f in unknown]
        values: dict[str, Any] = {}
        for field, parser in _PARSERS.items():
            if raw.get(field) is None:
                continue
            try:
                values[field] = parser(raw[field])
            except InvalidFieldError as error:
                problems.append(error)
        if problems:
            raise InvalidInputError.of(problems)
        return cls(**values)._checked()

    def birth_dates(self, today: date) -> BirthDates | None:
        """The birth dates of the age range on `today`; None when no age is asked for."""
        if self.age_from is None and self.age_to is None:
            return None
        return BirthDates(
            after=None if self.age_to is None else latest_birth_date_of_age(self.age_to + 1, today),
            until=None if self.age_from is None else latest_birth_date_of_age(self.age_from, today),
        )

    def _checked(self) -> PatientListFilter:
        if self.age_from is not None and self.age_to is not None and self.age_to < self.age_from:
            raise InvalidFieldError("age_to", "must not be below age_from", "reversed_range")
        if (
            self.registered_from is not None
            and self.registered_to is not None
            and self.registered_to < self.registered_from
        ):
            raise InvalidFieldError(
                "registered_to", "must not be before registered_from", "reversed_range"
            )
        return self


@dataclass(frozen=True, slots=True)
class PatientCriteria:
    """Who a page, a count or a bulk change covers, as the view reads it: the search text (a
    name prefix, a phone or an e-mail), the filters, and the day ages are counted on."""

    query: str
    filters: PatientListFilter
    today: date


def parse_consent(raw: Any, field: str = "consent") -> tuple[Channel, Purpose]:
    """`sms:marketing` → (Channel.SMS, Purpose.MARKETING)."""
    channel, _, purpose = str(raw).strip().lower().partition(":")
    try:
        return Channel(channel), Purpose(purpose)
    except ValueError:
        channels, purposes = "|".join(Channel), "|".join(Purpose)
        raise InvalidFieldError(
            field, f"expected channel:purpose, one of {channels} : {purposes}", "invalid_consent"
        ) from None


def _status(raw: Any) -> PatientStatus:
    text = str(raw).strip().lower()
    if text not in LISTED_STATUSES:
        listed = ", ".join(LISTED_STATUSES)
        raise InvalidFieldError("status", f"one of {listed}", "invalid_status")
    return PatientStatus(text)


def _sex(raw: Any) -> str:
    text = str(raw).strip().upper()
    if text not in ("F", "M"):
        raise InvalidFieldError("sex", "F (female) or M (male)", "invalid_sex")
    return text


def _age(field: str) -> Callable[[Any], int]:
    def parse(raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= OLDEST_AGE:
            raise InvalidFieldError(field, f"whole years from 0 to {OLDEST_AGE}", "invalid_age")
        return raw

    return parse


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "status": _status,
    "sex": _sex,
    "age_from": _age("age_from"),
    "age_to": _age("age_to"),
    "city": lambda raw: single_line(raw, "city", MAX_CITY_LENGTH),
    "tag": parse_tag,
    "source": parse_source,
    "consent": parse_consent,
    "registered_from": lambda raw: parse_date(raw, "registered_from"),
    "registered_to": lambda raw: parse_date(raw, "registered_to"),
}
