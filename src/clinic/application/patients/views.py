"""Interfaces of the patients read models (implemented in infrastructure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol
from uuid import UUID

from clinic.application.patients.dto import PatientPage, PatientSummary


class PatientListWriter(Protocol):
    """Writes the patient list read model inside a projection batch."""

    def add_patient(self, patient: PatientSummary) -> None: ...

    def update_patient(self, patient_id: UUID, changes: Mapping[str, object]) -> None:
        """Sets some columns of a patient's row (names of PatientSummary fields); a patient
        without a row (erased) is left alone."""
        ...

    def remove_patient(self, patient_id: UUID) -> None: ...

    def set_representative(self, patient_id: UUID, representative_id: UUID | None) -> None:
        """Records whose dependant the patient is (None: nobody's); no row: left alone."""
        ...

    def flush(self) -> None: ...

    def reset(self) -> None: ...


class PatientListView(Protocol):
    """Reads the patient list read model."""

    def get(self, patient_id: UUID) -> PatientSummary | None: ...

    def search(self, query: str, limit: int, cursor: str | None) -> PatientPage: ...

    def count(self) -> int: ...


class DependantsView(Protocol):
    """Reads who is represented by whom from the patient list read model."""

    def list_dependants(self, representative_id: UUID) -> list[PatientSummary]:
        """The listed patients whose representative is `representative_id`, by name."""
        ...
