"""The patients context's eventsourcing Application: its commands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.dto import Registered
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditTrail
from clinic.application.shared.errors import NotFoundError
from clinic.application.shared.eventsourced import ContextApplication, last_position
from clinic.application.shared.personal_data import PersonalDataVault
from clinic.application.shared.ports import Clock
from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.values import PersonalData
from clinic.domain.shared.access import Permission
from clinic.domain.shared.errors import InvalidFieldError


class PatientsService(ContextApplication):
    """Registers and changes patients; every change is an event in the `patients` store."""

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
        self._acting(by, Permission.PATIENTS_WRITE)
        [registered] = self._register([command])
        self._audit_change(by, "patient.registered", registered.patient_id)
        return registered

    def register_patients(
        self, commands: Sequence[RegisterPatient], by: Actor | None = None
    ) -> list[Registered]:
        """Registers many patients in one write; if any row is invalid, none is stored.

        InvalidPersonalDataError keys are prefixed with the row index: `3.phone`.
        """
        self._acting(by, Permission.PATIENTS_WRITE)
        registered = self._register(commands)
        if self.audit is not None and registered:
            details = {"count": len(registered)}
            self.audit.record(by or Actor.operator(), "patients.registered", None, None, details)
        return registered

    def erase_patient(self, patient_id: UUID, by: Actor | None = None) -> int | None:
        """Erases a patient's personal data for good (right to erasure).

        Returns the Erased event's position, or None when the patient was already erased.

        The event is saved first, then the patient's key is shredded; a retry after a failure in
        between shreds again, so the erasure always completes.
        """
        self._acting(by, Permission.PATIENTS_ERASE)
        try:
            patient = self.get_patient(patient_id)
        except AggregateNotFoundError:
            raise NotFoundError("patient", patient_id) from None
        position = None
        if not patient.is_erased:
            patient.erase(erased_at=self.clock.now())
            position = last_position(self.save(patient))
        if self.vault is not None:
            self.vault.shred(patient_id)
        if position is not None:
            self._audit_change(by, "patient.erased", patient_id)
        return position

    def get_patient(self, patient_id: UUID) -> Patient:
        return self.repository.get(patient_id)

    def _register(self, commands: Sequence[RegisterPatient]) -> list[Registered]:
        now = self.clock.now()
        patients = [
            Patient.register(uuid4(), data, now) for data in self._validate_all(commands, now)
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

    @staticmethod
    def _validate_all(commands: Sequence[RegisterPatient], now: datetime) -> list[PersonalData]:
        valid: list[PersonalData] = []
        problems: list[InvalidFieldError] = []
        for index, command in enumerate(commands):
            try:
                valid.append(PersonalData.parse(today=now.date(), **command.fields()))
            except InvalidPersonalDataError as error:
                prefix = "" if len(commands) == 1 else f"{index}."
                problems += [
                    InvalidFieldError(prefix + p.field, p.message, p.code) for p in error.problems()
                ]
        if problems:
            raise InvalidPersonalDataError.of(problems)
        return valid
