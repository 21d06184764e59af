"""The patients context's eventsourcing Application: its commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from clinic.application.patients.commands import (
    AddContactPoint,
    CorrectPersonalData,
    GrantConsent,
    LinkRepresentative,
    LinkSourceRecord,
    RegisterPatient,
    RemoveContactPoint,
    WithdrawConsent,
)
from clinic.application.patients.dto import Changed, Registered
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditTrail
from clinic.application.shared.errors import NotFoundError
from clinic.application.shared.eventsourced import ContextApplication, last_position
from clinic.application.shared.personal_data import PersonalDataVault
from clinic.application.shared.ports import Clock
from clinic.domain.patients.consents import Consent
from clinic.domain.patients.contacts import ContactPoint, parse_contact_kind, parse_contact_value
from clinic.domain.patients.errors import InvalidPersonalDataError, PatientsNotChangeableError
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.sources import SourceRecord, parse_source
from clinic.domain.patients.tags import parse_tag
from clinic.domain.patients.values import (
    PatientStatus,
    PersonalData,
    parse_comment,
    parse_correction,
)
from clinic.domain.shared.access import Permission
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.text import present

MANUAL_SOURCE = "manual"
Change = Callable[[Patient, str, datetime], None]
"""Applies one command to a patient: (patient, acting username, now)."""


class PatientsService(ContextApplication):
    """Registers and changes patients; every change is an event in the `patients` store.

    Change commands return the notification position of their last event (to wait for the
    read models), or None when the command changed nothing: repeating a command is harmless.
    Their bulk variants return `Changed`: how many patients changed, and that position.
    """

    name = "patients"

    def __init__(
        self,
        clock: Clock,
        env: dict[str, str] | None = None,
        vault: PersonalDataVault | None = None,
        audit: AuditTrail | None = None,
    ) -> None:
        super().__init__(env, vault)
        self.clock = clock
        self.audit = audit

    def register_patient(self, command: RegisterPatient, by: Actor | None = None) -> Registered:
        """Validates and registers one patient; InvalidPersonalDataError names bad fields."""
        actor = self._acting(by, Permission.PATIENTS_WRITE)
        [registered] = self._register([command], actor)
        self._audit_change(by, "patient.registered", registered.patient_id)
        return registered

    def register_patients(
        self, commands: Sequence[RegisterPatient], by: Actor | None = None
    ) -> list[Registered]:
        """Registers many patients in one write; if any row is invalid, none is stored.

        InvalidPersonalDataError keys are prefixed with the row index: `3.phone`.
        """
        actor = self._acting(by, Permission.PATIENTS_WRITE)
        registered = self._register(commands, actor)
        if self.audit is not None and registered:
            details = {"count": len(registered)}
            self.audit.record(actor, "patients.registered", None, None, details)
        return registered

    def correct_personal_data(
        self, command: CorrectPersonalData, by: Actor | None = None
    ) -> int | None:
        """Corrects the fields given (None clears one); InvalidPersonalDataError names bad ones."""
        changes = parse_correction(today=self.clock.now().date(), **command.changes)
        return self._change(
            command.patient_id,
            by,
            "patient.corrected",
            lambda p, u, t: p.correct(changes, by=u, now=t),
        )

    def add_contact_point(self, command: AddContactPoint, by: Actor | None = None) -> int | None:
        point = ContactPoint.parse(command.kind, command.value, command.source)
        return self._change(
            command.patient_id,
            by,
            "patient.contact_point_added",
            lambda p, u, t: p.add_contact_point(point, by=u, now=t),
        )

    def remove_contact_point(
        self, command: RemoveContactPoint, by: Actor | None = None
    ) -> int | None:
        kind = parse_contact_kind(command.kind)
        value = parse_contact_value(kind, command.value)
        return self._change(
            command.patient_id,
            by,
            "patient.contact_point_removed",
            lambda p, u, t: p.remove_contact_point(kind, value, by=u, now=t),
        )

    def grant_consent(self, command: GrantConsent, by: Actor | None = None) -> int | None:
        return self.grant_consents([command.patient_id], command, by).position

    def withdraw_consent(self, command: WithdrawConsent, by: Actor | None = None) -> int | None:
        return self.withdraw_consents([command.patient_id], command, by).position

    def grant_consents(
        self, patient_ids: Iterable[UUID], consent: GrantConsent, by: Actor | None = None
    ) -> Changed:
        """Grants `consent` (its patient_id aside) to every patient listed, or to none."""
        parsed = self._consent(consent, granted=True)
        return self._change_many(
            patient_ids, by, "consent_granted", lambda p, u, t: p.grant_consent(parsed, by=u, now=t)
        )

    def withdraw_consents(
        self, patient_ids: Iterable[UUID], consent: WithdrawConsent, by: Actor | None = None
    ) -> Changed:
        parsed = self._consent(consent, granted=False)
        return self._change_many(
            patient_ids,
            by,
            "consent_withdrawn",
            lambda p, u, t: p.withdraw_consent(parsed, by=u, now=t),
        )

    def tag_patient(self, patient_id: UUID, tag: str, by: Actor | None = None) -> int | None:
        return self.tag_patients([patient_id], tag, by).position

    def untag_patient(self, patient_id: UUID, tag: str, by: Actor | None = None) -> int | None:
        return self.untag_patients([patient_id], tag, by).position

    def tag_patients(
        self, patient_ids: Iterable[UUID], tag: str, by: Actor | None = None
    ) -> Changed:
        text = parse_tag(tag)
        return self._change_many(
            patient_ids, by, "tagged", lambda p, u, t: p.add_tag(text, by=u, now=t)
        )

    def untag_patients(
        self, patient_ids: Iterable[UUID], tag: str, by: Actor | None = None
    ) -> Changed:
        text = parse_tag(tag)
        return self._change_many(
            patient_ids, by, "untagged", lambda p, u, t: p.remove_tag(text, by=u, now=t)
        )

    def link_representative(
        self, command: LinkRepresentative, by: Actor | None = None
    ) -> int | None:
        """Links a parent or guardian, who must be a patient that can still be reached."""
        self._check_representative(command.representative_id, command.patient_id)
        return self._change(
            command.patient_id,
            by,
            "patient.representative_linked",
            lambda p, u, t: p.link_representative(command.representative_id, by=u, now=t),
        )

    def unlink_representative(self, patient_id: UUID, by: Actor | None = None) -> int | None:
        return self._change(
            patient_id,
            by,
            "patient.representative_unlinked",
            lambda p, u, t: p.unlink_representative(by=u, now=t),
        )

    def link_source_record(self, command: LinkSourceRecord, by: Actor | None = None) -> int | None:
        record = SourceRecord.parse(command.source, command.external_id)
        return self._change(
            command.patient_id,
            by,
            "patient.source_record_linked",
            lambda p, u, t: p.link_source_record(record, by=u, now=t),
        )

    def archive_patient(
        self, patient_id: UUID, comment: str, by: Actor | None = None
    ) -> int | None:
        return self.archive_patients([patient_id], comment, by).position

    def restore_patient(
        self, patient_id: UUID, comment: str | None = None, by: Actor | None = None
    ) -> int | None:
        return self.restore_patients([patient_id], comment, by).position

    def archive_patients(
        self, patient_ids: Iterable[UUID], comment: str, by: Actor | None = None
    ) -> Changed:
        """Archives every patient listed, with the comment required, or none of them."""
        text = parse_comment(comment)
        return self._change_many(
            patient_ids, by, "archived", lambda p, u, t: p.archive(text, by=u, now=t)
        )

    def restore_patients(
        self, patient_ids: Iterable[UUID], comment: str | None = None, by: Actor | None = None
    ) -> Changed:
        text = parse_comment(comment) if present(comment) else None
        return self._change_many(
            patient_ids, by, "restored", lambda p, u, t: p.restore(text, by=u, now=t)
        )

    def erase_patient(self, patient_id: UUID, by: Actor | None = None) -> int | None:
        """Erases a patient's personal data for good (right to erasure).

        Returns the Erased event's position, or None when the patient was already erased.

        The event is saved first, then the patient's key is shredded; a retry after a failure in
        between shreds again, so the erasure always completes. Profiles merged into this one are
        the same person's: they are erased too.
        """
        actor = self._acting(by, Permission.PATIENTS_ERASE)
        patient = self._get(patient_id)
        position = None
        if not patient.is_erased:
            patient.erase(erased_at=self.clock.now(), by=actor.username)
            position = last_position(self.save(patient))
        if self.vault is not None:
            self.vault.shred(patient_id)
        if position is not None:
            self._audit_change(by, "patient.erased", patient_id)
        for absorbed_id in patient.absorptions:  # the same person's merged-in profiles
            self.erase_patient(absorbed_id, actor)
        return position

    def get_patient(self, patient_id: UUID) -> Patient:
        return self.repository.get(patient_id)

    def _change(
        self, patient_id: UUID, by: Actor | None, action: str, change: Change
    ) -> int | None:
        """Loads one patient, applies `change` and saves; audits only a real change."""
        actor = self._acting(by, Permission.PATIENTS_WRITE)
        patient = self._get(patient_id)
        change(patient, actor.username, self.clock.now())
        if not patient.pending_events:
            return None
        position = last_position(self.save(patient))
        self._audit_change(by, action, patient_id)
        return position

    def _change_many(
        self, patient_ids: Iterable[UUID], by: Actor | None, action: str, change: Change
    ) -> Changed:
        """All or nothing: every patient must exist and be changeable before any is changed;
        the changed ones are saved in one write. One id is audited as `patient.<action>`,
        several as `patients.<action>` with their count."""
        actor = self._acting(by, Permission.PATIENTS_WRITE)
        patients = self._changeable(list(dict.fromkeys(patient_ids)))
        now = self.clock.now()
        for patient in patients:
            change(patient, actor.username, now)
        changed = [p for p in patients if p.pending_events]
        if not changed:
            return Changed(0, None)
        position = last_position(self.save(*changed))
        if len(patients) == 1:
            self._audit_change(by, f"patient.{action}", patients[0].id)
        elif self.audit is not None:
            self.audit.record(actor, f"patients.{action}", None, None, {"count": len(changed)})
        return Changed(len(changed), position)

    def _changeable(self, patient_ids: list[UUID]) -> list[Patient]:
        patients: list[Patient] = []
        refused: dict[UUID, str] = {}
        for patient_id in patient_ids:
            try:
                patient = self.get_patient(patient_id)
            except AggregateNotFoundError:
                refused[patient_id] = "not found"
                continue
            if patient.status in (PatientStatus.ERASED, PatientStatus.MERGED):
                refused[patient_id] = patient.status
            patients.append(patient)
        if len(patient_ids) == 1 and refused:
            self._get(patient_ids[0]).check_changeable()  # the single-patient errors
        if refused:
            raise PatientsNotChangeableError(refused)
        return patients

    def _get(self, patient_id: UUID) -> Patient:
        try:
            return self.get_patient(patient_id)
        except AggregateNotFoundError:
            raise NotFoundError("patient", patient_id) from None

    def _check_representative(self, representative_id: UUID, patient_id: UUID) -> None:
        field = "representative_id"
        try:
            representative = self.get_patient(representative_id)
        except AggregateNotFoundError:
            raise InvalidFieldError(field, "no such patient", "unknown_patient") from None
        if representative.status in (PatientStatus.ERASED, PatientStatus.MERGED):
            raise InvalidFieldError(
                field, f"the patient is {representative.status}", "representative_unavailable"
            )
        if representative.representative_id == patient_id:
            raise InvalidFieldError(
                field, "is represented by this patient", "circular_representative"
            )

    def _consent(self, command: GrantConsent | WithdrawConsent, *, granted: bool) -> Consent:
        now = self.clock.now()
        at = command.at or now
        consent = Consent.parse(
            channel=command.channel,
            purpose=command.purpose,
            granted=granted,
            source=command.source,
            at=at,
            evidence=command.evidence,
        )
        if at > now:
            raise InvalidFieldError("at", "cannot be in the future", "in_future")
        return consent

    def _register(self, commands: Sequence[RegisterPatient], actor: Actor) -> list[Registered]:
        now = self.clock.now()
        registrations = _validate_all(commands, now.date())
        patients = [
            Patient.register(
                uuid4(), data, now, source=source, external_id=external_id, by=actor.username
            )
            for data, source, external_id in registrations
        ]
        positions = {r.domain_event.originator_id: r.notification.id for r in self.save(*patients)}
        return [Registered(p.id, positions[p.id]) for p in patients]

    @staticmethod
    def _acting(by: Actor | None, permission: Permission) -> Actor:
        """The actor (the CLI operator when none is given), who must hold `permission`."""
        actor = by or Actor.operator()
        actor.demand(permission)
        return actor

    def _audit_change(self, by: Actor | None, action: str, patient_id: UUID) -> None:
        if self.audit is not None:
            self.audit.record(by or Actor.operator(), action, "patient", str(patient_id))


Registration = tuple[PersonalData, str, str | None]
"""Personal data, the registration's source and the patient's id there (if any)."""


def _validate_all(commands: Sequence[RegisterPatient], today: date) -> list[Registration]:
    valid: list[Registration] = []
    problems: list[InvalidFieldError] = []
    for index, command in enumerate(commands):
        try:
            valid.append(_validate(command, today))
        except InvalidPersonalDataError as error:
            prefix = "" if len(commands) == 1 else f"{index}."
            problems += [
                InvalidFieldError(prefix + p.field, p.message, p.code) for p in error.problems()
            ]
    if problems:
        raise InvalidPersonalDataError.of(problems)
    return valid


def _validate(command: RegisterPatient, today: date) -> Registration:
    problems: list[InvalidFieldError] = []
    try:
        data = PersonalData.parse(today=today, **command.fields())
    except InvalidPersonalDataError as error:
        problems += error.problems()
    try:
        source = (command.source or "").strip() or MANUAL_SOURCE
        if present(command.external_id):
            record = SourceRecord.parse(source, command.external_id)
            source, external_id = record.source, record.external_id
        else:
            source, external_id = parse_source(source), None
    except InvalidPersonalDataError as error:
        problems += error.problems()
    except InvalidFieldError as error:
        problems.append(error)
    if problems:
        raise InvalidPersonalDataError.of(problems)
    return data, source, external_id
