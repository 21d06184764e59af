"""Where data came from: source names and records in other systems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.text import single_line

MAX_SOURCE_LENGTH = 50
MAX_EXTERNAL_ID_LENGTH = 100
_SOURCE = re.compile(r"[a-z0-9][a-z0-9_.:-]*")


def parse_source(raw: Any, field: str = "source") -> str:
    """A source name such as `manual`, `import:xlsx`, `mis`, `website`: lower-case letters,
    digits and `_ . : -`, at most 50 characters."""
    text = single_line(raw, field, MAX_SOURCE_LENGTH).lower()
    if not _SOURCE.fullmatch(text):
        raise InvalidFieldError(
            field, "latin letters, digits and _ . : - only, e.g. import:mis", "invalid_source"
        )
    return text


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """The same patient's record in another system: its name and the id it has there."""

    source: str
    external_id: str

    @classmethod
    def parse(cls, source: Any, external_id: Any) -> SourceRecord:
        problems: list[InvalidFieldError] = []
        parsed: dict[str, str] = {}
        for field, raw, parser in (
            ("source", source, parse_source),
            ("external_id", external_id, _external_id),
        ):
            try:
                parsed[field] = parser(raw, field)
            except InvalidFieldError as error:
                problems.append(error)
        if problems:
            raise InvalidPersonalDataError.of(problems)
        return cls(**parsed)


def _external_id(raw: Any, field: str) -> str:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    return single_line(raw, field, MAX_EXTERNAL_ID_LENGTH)
