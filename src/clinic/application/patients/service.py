"""The patients context's eventsourcing Application: its commands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.dto import Registered
from clinic.application.shared.eventsourced import ContextApplication, last_position
from clinic.application.shared.personal_data import PersonalDataVault
from clinic.application.shared.ports import Clock
from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.values import PersonalData
from clinic.domain.shared.errors import InvalidFieldError


class PatientsService(ContextApplication):
    """Registers and changes patients; every change is an event in the `patients` store."""

    name = "patients"

    def __init__(
        self,
        clock: Clock,
        env: dict[str, str] | None = None,
        vault: PersonalDataVault | None = None,
    ) -> None:
        super().__init__(env, vault)
        self.clock = clock

    def register_patient(self, command: RegisterPatient) -> Registered:
        """Validates and registers one patient; InvalidPersonalDataError names bad fields."""
        [registered] = self.register_patients([command])
        return registered

    def register_patients(self, commands: Sequence[RegisterPatient]) -> list[Registered]:
        """Registers many patients in one write; if any row is invalid, none is stored.

        InvalidPersonalDataError keys are prefixed with the row index: `3.phone`.
        """
        now = self.clock.now()
        patients = [
            Patient.register(uuid4(), data, now) for data in self._validate_all(commands, now)
        ]
        positions = {r.domain_event.originator_id: r.notification.id for r in self.save(*patients)}
        return [Registered(p.id, positions[p.id]) for p in patients]

    def erase_patient(self, patient_id: UUID) -> int | None:
        """Erases a patient's personal data for good (right to erasure).

        Returns the Erased event's position, or None when the patient was already erased.

        The event is saved first, then the patient's key is shredded; a retry after a failure in
        between shreds again, so the erasure always completes.
        """
        patient = self.get_patient(patient_id)
        position = None
        if not patient.is_erased:
            patient.erase(erased_at=self.clock.now())
            position = last_position(self.save(patient))
        if self.vault is not None:
            self.vault.shred(patient_id)
        return position

    def get_patient(self, patient_id: UUID) -> Patient:
        return self.repository.get(patient_id)

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
