"""Queries of analytics: patients pseudonymised, one page, a count or an export at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date

from clinic.application.analytics.dto import (
    SEXES,
    AgeBandCount,
    PatientFacts,
    PatientFilter,
    PseudonymisedPatient,
    PseudonymisedPatientPage,
)
from clinic.application.analytics.views import PatientFactsView
from clinic.application.shared.ports import Clock
from clinic.application.shared.pseudonyms import Pseudonymiser
from clinic.domain.shared.age_bands import AgeBand, age_band

MAX_PAGE_SIZE = 200
EXPORT_PAGE_SIZE = 1000


class PseudonymisedPatientQueries:
    """Patients for analysts: pseudonyms and age bands (as of the clock's today), no identities."""

    def __init__(self, view: PatientFactsView, pseudonymiser: Pseudonymiser, clock: Clock) -> None:
        self._view = view
        self._pseudonymiser = pseudonymiser
        self._clock = clock

    def list_patients(
        self, filters: PatientFilter, *, limit: int = 50, cursor: str | None = None
    ) -> PseudonymisedPatientPage:
        """A page of matching patients in registration order."""
        today = self._today()
        page = self._view.page(filters, today, max(1, min(limit, MAX_PAGE_SIZE)), cursor)
        return PseudonymisedPatientPage(
            [self._pseudonymised(row, today) for row in page.items], page.next_cursor
        )

    def export_patients(self, filters: PatientFilter) -> Iterator[PseudonymisedPatient]:
        """Every matching patient, read a page at a time (memory stays flat however many)."""
        today = self._today()
        cursor: str | None = None
        while True:
            page = self._view.page(filters, today, EXPORT_PAGE_SIZE, cursor)
            yield from (self._pseudonymised(row, today) for row in page.items)
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def count_patients(self, filters: PatientFilter) -> int:
        return self._view.count(filters, self._today())

    def count_by_age_band(self, filters: PatientFilter) -> list[AgeBandCount]:
        """Patients per age band and sex: every band × (F, M, not recorded), zeros included."""
        counts = self._view.count_by_age_band_and_sex(filters, self._today())
        return [
            AgeBandCount(band, sex, counts.get((band, sex), 0))
            for band in AgeBand
            for sex in (*SEXES, None)
        ]

    def _pseudonymised(self, row: PatientFacts, today: date) -> PseudonymisedPatient:
        return PseudonymisedPatient(
            pseudonym=self._pseudonymiser.pseudonym(row.id),
            sex=row.sex,
            age_band=age_band(row.birth_date, today),
            status=row.status,
            registered_on=row.registered_at.astimezone(UTC).date(),
        )

    def _today(self) -> date:
        return self._clock.now().astimezone(UTC).date()
