"""Read-side data transfer objects of the patients context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Registered:
    """What a registration returns: the new id and the event's notification position."""

    patient_id: UUID
    position: int


@dataclass(frozen=True, slots=True)
class Changed:
    """What a change to many patients did: how many of them it changed, and the position of its
    last event (None when it changed nobody)."""

    count: int
    position: int | None


@dataclass(frozen=True, slots=True)
class PatientSummary:
    """A row of the patient list."""

    id: UUID
    surname: str
    given_name: str
    patronymic: str | None
    sex: str | None
    birth_date: date | None
    phone: str | None
    email: str | None
    status: str
    registered_at: datetime
    city: str | None = None
    merged_into: UUID | None = None
    """The profile a merged patient lives on in (None unless merged)."""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)


@dataclass(frozen=True, slots=True)
class PatientPage:
    """One page of a patient search; `next_cursor` is None on the last page."""

    items: list[PatientSummary]
    next_cursor: str | None
