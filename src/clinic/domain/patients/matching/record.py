"""What identity resolution knows about one profile or source row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """One record to resolve. Everything but the id may be missing.

    Phones are expected in E.164 (as `clinic.domain.shared.phone` produces them); other forms are
    normalised on the way in and dropped when they are not phone numbers. `sex` is "M" or "F".
    """

    record_id: str
    source: str | None = None
    external_id: str | None = None
    surname: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    city: str | None = None
    address: str | None = None
    postcode: str | None = None
