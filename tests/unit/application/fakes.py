"""In-memory fakes of the application ports and read-model interfaces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from clinic.application.patients.dto import PatientPage, PatientSummary

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

    def add_patient(self, patient: PatientSummary) -> None:
        self.pending.append(patient)

    def flush(self) -> None:
        for patient in self.pending:
            if patient.id in self.rows:
                msg = f"patient {patient.id} added twice"
                raise AssertionError(msg)
            self.rows[patient.id] = patient
        self.pending = []

    def reset(self) -> None:
        self.rows.clear()
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
