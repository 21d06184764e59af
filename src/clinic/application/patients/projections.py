"""Projections of patient events into read models."""

from __future__ import annotations

from typing import ClassVar

from eventsourcing.utils import get_topic

from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.views import PatientListWriter
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.values import PatientStatus

LISTED_FIELDS = frozenset({"surname", "given_name", "patronymic", "sex", "birth_date"})
"""Corrected fields the patient list shows."""
PRIMARY_KINDS = frozenset({"phone", "email"})
"""Contact kinds the patient list shows: the primary phone and e-mail."""


class PatientListProjection:
    """The searchable list of patients (one row per patient)."""

    name: ClassVar[str] = "patient_list"
    application: ClassVar[str] = "patients"
    topics: ClassVar[tuple[str, ...]] = tuple(
        get_topic(event_class)
        for event_class in (
            Patient.Registered,
            Patient.PersonalDataCorrected,
            Patient.ContactPointAdded,
            Patient.ContactPointRemoved,
            Patient.Archived,
            Patient.Restored,
            Patient.RepresentativeLinked,
            Patient.RepresentativeUnlinked,
            Patient.Erased,
        )
    )

    def apply(self, event: object, writer: PatientListWriter) -> None:
        match event:
            case Patient.Registered() if _erased(event):
                pass  # erased later: its personal data is gone, and so is the row
            case Patient.Registered():
                writer.add_patient(
                    PatientSummary(
                        id=event.originator_id,
                        surname=event.surname or "",
                        given_name=event.given_name or "",
                        patronymic=event.patronymic,
                        sex=event.sex,
                        birth_date=event.birth_date,
                        phone=event.phone,
                        email=event.email,
                        status=PatientStatus.ACTIVE.value,
                        registered_at=event.registered_at,
                    )
                )
            case Patient.PersonalDataCorrected():
                changes = {f: getattr(event, f) for f in event.corrected if f in LISTED_FIELDS}
                if changes:
                    writer.update_patient(event.originator_id, changes)
            case Patient.ContactPointAdded(primary=True) if event.kind in PRIMARY_KINDS:
                writer.update_patient(event.originator_id, {event.kind: event.value})
            case Patient.ContactPointRemoved() if event.kind in PRIMARY_KINDS:
                writer.update_patient(event.originator_id, {event.kind: event.primary_after})
            case Patient.Archived():
                writer.update_patient(event.originator_id, {"status": PatientStatus.ARCHIVED.value})
            case Patient.Restored():
                writer.update_patient(event.originator_id, {"status": PatientStatus.ACTIVE.value})
            case Patient.RepresentativeLinked():
                writer.set_representative(event.originator_id, event.representative_id)
            case Patient.RepresentativeUnlinked():
                writer.set_representative(event.originator_id, None)
            case Patient.Erased():
                writer.remove_patient(event.originator_id)
            case _:
                pass


def _erased(event: Patient.Registered) -> bool:
    """A registration read back after an erasure: every identifying field is gone (a live one
    always has a name part, a phone or an e-mail)."""
    return not any((event.surname, event.given_name, event.phone, event.email))
