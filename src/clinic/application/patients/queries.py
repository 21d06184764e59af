"""Queries of the patients context: read models only, DTOs out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import TypeVar
from uuid import UUID

from clinic.application.patients.dto import PatientPage, PatientSummary
from clinic.application.patients.errors import MatchCountChangedError
from clinic.application.patients.list_filter import PatientCriteria, PatientListFilter, PatientSort
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.views import PatientListView
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditTrail
from clinic.application.shared.errors import NotFoundError
from clinic.application.shared.ports import Clock, ProjectionWaiter
from clinic.domain.patients.sources import SourceRecord
from clinic.domain.shared.access import Permission
from clinic.domain.shared.errors import InvalidFieldError

MAX_PAGE_SIZE = 200
MAX_BULK_PATIENTS = 10_000
"""The most patients one bulk change covers, listed or selected by a filter."""
READ_YOUR_WRITES_TIMEOUT = 5.0
ANYONE = PatientListFilter()
T = TypeVar("T")


class PatientQueries:
    """Reads the patient read models; `after=` waits until a command's position is applied.
    Ages in filters are counted on the clock's UTC day."""

    def __init__(
        self,
        view: PatientListView,
        waiter: ProjectionWaiter,
        audit: AuditTrail | None = None,
        *,
        clock: Clock,
    ) -> None:
        self._view = view
        self._waiter = waiter
        self._audit = audit
        self._clock = clock

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

    def view_patient_by_source(
        self, source: str, external_id: str, viewer: Actor
    ) -> PatientSummary:
        """The current profile of the patient with this record in another system, for someone
        allowed to see personal data; recorded in the audit trail as a view of that patient."""
        viewer.demand(Permission.PATIENTS_READ)
        found = self.find_patient_by_source(source, external_id)
        return audited_view(self._audit, viewer, found.id, lambda _: found)

    def find_patient_by_source(self, source: str, external_id: str) -> PatientSummary:
        """The current profile (a merged one's survivor) of the patient with this record;
        NotFoundError when nobody listed has it, InvalidPersonalDataError for a malformed one."""
        record = SourceRecord.parse(source, external_id)
        patient = self._view.find_by_source(record.source, record.external_id)
        if patient is None:
            # The external id is personal data: the error names only the source.
            raise NotFoundError("patient with a record in", record.source)
        return patient

    def search_patients(
        self,
        query: str = "",
        *,
        filters: PatientListFilter = ANYONE,
        sort: PatientSort = PatientSort.NAME,
        limit: int = 50,
        cursor: str | None = None,
        after: int | None = None,
    ) -> PatientPage:
        """Patients whose name starts with, or phone or e-mail matches, `query`, among those
        `filters` selects, in `sort` order, a page at a time (`cursor`: the previous page's)."""
        self.wait_for(after)
        page_size = max(1, min(limit, MAX_PAGE_SIZE))
        return self._view.search(self._criteria(query, filters), sort, page_size, cursor)

    def count_patients(self, query: str = "", filters: PatientListFilter = ANYONE) -> int:
        """How many patients a search with these filters finds (all pages together)."""
        return self._view.count(self._criteria(query, filters))

    def select_patients(
        self, query: str, filters: PatientListFilter, *, expected_count: int
    ) -> list[UUID]:
        """The ids of the patients a search with these filters finds, for a change to
        "everyone matching" that the user confirmed for `expected_count` of them.

        MatchCountChangedError when another number match now (the list changed since the user
        counted, so they must look again); InvalidFieldError naming `filter` when more than
        MAX_BULK_PATIENTS match (narrow the filter)."""
        criteria = self._criteria(query, filters)
        ids = self._view.ids(criteria, MAX_BULK_PATIENTS + 1)
        matched = len(ids) if len(ids) <= MAX_BULK_PATIENTS else self._view.count(criteria)
        if matched != expected_count:
            raise MatchCountChangedError(expected_count, matched)
        if matched > MAX_BULK_PATIENTS:
            raise InvalidFieldError(
                "filter",
                f"selects {matched} patients; at most {MAX_BULK_PATIENTS} change at once",
                "too_many",
            )
        return ids

    def wait_for(self, position: int | None) -> None:
        """Returns once the patient list has applied events up to `position` (None: at once);
        ReadModelLagError when it takes too long."""
        if position is not None:
            self._waiter.wait(PatientListProjection.name, position, READ_YOUR_WRITES_TIMEOUT)

    def _criteria(self, query: str, filters: PatientListFilter) -> PatientCriteria:
        return PatientCriteria(query.strip(), filters, self._clock.now().astimezone(UTC).date())


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
