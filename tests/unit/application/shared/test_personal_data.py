"""Personal fields are sealed per subject in stored events, and gone once the key is shredded."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from clinic.application.patients.commands import (
    AddContactPoint,
    CorrectPersonalData,
    GrantConsent,
    LinkSourceRecord,
    RegisterPatient,
    RemoveContactPoint,
)
from clinic.application.patients.service import PatientsService
from clinic.application.shared.errors import NotFoundError
from clinic.application.shared.personal_data import SEALED
from clinic.domain.patients.patient import Patient
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


def profile_changes(service: PatientsService, patient_id: UUID) -> None:
    """One of each change that carries personal data."""
    service.correct_personal_data(
        CorrectPersonalData(
            patient_id, {"surname": "Петрова", "address": "ул. Ленина, 1", "postcode": "101000"}
        )
    )
    service.add_contact_point(AddContactPoint(patient_id, "telegram", "5550001"))
    service.add_contact_point(AddContactPoint(patient_id, "whatsapp", "+7 903 111-22-33"))
    service.remove_contact_point(RemoveContactPoint(patient_id, "phone", "+79161234567"))
    service.grant_consent(GrantConsent(patient_id, "sms", "marketing", evidence="бланк 77"))
    service.link_source_record(LinkSourceRecord(patient_id, "mis", "MIS-4242"))
    service.tag_patient(patient_id, "vip")
    service.archive_patient(patient_id, "переехала в Тверь")


SECRETS = ("Петрова", "Ленина", "101000", "5550001", "79031112233", "бланк 77", "MIS-4242", "Тверь")


class TestSealedProfileChanges:
    def test_stored_changes_carry_personal_values_only_sealed(
        self, service: PatientsService
    ) -> None:
        patient_id = service.register_patient(MARIA).patient_id
        profile_changes(service, patient_id)
        stored = b"".join(e.state for e in service.recorder.select_events(patient_id))
        assert [s for s in SECRETS if s.encode() in stored] == []
        assert b"vip" in stored  # tags, kinds, channels and sources stay readable

    def test_after_erasure_a_reloaded_patient_has_no_personal_values_left(
        self, service: PatientsService
    ) -> None:
        patient_id = service.register_patient(MARIA).patient_id
        profile_changes(service, patient_id)
        service.erase_patient(patient_id)
        service.repository.cache = None
        patient = service.get_patient(patient_id)
        assert (patient.surname, patient.address, patient.postcode) == (None, None, None)
        assert (patient.contact_points, patient.source_records) == ([], [])
        assert (patient.archive_comment, patient.phone, patient.email) == (None, None, None)
        [consent] = patient.consents.values()
        assert (consent.granted, consent.evidence) == (True, None)
        assert patient.tags == {"vip"}
        events = [
            service.mapper.to_domain_event(e) for e in service.recorder.select_events(patient_id)
        ]
        values = {str(v) for event in events for v in vars(event).values()}
        assert [s for s in SECRETS if any(s in v for v in values)] == []


class TestEventsStoredBeforeTheProfileGrew:
    def store_old_registration(self, service: PatientsService, vault: ReversibleVault) -> UUID:
        """A `Registered` event as stored before version 2: no place, source or `by`."""
        patient_id = uuid4()
        transcoder = service.mapper.transcoder
        personal = {
            "surname": "Иванова", "given_name": "Мария", "patronymic": None,
            "birth_date": date(1985, 3, 15), "phone": "+79161234567", "email": None,
        }  # fmt: skip
        vault.prepare([patient_id])
        state = {
            "timestamp": NOW,
            "originator_topic": get_topic(Patient),
            "sex": "F",
            "registered_at": NOW,
            SEALED: {
                "fields": list(personal),
                "sealed": vault.seal(patient_id, transcoder.encode(personal)),
            },
        }
        service.recorder.insert_events(
            [StoredEvent(patient_id, 1, get_topic(Patient.Registered), transcoder.encode(state))]
        )
        return patient_id

    def test_an_old_registration_loads_with_the_new_fields_empty(
        self, service: PatientsService, vault: ReversibleVault
    ) -> None:
        patient = service.get_patient(self.store_old_registration(service, vault))
        assert (patient.surname, patient.phone, patient.birth_date) == (
            "Иванова",
            "+79161234567",
            date(1985, 3, 15),
        )
        assert (patient.city, patient.time_zone, patient.registered_by) == (None, None, None)
        assert patient.contact_points[0].source == "unknown"
        assert patient.source_records == []

    def test_an_old_patient_takes_changes_and_erasure(
        self, service: PatientsService, vault: ReversibleVault
    ) -> None:
        patient_id = self.store_old_registration(service, vault)
        service.tag_patient(patient_id, "vip")
        service.erase_patient(patient_id)
        service.repository.cache = None
        patient = service.get_patient(patient_id)
        assert (patient.is_erased, patient.surname, patient.tags) == (True, None, {"vip"})

    def test_an_old_erasure_loads_without_who(
        self, service: PatientsService, vault: ReversibleVault
    ) -> None:
        patient_id = self.store_old_registration(service, vault)
        state = service.mapper.transcoder.encode({"timestamp": NOW, "erased_at": NOW})
        service.recorder.insert_events(
            [StoredEvent(patient_id, 2, get_topic(Patient.Erased), state)]
        )
        [_, erased] = [
            service.mapper.to_domain_event(e) for e in service.recorder.select_events(patient_id)
        ]
        assert isinstance(erased, Patient.Erased)
        assert (erased.by, erased.erased_at) == (None, NOW)
        assert service.get_patient(patient_id).is_erased
