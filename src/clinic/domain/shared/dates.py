"""Calendar dates typed by people: `DD.MM.YYYY` or ISO `YYYY-MM-DD`."""

from __future__ import annotations

from datetime import date, datetime

from clinic.domain.shared.errors import InvalidFieldError

_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")


def parse_date(raw: str | date, field: str) -> date:
    """Parses `raw` in one of the accepted formats or raises InvalidFieldError naming `field`."""
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
