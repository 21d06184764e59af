"""In-memory fakes of the application ports and read-model interfaces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from clinic.application.patients.dto import PatientPage, PatientSummary
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

    def add_patient(self, patient: PatientSummary) -> None:
        self.pending.append(patient)

    def update_patient(self, patient_id: UUID, changes: Mapping[str, object]) -> None:
        self.flush()
        if patient_id in self.rows:
            self.rows[patient_id] = replace(self.rows[patient_id], **changes)  # type: ignore[arg-type]

    def remove_patient(self, patient_id: UUID) -> None:
        self.flush()
        self.rows.pop(patient_id, None)
        self.representatives.pop(patient_id, None)

    def set_representative(self, patient_id: UUID, representative_id: UUID | None) -> None:
        self.flush()
        if representative_id is None:
            self.representatives.pop(patient_id, None)
        elif patient_id in self.rows:
            self.representatives[patient_id] = representative_id

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
        self.pending = []


@dataclass
class CannedPatientView:
    """A PatientListView holding fixed rows; records how it was searched."""

    rows: dict[UUID, PatientSummary] = field(default_factory=dict)
    searches: list[tuple[str, int, str | None]] = field(default_factory=list)

    def get(self, patient_id: UUID) -> PatientSummary | None:
        return self.rows.get(patient_id)

    def search(self, query: str, limit: int, cursor: str | None) -> PatientPage:
        self.searches.append((query, limit, cursor))
        return PatientPage(list(self.rows.values())[:limit], None)

    def count(self) -> int:
        return len(self.rows)


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
