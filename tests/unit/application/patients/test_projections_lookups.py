"""The patient list projection keeps what the list's filters look up: city, tags, granted
consents and sources, through merges and erasures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.utils import get_topic

from clinic.application.patients.commands import (
    CorrectPersonalData,
    GrantConsent,
    LinkSourceRecord,
    RegisterPatient,
    WithdrawConsent,
)
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.service import PatientsService
from clinic.domain.patients.merging import merge, unmerge
from clinic.domain.patients.patient import Patient
from tests.unit.application.fakes import POPO, FixedClock, InMemoryPatientList

NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
MARIA = RegisterPatient(
    surname="Иванова", given_name="Мария", phone="+79161234567", city="Тверь", source="mis"
)
Change = Callable[[PatientsService, UUID], object]


def projected(service: PatientsService) -> InMemoryPatientList:
    projection, writer = PatientListProjection(), InMemoryPatientList()
    for notification in service.recorder.select_notifications(start=1, limit=1000):
        projection.apply(service.mapper.to_domain_event(notification), writer)
    writer.flush()
    return writer


def maria_after(
    change: Change, registration: RegisterPatient = MARIA
) -> tuple[UUID, InMemoryPatientList]:
    service = PatientsService(FixedClock(NOW), env=POPO)
    patient_id = service.register_patient(registration).patient_id
    change(service, patient_id)
    return patient_id, projected(service)


def unchanged(service: PatientsService, patient_id: UUID) -> None:
    pass


class TestRegistration:
    def test_the_city_is_listed(self) -> None:
        patient_id, listed = maria_after(unchanged)
        assert listed.rows[patient_id].city == "Тверь"

    def test_the_source_is_recorded_without_a_record_there(self) -> None:
        patient_id, listed = maria_after(unchanged)
        assert listed.sources == {(patient_id, "mis", None)}

    def test_a_registration_with_an_external_id_records_it(self) -> None:
        with_id = RegisterPatient(surname="Иванова", source="import:mis", external_id="A-17")
        patient_id, listed = maria_after(unchanged, with_id)
        assert listed.sources == {(patient_id, "import:mis", "A-17")}

    def test_a_manual_registration_comes_from_manual(self) -> None:
        patient_id, listed = maria_after(unchanged, RegisterPatient(surname="Иванова"))
        assert listed.sources == {(patient_id, "manual", None)}


class TestLookups:
    def test_a_corrected_city_is_listed(self) -> None:
        patient_id, listed = maria_after(
            lambda s, i: s.correct_personal_data(CorrectPersonalData(i, {"city": "Москва"}))
        )
        assert listed.rows[patient_id].city == "Москва"

    def test_tags_follow_tagging_and_untagging(self) -> None:
        def tag(service: PatientsService, patient_id: UUID) -> None:
            for label in ("VIP", "Диабет", "льготник"):
                service.tag_patient(patient_id, label)
            service.untag_patient(patient_id, "диабет")

        patient_id, listed = maria_after(tag)
        assert listed.tags == {(patient_id, "vip"), (patient_id, "льготник")}

    def test_only_consents_granted_and_not_withdrawn_are_kept(self) -> None:
        def consent(service: PatientsService, patient_id: UUID) -> None:
            service.grant_consent(GrantConsent(patient_id, "sms", "marketing"))
            service.grant_consent(GrantConsent(patient_id, "email", "marketing"))
            service.grant_consent(GrantConsent(patient_id, "sms", "marketing", evidence="form 2"))
            service.withdraw_consent(WithdrawConsent(patient_id, "email", "marketing"))
            service.withdraw_consent(WithdrawConsent(patient_id, "telegram", "service"))

        patient_id, listed = maria_after(consent)
        assert listed.consents == {(patient_id, "sms", "marketing")}

    def test_source_records_add_their_sources(self) -> None:
        patient_id, listed = maria_after(
            lambda s, i: s.link_source_record(LinkSourceRecord(i, "website", "u-5"))
        )
        assert listed.sources == {(patient_id, "mis", None), (patient_id, "website", "u-5")}

    def test_an_erasure_removes_everything_of_the_patient(self) -> None:
        def tag_then_erase(service: PatientsService, patient_id: UUID) -> None:
            service.tag_patient(patient_id, "vip")
            service.grant_consent(GrantConsent(patient_id, "sms", "marketing"))
            service.link_source_record(LinkSourceRecord(patient_id, "website", "u-5"))
            service.erase_patient(patient_id)

        _, listed = maria_after(tag_then_erase)
        assert (listed.rows, listed.tags, listed.consents, listed.sources) == (
            {},
            set(),
            set(),
            set(),
        )

    def test_it_asks_for_the_events_it_looks_up(self) -> None:
        followed = {
            Patient.Tagged,
            Patient.Untagged,
            Patient.ConsentGranted,
            Patient.ConsentWithdrawn,
            Patient.SourceRecordLinked,
        }
        assert {get_topic(e) for e in followed} <= set(PatientListProjection.topics)


def merged_pair(*, split: bool) -> tuple[UUID, UUID, InMemoryPatientList]:
    """Мария (the survivor: registered first) and her duplicate from the website, merged (and
    split again when `split`)."""
    service = PatientsService(FixedClock(NOW), env=POPO)
    survivor_id = service.register_patient(MARIA).patient_id
    duplicate_id = service.register_patient(
        RegisterPatient(surname="Иванова", given_name="Мария", source="website", external_id="w-1")
    ).patient_id
    service.tag_patient(duplicate_id, "vip")
    service.grant_consent(GrantConsent(duplicate_id, "email", "marketing"))
    survivor, duplicate = service.get_patient(survivor_id), service.get_patient(duplicate_id)
    merge(survivor, duplicate, rule="manual", score=1.0, by="admin", now=NOW)
    service.save(survivor, duplicate)
    if split:
        survivor, duplicate = service.get_patient(survivor_id), service.get_patient(duplicate_id)
        unmerge(survivor, duplicate, by="admin", now=NOW)
        service.save(survivor, duplicate)
    return survivor_id, duplicate_id, projected(service)


class TestMerges:
    def test_the_survivor_has_what_it_took(self) -> None:
        survivor_id, _, listed = merged_pair(split=False)
        assert (survivor_id, "vip") in listed.tags
        assert (survivor_id, "email", "marketing") in listed.consents
        assert (survivor_id, "website", "w-1") in listed.sources

    def test_the_merged_profile_points_to_its_survivor(self) -> None:
        survivor_id, duplicate_id, listed = merged_pair(split=False)
        row = listed.rows[duplicate_id]
        assert (row.status, row.merged_into) == ("merged", survivor_id)

    def test_an_unmerge_takes_back_what_the_survivor_took(self) -> None:
        survivor_id, duplicate_id, listed = merged_pair(split=True)
        assert {t for t in listed.tags if t[0] == survivor_id} == set()
        assert {c for c in listed.consents if c[0] == survivor_id} == set()
        assert {s for s in listed.sources if s[0] == survivor_id} == {(survivor_id, "mis", None)}
        row = listed.rows[duplicate_id]
        assert (row.status, row.merged_into) == ("active", None)
        assert (duplicate_id, "vip") in listed.tags
