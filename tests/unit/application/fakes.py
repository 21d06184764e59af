"""In-memory fakes of the application ports and read-model interfaces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from clinic.application.patients.dto import PatientPage, PatientSummary
from clinic.application.patients.list_filter import PatientCriteria, PatientSort
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditDetail

POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


@dataclass
class FixedClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


@dataclass
class InMemoryPatientList:
    """The patient list read model in a dict: a PatientListWriter that commits on flush."""

    rows: dict[UUID, PatientSummary] = field(default_factory=dict)
    pending: list[PatientSummary] = field(default_factory=list)
    representatives: dict[UUID, UUID] = field(default_factory=dict)
    """Dependant id → representative id."""
    tags: set[tuple[UUID, str]] = field(default_factory=set)
    consents: set[tuple[UUID, str, str]] = field(default_factory=set)
    """(patient id, channel, purpose) of each consent granted."""
    sources: set[tuple[UUID, str, str | None]] = field(default_factory=set)
    """(patient id, source, external id or None) of the registration and each source record."""

    def add_patient(self, patient: PatientSummary, *, source: str, external_id: str | None) -> None:
        self.pending.append(patient)
        self.sources.add((patient.id, source, external_id))

    def update_patient(self, patient_id: UUID, changes: Mapping[str, object]) -> None:
        self.flush()
        if patient_id in self.rows:
            self.rows[patient_id] = replace(self.rows[patient_id], **changes)  # type: ignore[arg-type]

    def remove_patient(self, patient_id: UUID) -> None:
        self.flush()
        self.rows.pop(patient_id, None)
        self.representatives.pop(patient_id, None)
        self.tags = {t for t in self.tags if t[0] != patient_id}
        self.consents = {c for c in self.consents if c[0] != patient_id}
        self.sources = {s for s in self.sources if s[0] != patient_id}

    def set_representative(self, patient_id: UUID, representative_id: UUID | None) -> None:
        self.flush()
        if representative_id is None:
            self.representatives.pop(patient_id, None)
        elif patient_id in self.rows:
            self.representatives[patient_id] = representative_id

    def add_tag(self, patient_id: UUID, tag: str) -> None:
        self.tags.add((patient_id, tag))

    def remove_tag(self, patient_id: UUID, tag: str) -> None:
        self.tags.discard((patient_id, tag))

    def set_consent(self, patient_id: UUID, channel: str, purpose: str, *, granted: bool) -> None:
        if granted:
            self.consents.add((patient_id, channel, purpose))
        else:
            self.consents.discard((patient_id, channel, purpose))

    def add_source_record(self, patient_id: UUID, source: str, external_id: str) -> None:
        self.sources.add((patient_id, source, external_id))

    def remove_source_record(self, patient_id: UUID, source: str, external_id: str) -> None:
        self.sources.discard((patient_id, source, external_id))

    def list_dependants(self, representative_id: UUID) -> list[PatientSummary]:
        """A DependantsView of the same rows."""
        dependants = [
            self.rows[p] for p, r in self.representatives.items() if r == representative_id
        ]
        return sorted(dependants, key=lambda p: (p.full_name, p.id))

    def flush(self) -> None:
        for patient in self.pending:
            if patient.id in self.rows:
                msg = f"patient {patient.id} added twice"
                raise AssertionError(msg)
            self.rows[patient.id] = patient
        self.pending = []

    def reset(self) -> None:
        self.rows.clear()
        self.representatives.clear()
        self.tags.clear()
        self.consents.clear()
        self.sources.clear()
        self.pending = []


@dataclass
class CannedPatientView:
    """A PatientListView holding fixed rows, all of which match any criteria; records how it
    was asked. `by_source` maps (source, external id) to the patient it finds."""

    rows: dict[UUID, PatientSummary] = field(default_factory=dict)
    by_source: dict[tuple[str, str], UUID] = field(default_factory=dict)
    searches: list[tuple[PatientCriteria, PatientSort, int, str | None]] = field(
        default_factory=list
    )
    counted: list[PatientCriteria] = field(default_factory=list)

    def get(self, patient_id: UUID) -> PatientSummary | None:
        return self.rows.get(patient_id)

    def search(
        self, criteria: PatientCriteria, sort: PatientSort, limit: int, cursor: str | None
    ) -> PatientPage:
        self.searches.append((criteria, sort, limit, cursor))
        return PatientPage(list(self.rows.values())[:limit], None)

    def count(self, criteria: PatientCriteria) -> int:
        self.counted.append(criteria)
        return len(self.rows)

    def ids(self, criteria: PatientCriteria, limit: int) -> list[UUID]:
        return list(self.rows)[:limit]

    def find_by_source(self, source: str, external_id: str) -> PatientSummary | None:
        patient_id = self.by_source.get((source, external_id))
        return None if patient_id is None else self.rows[patient_id]


@dataclass
class RecordingWaiter:
    """A ProjectionWaiter that returns at once and remembers what it waited for."""

    waits: list[tuple[str, int, float]] = field(default_factory=list)

    def wait(self, projection: str, position: int, timeout: float) -> None:
        self.waits.append((projection, position, timeout))


@dataclass
class RecordingAuditTrail:
    """An AuditTrail that keeps (actor username, action, subject id, details) of each entry."""

    entries: list[tuple[str, str, str | None, dict[str, object] | None]] = field(
        default_factory=list
    )

    def record(
        self,
        actor: Actor,
        action: str,
        subject_type: str | None = None,
        subject_id: str | None = None,
        details: Mapping[str, AuditDetail] | None = None,
    ) -> None:
        self.entries.append((actor.username, action, subject_id, dict(details or {}) or None))
