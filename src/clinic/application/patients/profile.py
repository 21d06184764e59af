"""The unified profile: everything about one patient in one read, with its change history.

It is read from the write model: the patient's own events are the truth, and loading one
patient is cheap. Only the dependants come from a read model (the patient list), since no
event of the representative names them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from clinic.application.patients.queries import audited_view
from clinic.application.patients.service import PatientsService
from clinic.application.patients.views import DependantsView
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditTrail
from clinic.application.shared.errors import NotFoundError
from clinic.application.shared.personal_data import personal_fields_of
from clinic.domain.patients.patient import Patient

HistoryValue = str | bool | None


@dataclass(frozen=True, slots=True)
class ProfileContactPoint:
    kind: str
    value: str
    source: str


@dataclass(frozen=True, slots=True)
class ProfileConsent:
    """The patient's last word on one channel and purpose."""

    channel: str
    purpose: str
    granted: bool
    source: str
    at: datetime
    evidence: str | None


@dataclass(frozen=True, slots=True)
class ProfileSourceRecord:
    source: str
    external_id: str


@dataclass(frozen=True, slots=True)
class PatientReference:
    """Another patient named on a profile; `full_name` None: erased."""

    id: UUID
    full_name: str | None


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """One event of the patient: who changed what, when.

    `change` is machine-readable (`contact_point.added`); `fields` names what the event
    carries; `values` holds only the non-personal ones: personal values are seen on the
    profile as it is now, never from past events.
    """

    at: datetime
    by: str | None
    change: str
    fields: tuple[str, ...]
    values: Mapping[str, HistoryValue]


@dataclass(frozen=True, slots=True)
class PatientProfile:
    """One patient in full. An erased one keeps only its id, status, registration time and a
    history without values."""

    id: UUID
    status: str
    registered_at: datetime
    surname: str | None
    given_name: str | None
    patronymic: str | None
    sex: str | None
    birth_date: date | None
    city: str | None
    address: str | None
    postcode: str | None
    time_zone: str | None
    archive_comment: str | None
    contact_points: tuple[ProfileContactPoint, ...]
    consents: tuple[ProfileConsent, ...]
    tags: tuple[str, ...]
    representative: PatientReference | None
    dependants: tuple[PatientReference, ...]
    source_records: tuple[ProfileSourceRecord, ...]
    history: tuple[ProfileChange, ...]
    merged_into: PatientReference | None = None
    """The profile this one lives on in (status `merged`)."""
    merged: tuple[PatientReference, ...] = ()
    """Profiles of the same person merged into this one (each can be unmerged)."""

    @property
    def full_name(self) -> str | None:
        return _full_name(self.surname, self.given_name, self.patronymic)


class PatientProfileQueries:
    """Builds unified profiles; every one shown is recorded in the audit trail."""

    def __init__(
        self,
        patients: PatientsService,
        dependants: DependantsView,
        audit: AuditTrail | None = None,
    ) -> None:
        self._patients = patients
        self._dependants = dependants
        self._audit = audit

    def profile(self, patient_id: UUID, viewer: Actor) -> PatientProfile:
        """The patient's unified profile (PATIENTS_READ); NotFoundError for an unknown id."""
        return audited_view(self._audit, viewer, patient_id, self._build)

    def _build(self, patient_id: UUID) -> PatientProfile:
        events = list(self._patients.events.get(patient_id))
        patient = _replay(patient_id, events)
        if patient.is_erased:
            return _erased(patient, events)
        # Later contexts (appointments, visits, NPS) add their sections here, each only for a
        # viewer with MEDICAL_READ: the call centre never sees medical detail.
        return PatientProfile(
            id=patient.id,
            status=patient.status.value,
            registered_at=patient.registered_at,
            surname=patient.surname,
            given_name=patient.given_name,
            patronymic=patient.patronymic,
            sex=patient.sex,
            birth_date=patient.birth_date,
            city=patient.city,
            address=patient.address,
            postcode=patient.postcode,
            time_zone=patient.time_zone,
            archive_comment=patient.archive_comment,
            contact_points=tuple(
                ProfileContactPoint(p.kind.value, p.value, p.source) for p in patient.contact_points
            ),
            consents=tuple(
                ProfileConsent(
                    c.channel.value, c.purpose.value, c.granted, c.source, c.at, c.evidence
                )
                for c in sorted(patient.consents.values(), key=lambda c: (c.channel, c.purpose))
            ),
            tags=tuple(sorted(patient.tags)),
            representative=self._representative(patient.representative_id),
            dependants=tuple(
                PatientReference(d.id, d.full_name)
                for d in self._dependants.list_dependants(patient.id)
            ),
            source_records=tuple(
                ProfileSourceRecord(r.source, r.external_id) for r in patient.source_records
            ),
            history=tuple(history_of(events)),
            merged_into=self._representative(patient.merged_into),
            merged=tuple(
                reference
                for absorbed_id in patient.absorptions
                if (reference := self._representative(absorbed_id)) is not None
            ),
        )

    def _representative(self, representative_id: UUID | None) -> PatientReference | None:
        """A reference to another patient (a representative, a merged profile) by name."""
        if representative_id is None:
            return None
        try:
            representative = self._patients.get_patient(representative_id)
        except AggregateNotFoundError:
            return PatientReference(representative_id, None)
        return PatientReference(
            representative_id,
            _full_name(
                representative.surname, representative.given_name, representative.patronymic
            ),
        )


