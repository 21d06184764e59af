"""Projections of patient events into read models."""

from __future__ import annotations

from typing import ClassVar

from eventsourcing.utils import get_topic

from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.views import PatientListWriter
from clinic.domain.patients.patient import Patient


class PatientListProjection:
    """The searchable list of patients (one row per patient)."""

    name: ClassVar[str] = "patient_list"
    application: ClassVar[str] = "patients"
    topics: ClassVar[tuple[str, ...]] = (
        get_topic(Patient.Registered),
        get_topic(Patient.Erased),
    )

    def apply(self, event: object, writer: PatientListWriter) -> None:
        match event:
            case Patient.Registered(surname=None):
                pass  # erased later: its personal data is gone, and so is the row
            case Patient.Registered():
                writer.add_patient(
                    PatientSummary(
                        id=event.originator_id,
                        surname=event.surname,
                        given_name=event.given_name,
                        patronymic=event.patronymic,
                        sex=event.sex,
                        birth_date=event.birth_date,
                        phone=event.phone,
                        email=event.email,
                        status="active",
                        registered_at=event.registered_at,
                    )
                )
            case Patient.Erased():
                writer.remove_patient(event.originator_id)
            case _:
                pass
