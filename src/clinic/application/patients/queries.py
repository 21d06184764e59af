"""Queries of the patients context: read models only, DTOs out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from clinic.application.patients.dto import PatientPage, PatientSummary
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.views import PatientListView
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditTrail
from clinic.application.shared.errors import NotFoundError
from clinic.application.shared.ports import ProjectionWaiter
from clinic.domain.shared.access import Permission

MAX_PAGE_SIZE = 200
READ_YOUR_WRITES_TIMEOUT = 5.0
T = TypeVar("T")


class PatientQueries:
    """Reads the patient read models; `after=` waits until a command's position is applied."""

    def __init__(
        self, view: PatientListView, waiter: ProjectionWaiter, audit: AuditTrail | None = None
    ) -> None:
        self._view = view
        self._waiter = waiter
        self._audit = audit

    def view_patient(self, patient_id: UUID, viewer: Actor) -> PatientSummary:
        """A patient's full profile, for someone allowed to see personal data; the view is
        recorded in the audit trail before anything is shown."""
        return audited_view(self._audit, viewer, patient_id, self.get_patient)

    def get_patient(self, patient_id: UUID, *, after: int | None = None) -> PatientSummary:
        self.wait_for(after)
        patient = self._view.get(patient_id)
        if patient is None:
            raise NotFoundError("patient", patient_id)
        return patient

    def search_patients(
        self,
        query: str = "",
        *,
        limit: int = 50,
        cursor: str | None = None,
        after: int | None = None,
    ) -> PatientPage:
        """Patients whose name starts with, or phone or e-mail matches, `query`."""
        self.wait_for(after)
        return self._view.search(query.strip(), max(1, min(limit, MAX_PAGE_SIZE)), cursor)

    def count_patients(self) -> int:
        return self._view.count()

    def wait_for(self, position: int | None) -> None:
        """Returns once the patient list has applied events up to `position` (None: at once);
        ReadModelLagError when it takes too long."""
        if position is not None:
            self._waiter.wait(PatientListProjection.name, position, READ_YOUR_WRITES_TIMEOUT)


def audited_view(
    audit: AuditTrail | None, viewer: Actor, patient_id: UUID, read: Callable[[UUID], T]
) -> T:
    """What `read` returns of a patient, for a viewer allowed to see personal data; the view
    is recorded as `patient.viewed` before anything is shown (a patient not found is not)."""
    viewer.demand(Permission.PATIENTS_READ)
    seen = read(patient_id)
    if audit is not None:
        audit.record(viewer, "patient.viewed", "patient", str(patient_id))
    return seen
