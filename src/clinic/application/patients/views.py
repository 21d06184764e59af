"""Interfaces of the patients read models (implemented in infrastructure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol
from uuid import UUID

from clinic.application.patients.dto import PatientPage, PatientSummary
from clinic.application.patients.list_filter import PatientCriteria, PatientSort


class PatientListWriter(Protocol):
    """Writes the patient list read model inside a projection batch.

    Besides a row per patient it keeps what the list's filters look up: tags, granted consents
    and sources. A patient without a row (erased later in the event stream) may get those for a
    while: the erasure removes them with everything else of the patient.
    """

    def add_patient(self, patient: PatientSummary, *, source: str, external_id: str | None) -> None:
        """Adds a patient registered from `source` (`external_id`: their id there, if any)."""
        ...

    def update_patient(self, patient_id: UUID, changes: Mapping[str, object]) -> None:
        """Sets some columns of a patient's row (names of PatientSummary fields); a patient
        without a row (erased) is left alone."""
        ...

    def remove_patient(self, patient_id: UUID) -> None:
        """Removes everything of the patient."""
        ...

    def set_representative(self, patient_id: UUID, representative_id: UUID | None) -> None:
        """Records whose dependant the patient is (None: nobody's); no row: left alone."""
        ...

    def add_tag(self, patient_id: UUID, tag: str) -> None: ...

    def remove_tag(self, patient_id: UUID, tag: str) -> None: ...

    def set_consent(self, patient_id: UUID, channel: str, purpose: str, *, granted: bool) -> None:
        """Records the patient's last word on a channel and purpose (only grants are kept)."""
        ...

    def add_source_record(self, patient_id: UUID, source: str, external_id: str) -> None:
        """Records the patient's record in another system; one recorded already is a no-op."""
        ...

    def remove_source_record(self, patient_id: UUID, source: str, external_id: str) -> None: ...

    def flush(self) -> None: ...

    def reset(self) -> None: ...


class PatientListView(Protocol):
    """Reads the patient list read model."""

    def get(self, patient_id: UUID) -> PatientSummary | None: ...

    def search(
        self, criteria: PatientCriteria, sort: PatientSort, limit: int, cursor: str | None
    ) -> PatientPage:
        """A page of the patients `criteria` selects in `sort` order, after `cursor` (a page's
        `next_cursor` of the same sort; InvalidCursorError for any other)."""
        ...

    def count(self, criteria: PatientCriteria) -> int: ...

    def ids(self, criteria: PatientCriteria, limit: int) -> list[UUID]:
        """The ids of at most `limit` of the patients `criteria` selects."""
        ...

    def find_by_source(self, source: str, external_id: str) -> PatientSummary | None:
        """The current profile of the patient with this record in `source`: a merged one's
        survivor; None when no listed patient has it."""
        ...


class DependantsView(Protocol):
    """Reads who is represented by whom from the patient list read model."""

    def list_dependants(self, representative_id: UUID) -> list[PatientSummary]:
        """The listed patients whose representative is `representative_id`, by name."""
        ...
