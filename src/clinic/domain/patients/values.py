"""Value objects of the patient profile."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any
from zoneinfo import available_timezones

from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.shared.dates import parse_date
from clinic.domain.shared.email import Email
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.phone import Phone
from clinic.domain.shared.text import multi_line, present, single_line

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MAX_NAME_LENGTH = 100
MAX_CITY_LENGTH = 100
MAX_ADDRESS_LENGTH = 300
MAX_COMMENT_LENGTH = 1000
_POSTCODE = re.compile(r"\d{6}")
IDENTIFYING_FIELDS = ("surname", "given_name", "phone", "email")
"""A registration needs one of these to tell who the patient is."""
_UNIDENTIFIABLE = InvalidFieldError(
    "surname", "a name, a phone or an e-mail is required", "unidentifiable"
)
CONTACT_FIELDS = frozenset({"phone", "email"})
"""Registered with the personal data; changed later as contact points, never corrected."""
_WORD = re.compile(r"[^\W\d_]+")
_NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


class PatientStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"
    MERGED = "merged"
    ERASED = "erased"


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Validated personal data of one patient; build it with `PersonalData.parse`."""

    surname: str | None
    given_name: str | None
    patronymic: str | None
    sex: Sex | None
    birth_date: date | None
    phone: Phone | None
    email: Email | None
    city: str | None = None
    address: str | None = None
    postcode: str | None = None
    time_zone: str | None = None

    @classmethod
    def parse(cls, *, today: date, **raw: Any) -> PersonalData:
        """Validates every field and reports all bad ones at once (InvalidPersonalDataError).

        Only a way to tell who the patient is is required: a name part, a phone or an e-mail
        (source systems often hold just a phone); the name parts given must be valid."""
        parsers = _parsers(today, names_required=False)
        given = {field: raw.get(field) for field in parsers}
        problems = [] if any(present(given[f]) for f in IDENTIFYING_FIELDS) else [_UNIDENTIFIABLE]
        return cls(**_parse_each(parsers, given, raw, problems))

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)


def parse_correction(*, today: date, **raw: Any) -> dict[str, Any]:
    """The normalised values of the fields given (None clears an optional one); contact points
    are changed on their own, so `phone` and `email` are refused. Sex comes back as its code."""
    parsers = {
        f: p for f, p in _parsers(today, names_required=True).items() if f not in CONTACT_FIELDS
    }
    refused = [
        InvalidFieldError(f, "a contact point: add or remove it instead", "not_correctable")
        for f in sorted(CONTACT_FIELDS & set(raw))
    ]
    given = {f: v for f, v in raw.items() if f in parsers}
    values = _parse_each(
        parsers, given, {f: v for f, v in raw.items() if f not in CONTACT_FIELDS}, refused
    )
    return {f: v.value if isinstance(v, Sex) else v for f, v in values.items()}


def parse_comment(value: Any, field: str = "comment") -> str:
    """A comment a person must give (why a profile is archived): non-blank, at most 1000."""
    if not present(value):
        raise InvalidFieldError(field, "is required", "required")
    return multi_line(value, field, MAX_COMMENT_LENGTH)


def parse_postcode(value: Any, field: str = "postcode") -> str:
    """A Russian postcode: six digits (spaces are ignored)."""
    text = "".join(str(value).split())
    if not _POSTCODE.fullmatch(text):
        raise InvalidFieldError(field, "a postcode is six digits", "invalid_postcode")
    return text


def parse_time_zone(value: Any, field: str = "time_zone") -> str:
    """An IANA time zone name such as `Europe/Moscow`."""
    text = str(value).strip()
    if text not in _time_zones():
        raise InvalidFieldError(
            field, f"not an IANA time zone such as Europe/Moscow: {value!r}", "invalid_time_zone"
        )
    return text


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _parsers(today: date, *, names_required: bool) -> Mapping[str, Callable[[Any], Any]]:
    """`names_required`: surname and given name cannot be blank (a correction never clears
    them; a registration may lack them). Built once per day and flag (a read-only mapping)."""
    return _parsers_of(today, names_required)


@lru_cache(maxsize=8)
def _parsers_of(today: date, names_required: bool) -> Mapping[str, Callable[[Any], Any]]:
    return MappingProxyType(
        {
            "surname": lambda v: _name(v, "surname", required=names_required),
            "given_name": lambda v: _name(v, "given_name", required=names_required),
            "patronymic": lambda v: _name(v, "patronymic", required=False),
            "sex": _sex,
            "birth_date": lambda v: _birth_date(v, today),
            "phone": lambda v: Phone.parse(v) if present(v) else None,
            "email": lambda v: Email.parse(v) if present(v) else None,
            "city": lambda v: single_line(v, "city", MAX_CITY_LENGTH) if present(v) else None,
            "address": (
                lambda v: single_line(v, "address", MAX_ADDRESS_LENGTH) if present(v) else None
            ),
            "postcode": lambda v: parse_postcode(v) if present(v) else None,
            "time_zone": lambda v: parse_time_zone(v) if present(v) else None,
        }
    )


def _parse_each(
    parsers: Mapping[str, Callable[[Any], Any]],
    given: dict[str, Any],
    raw: dict[str, Any],
    problems: list[InvalidFieldError] | None = None,
) -> dict[str, Any]:
    """Parses each given field, reporting every bad or unknown field of `raw` at once."""
    problems = list(problems or [])
    problems += [
        InvalidFieldError(f, "unknown field", "unknown_field")
        for f in sorted(f for f in raw if f not in parsers)
    ]
    values: dict[str, Any] = {}
    for field, value in given.items():
        try:
            values[field] = parsers[field](value)
        except InvalidFieldError as error:
            problems.append(error)
    if problems:
        raise InvalidPersonalDataError.of(problems)
    return values


def _name(value: Any, field: str, *, required: bool) -> str | None:
    if not present(value):
        if required:
            raise InvalidFieldError(field, "is required", "required")
        return None
    if not isinstance(value, str):
        raise InvalidFieldError(field, "must be text", "not_text")
    text = " ".join(value.split())
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidFieldError(field, f"at most {MAX_NAME_LENGTH} characters", "too_long")
    if not _NAME_PATTERN.match(text):
        raise InvalidFieldError(
            field, "letters, spaces, hyphens and apostrophes only", "not_a_name"
        )
    if text.islower() or text.isupper():
        text = _WORD.sub(lambda word: word[0][:1].upper() + word[0][1:].lower(), text)
    return text


_SEX_ALIASES = {"F": Sex.FEMALE, "Ж": Sex.FEMALE, "M": Sex.MALE, "М": Sex.MALE}


def _sex(value: Any) -> Sex | None:
    if not present(value):
        return None
    sex = _SEX_ALIASES.get(str(value).strip().upper())
    if sex is None:
        raise InvalidFieldError("sex", f"expected F or M, got {value!r}", "invalid_sex")
    return sex


def _birth_date(value: Any, today: date) -> date | None:
    if not present(value):
        return None
    born = parse_date(value, "birth_date")
    if born > today:
        raise InvalidFieldError("birth_date", "cannot be in the future", "in_future")
    if born < EARLIEST_BIRTH_DATE:
        raise InvalidFieldError("birth_date", "cannot be before 01.01.1900", "too_early")
    return born
