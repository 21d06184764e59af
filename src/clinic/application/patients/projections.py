"""Projections of patient events into read models."""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.views import PatientListWriter
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.values import PatientStatus

LISTED_FIELDS = frozenset({"surname", "given_name", "patronymic", "sex", "birth_date", "city"})
"""Corrected fields the patient list shows (or filters by)."""
PRIMARY_KINDS = frozenset({"phone", "email"})
"""Contact kinds the patient list shows: the primary phone and e-mail."""
_CLEARED = {"surname": "", "given_name": ""}
"""What the list shows for a name part no longer known (its columns hold text)."""
MERGING_EVENTS = (Patient.Absorbed, Patient.MergedInto, Patient.Released, Patient.Unmerged)


class PatientListProjection:
    """The searchable list of patients: a row per patient, and the tags, granted consents and
    sources its filters look up."""

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
            Patient.Tagged,
            Patient.Untagged,
            Patient.ConsentGranted,
            Patient.ConsentWithdrawn,
            Patient.SourceRecordLinked,
            *MERGING_EVENTS,
            Patient.Erased,
        )
    )

    def apply(self, event: object, writer: PatientListWriter) -> None:  # noqa: PLR0912 - one case per event
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
                        city=event.city,
                    ),
                    source=event.source,
                    external_id=event.external_id,
                )
                for tag in event.tags:
                    writer.add_tag(event.originator_id, tag)
                for consent in event.consents:
                    _set_consent(writer, event.originator_id, consent)
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
            case Patient.Tagged():
                writer.add_tag(event.originator_id, event.tag)
            case Patient.Untagged():
                writer.remove_tag(event.originator_id, event.tag)
            case Patient.ConsentGranted() | Patient.ConsentWithdrawn():
                granted = isinstance(event, Patient.ConsentGranted)
                writer.set_consent(
                    event.originator_id, event.channel, event.purpose, granted=granted
                )
            case Patient.SourceRecordLinked(external_id=str(external_id)):  # None: erased
                writer.add_source_record(event.originator_id, event.source, external_id)
            case (
                Patient.Absorbed() | Patient.MergedInto() | Patient.Released() | Patient.Unmerged()
            ):
                writer.update_patient(event.originator_id, merging_changes(event))
                _move_lookups(event, writer)
            case Patient.Erased():
                writer.remove_patient(event.originator_id)
            case _:
                pass


def _erased(event: Patient.Registered) -> bool:
    """A registration read back after an erasure: every identifying field is gone (a live one
    always has a name part, a phone or an e-mail)."""
    return not any((event.surname, event.given_name, event.phone, event.email))


def merging_changes(
    event: Patient.Absorbed | Patient.MergedInto | Patient.Released | Patient.Unmerged,
) -> dict[str, object]:
    """The list columns a merge or an unmerge changes on the profile of `event`."""
    match event:
        case Patient.Absorbed():
            filled = {f: v for f, v in (event.filled or {}).items() if f in LISTED_FIELDS}
            return filled | {"phone": event.phone, "email": event.email}
        case Patient.Released():
            cleared: dict[str, object] = {
                f: _CLEARED.get(f) for f in event.cleared if f in LISTED_FIELDS
            }
            return cleared | {"phone": event.phone, "email": event.email}
        case Patient.MergedInto():
            return {"status": PatientStatus.MERGED.value, "merged_into": event.survivor_id}
        case Patient.Unmerged():
            return {"status": event.status, "merged_into": None}


def _move_lookups(event: object, writer: PatientListWriter) -> None:
    """What the list's filters look up moves with a merge: the survivor has the tags, source
    records and consents it took too, and an unmerge takes back what it gives back. (Personal
    ones read back as None after an erasure, which removes the patient anyway.)"""
    match event:
        case Patient.Absorbed(originator_id=patient_id):
            for tag in event.tags:
                writer.add_tag(patient_id, tag)
            for source, external_id in event.source_records or ():
                writer.add_source_record(patient_id, source, external_id)
            for consent in event.consents or ():
                _set_consent(writer, patient_id, consent)
        case Patient.Released(originator_id=patient_id):
            for tag in event.tags:
                writer.remove_tag(patient_id, tag)
            for source, external_id in event.source_records or ():
                writer.remove_source_record(patient_id, source, external_id)
            for channel, purpose in event.removed_consents:
                writer.set_consent(patient_id, channel, purpose, granted=False)
            for consent in event.restored_consents or ():
                _set_consent(writer, patient_id, consent)


def _set_consent(writer: PatientListWriter, patient_id: Any, consent: dict[str, Any]) -> None:
    """A consent as merge events list it (see merging.consent_to_dict)."""
    granted = bool(consent["granted"])
    writer.set_consent(patient_id, consent["channel"], consent["purpose"], granted=granted)
