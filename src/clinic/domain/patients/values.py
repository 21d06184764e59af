"""Value objects of the patient profile."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.shared.dates import parse_date
from clinic.domain.shared.email import Email
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.phone import Phone

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MAX_NAME_LENGTH = 100
_WORD = re.compile(r"[^\W\d_]+")
_NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Validated personal data of one patient; build it with `PersonalData.parse`."""

    surname: str
    given_name: str
    patronymic: str | None
    sex: Sex | None
    birth_date: date | None
    phone: Phone | None
    email: Email | None

    @classmethod
    def parse(cls, *, today: date, **raw: Any) -> PersonalData:
        """Validates every field and reports all bad ones at once (InvalidPersonalDataError)."""
        problems: list[InvalidFieldError] = []
        values: dict[str, Any] = {}
        parsers: dict[str, Callable[[Any], Any]] = {
            "surname": lambda v: _name(v, "surname", required=True),
            "given_name": lambda v: _name(v, "given_name", required=True),
            "patronymic": lambda v: _name(v, "patronymic", required=False),
            "sex": _sex,
            "birth_date": lambda v: _birth_date(v, today),
            "phone": lambda v: Phone.parse(v) if _present(v) else None,
            "email": lambda v: Email.parse(v) if _present(v) else None,
        }
        unknown = set(raw) - set(parsers)
        problems += [
            InvalidFieldError(f, "unknown field", "unknown_field") for f in sorted(unknown)
        ]
        for field, parser in parsers.items():
            try:
                values[field] = parser(raw.get(field))
            except InvalidFieldError as error:
                problems.append(error)
        if problems:
            raise InvalidPersonalDataError.of(problems)
        return cls(**values)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _name(value: Any, field: str, *, required: bool) -> str | None:
    if not _present(value):
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


def _sex(value: Any) -> Sex | None:
    if not _present(value):
        return None
    text = str(value).strip().upper()
    aliases = {"F": Sex.FEMALE, "Ж": Sex.FEMALE, "M": Sex.MALE, "М": Sex.MALE}
    if text not in aliases:
        raise InvalidFieldError("sex", f"expected F or M, got {value!r}", "invalid_sex")
    return aliases[text]


def _birth_date(value: Any, today: date) -> date | None:
    if not _present(value):
        return None
    born = parse_date(value, "birth_date")
    if born > today:
        raise InvalidFieldError("birth_date", "cannot be in the future", "in_future")
    if born < EARLIEST_BIRTH_DATE:
        raise InvalidFieldError("birth_date", "cannot be before 01.01.1900", "too_early")
    return born
