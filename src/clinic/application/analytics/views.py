"""Interfaces of the read models analytics reads (implemented in infrastructure)."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from clinic.application.analytics.dto import PatientFactsPage, PatientFilter
from clinic.domain.shared.age_bands import AgeBand


class PatientFactsView(Protocol):
    """The patient list without names or contacts, in registration order; age bands are
    reckoned on `today`."""

    def page(
        self, filters: PatientFilter, today: date, limit: int, cursor: str | None
    ) -> PatientFactsPage: ...

    def count(self, filters: PatientFilter, today: date) -> int: ...

    def count_by_age_band_and_sex(
        self, filters: PatientFilter, today: date
    ) -> dict[tuple[AgeBand, str | None], int]: ...