def _replay(patient_id: UUID, events: list[Any]) -> Patient:
    patient: Patient | None = None
    for event in events:
        patient = event.mutate(patient)
    if patient is None:
        raise NotFoundError("patient", patient_id)
    return patient


def _erased(patient: Patient, events: list[Any]) -> PatientProfile:
    nothing: tuple[Any, ...] = ()
    personal: dict[str, Any] = dict.fromkeys(_PERSONAL_PROFILE_FIELDS)
    return PatientProfile(
        id=patient.id,
        status=patient.status.value,
        registered_at=patient.registered_at,
        **personal,
        contact_points=nothing,
        consents=nothing,
        tags=nothing,
        representative=None,
        dependants=nothing,
        source_records=nothing,
        history=tuple(history_of(events, with_values=False)),
    )


_PERSONAL_PROFILE_FIELDS = (
    "surname", "given_name", "patronymic", "sex", "birth_date",
    "city", "address", "postcode", "time_zone", "archive_comment",
)  # fmt: skip

# --- history ---------------------------------------------------------------------------------

_CHANGES: dict[type[Any], tuple[str, str]] = {
    Patient.Registered: ("patient.registered", "registered_at"),
    Patient.PersonalDataCorrected: ("personal_data.corrected", "corrected_at"),
    Patient.ContactPointAdded: ("contact_point.added", "added_at"),
    Patient.ContactPointRemoved: ("contact_point.removed", "removed_at"),
    Patient.ConsentGranted: ("consent.granted", "timestamp"),  # `at`: when the patient gave it
    Patient.ConsentWithdrawn: ("consent.withdrawn", "timestamp"),
    Patient.Tagged: ("tag.added", "tagged_at"),
    Patient.Untagged: ("tag.removed", "untagged_at"),
    Patient.RepresentativeLinked: ("representative.linked", "linked_at"),
    Patient.RepresentativeUnlinked: ("representative.unlinked", "unlinked_at"),
    Patient.SourceRecordLinked: ("source_record.linked", "linked_at"),
    Patient.Archived: ("patient.archived", "archived_at"),
    Patient.Restored: ("patient.restored", "restored_at"),
    Patient.Absorbed: ("patient.merged_in", "merged_at"),
    Patient.MergedInto: ("patient.merged_into", "merged_at"),
    Patient.Released: ("patient.split_off", "unmerged_at"),
    Patient.Unmerged: ("patient.unmerged", "unmerged_at"),
    Patient.Erased: ("patient.erased", "erased_at"),
}
"""Event class → (change name, the attribute saying when it happened)."""
_NOT_CHANGED = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "by", "corrected"}
)
_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")


def history_of(events: Iterable[Any], *, with_values: bool = True) -> list[ProfileChange]:
    """One entry per event, oldest first; `with_values=False` leaves every value out."""
    return [_change(event, with_values=with_values) for event in events]


def _change(event: Any, *, with_values: bool) -> ProfileChange:
    event_class = type(event)
    change, when = _CHANGES.get(
        event_class, (f"patient.{_WORD_START.sub('_', event_class.__name__).lower()}", "timestamp")
    )
    fields = _changed_fields(event, when)
    personal = set(personal_fields_of(event_class))
    values = {f: _shown(getattr(event, f)) for f in fields if f not in personal}
    return ProfileChange(
        at=getattr(event, when),
        by=getattr(event, "by", None),
        change=change,
        fields=fields,
        values=values if with_values else {},
    )


def _changed_fields(event: Any, when: str) -> tuple[str, ...]:
    if isinstance(event, Patient.PersonalDataCorrected):
        return tuple(event.corrected)
    return tuple(
        f.name
        for f in dataclasses.fields(event)
        if f.name not in _NOT_CHANGED and f.name != when and getattr(event, f.name) not in _NONE
    )


_NONE: tuple[object, ...] = (None, [], ())
"""Values that change nothing (an empty list: a registration without tags, say)."""


def _shown(value: object) -> HistoryValue:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, list):  # tags, or a registration's consents
        return "; ".join(_item(item) for item in value)
    return str(value)


def _item(item: object) -> str:
    if isinstance(item, dict) and {"channel", "purpose", "granted"} <= item.keys():
        word = "granted" if item["granted"] else "withdrawn"
        return f"{item['channel']}/{item['purpose']} {word}"
    return str(_shown(item))


def _full_name(*parts: str | None) -> str | None:
    return " ".join(part for part in parts if part) or None
