"""Data transfer objects of analytics: patients without identities.

Nothing here names, reaches or dates a person: no names, phones, e-mails, birth dates or patient
ids; a pseudonym, an age band and coarse facts instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from clinic.domain.shared.age_bands import AgeBand

SEXES = ("F", "M")
STATUSES = ("active", "archived", "merged")


@dataclass(frozen=True, slots=True)
class PatientFilter:
    """Which patients a pseudonymised list, count or export covers; None matches any.
    `registered_to` is inclusive; registration days are UTC days."""

    sex: str | None = None
    age_band: AgeBand | None = None
    status: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None

    def described(self) -> dict[str, str | None]:
        """The filter as text, for the audit trail (it holds no personal data)."""
        return {
            "sex": self.sex,
            "age_band": self.age_band.value if self.age_band else None,
            "status": self.status,
            "registered_from": _iso(self.registered_from),
            "registered_to": _iso(self.registered_to),
        }


@dataclass(frozen=True, slots=True)
class PseudonymisedPatient:
    """A patient as analysts see them."""

    pseudonym: str
    sex: str | None
    age_band: AgeBand
    status: str
    registered_on: date


@dataclass(frozen=True, slots=True)
class PseudonymisedPatientPage:
    """One page of pseudonymised patients; `next_cursor` is None on the last page."""

    items: list[PseudonymisedPatient]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class AgeBandCount:
    """How many patients of one sex (None: not recorded) are in one age band."""

    age_band: AgeBand
    sex: str | None
    count: int


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """A patient list row as the view hands it to the queries, which pseudonymise it: it holds the
    patient id and birth date, so it never leaves the application layer."""

    id: UUID
    sex: str | None
    birth_date: date | None
    status: str
    registered_at: datetime


@dataclass(frozen=True, slots=True)
class PatientFactsPage:
    items: list[PatientFacts]
    next_cursor: str | None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
