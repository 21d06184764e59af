"""Personal fields are sealed per subject in stored events, and gone once the key is shredded."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.service import PatientsService
from clinic.application.shared.errors import NotFoundError
from clinic.application.shared.personal_data import SEALED
from tests.unit.application.fakes import FixedClock

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class ReversibleVault:
    """A stand-in vault: 'sealing' is base64 with the subject id prefixed; shredding forgets."""

    def __init__(self) -> None:
        self.keys: set[UUID] = set()
        self.prepared: list[set[UUID]] = []

    def prepare(self, subjects: Iterable[UUID]) -> None:
        batch = set(subjects)
        self.prepared.append(batch)
        self.keys |= batch

    def prefetch(self, subjects: Iterable[UUID]) -> None:
        pass

    def seal(self, subject: UUID, plaintext: bytes) -> str:
        assert subject in self.keys, "sealed before its key was prepared"
        return base64.b64encode(subject.bytes + plaintext[::-1]).decode()

    def open(self, subject: UUID, sealed: str) -> bytes | None:
        if subject not in self.keys:
            return None
        box = base64.b64decode(sealed)
        assert box[:16] == subject.bytes
        return box[16:][::-1]

    def shred(self, subject: UUID) -> None:
        self.keys.discard(subject)


@pytest.fixture
def vault() -> ReversibleVault:
    return ReversibleVault()


@pytest.fixture
def service(vault: ReversibleVault) -> PatientsService:
    return PatientsService(
        FixedClock(NOW), env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, vault=vault
    )


MARIA = RegisterPatient(
    surname="Иванова", given_name="Мария", sex="F", birth_date="15.03.1985", phone="89161234567"
)


class TestSealedPersonalData:
    def test_stored_events_carry_personal_fields_only_sealed(
        self, service: PatientsService
    ) -> None:
        registered = service.register_patient(MARIA)
        [stored] = service.recorder.select_events(registered.patient_id)
        state = service.mapper.transcoder.decode(stored.state)
        assert {"surname", "given_name", "phone", "birth_date"}.isdisjoint(state)
        assert set(state[SEALED]["fields"]) >= {"surname", "phone", "email", "birth_date"}
        assert state["sex"] == "F"

    def test_keys_are_prepared_once_per_save_for_every_new_subject(
        self, service: PatientsService, vault: ReversibleVault
    ) -> None:
        registered = service.register_patients([MARIA, MARIA])
        assert vault.prepared == [{r.patient_id for r in registered}]

    def test_events_read_back_whole_while_the_key_exists(self, service: PatientsService) -> None:
        patient = service.get_patient(service.register_patient(MARIA).patient_id)
        assert (patient.surname, patient.phone, patient.birth_date) == (
            "Иванова",
            "+79161234567",
            date(1985, 3, 15),
        )


class TestErasure:
    def test_after_erasure_past_events_load_without_personal_data(
        self, service: PatientsService
    ) -> None:
        patient_id = service.register_patient(MARIA).patient_id
        service.erase_patient(patient_id)
        service.repository.cache = None  # read from the stored events, not from memory
        patient = service.get_patient(patient_id)
        assert patient.is_erased
        assert (patient.surname, patient.given_name, patient.phone) == (None, None, None)
        assert patient.sex == "F"

    def test_other_patients_are_untouched(self, service: PatientsService) -> None:
        erased, kept = (r.patient_id for r in service.register_patients([MARIA, MARIA]))
        service.erase_patient(erased)
        assert service.get_patient(kept).surname == "Иванова"

    def test_an_unknown_patient_cannot_be_erased(self, service: PatientsService) -> None:
        with pytest.raises(NotFoundError):
            service.erase_patient(uuid4())
