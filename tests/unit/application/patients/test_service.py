from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

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
from clinic.application.patients.service import PatientsService
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import NotFoundError, PermissionDeniedError
from clinic.domain.patients.consents import Channel, Purpose
from clinic.domain.patients.errors import (
    InvalidPersonalDataError,
    PatientNotChangeableError,
    PatientsNotChangeableError,
)
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.sources import SourceRecord
from clinic.domain.shared.access import Role
from clinic.domain.shared.errors import InvalidFieldError
from tests.unit.application.fakes import POPO, FixedClock, RecordingAuditTrail

NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
MARIA = RegisterPatient(
    surname="иванова",
    given_name="Мария",
    patronymic="Петровна",
    sex="ж",
    birth_date="15.03.1985",
    phone="8 (916) 123-45-67",
    email="maria@Mail.RU",
)


@pytest.fixture
def service() -> Iterator[PatientsService]:
    service = PatientsService(FixedClock(NOW), env=POPO)
    yield service
    service.close()


def recorded_events(service: PatientsService) -> list[Any]:
    notifications = service.recorder.select_notifications(start=1, limit=10_000)
    return [service.mapper.to_domain_event(n) for n in notifications]


def person(surname: str, **fields: str) -> RegisterPatient:
    return RegisterPatient(surname=surname, given_name="Иван", **fields)


class TestRegisterPatient:
    def test_returns_the_new_id_and_the_position_of_its_event(
        self, service: PatientsService
    ) -> None:
        registered = service.register_patient(MARIA)
        assert registered.position == service.recorder.max_notification_id()
        [event] = recorded_events(service)
        assert event.originator_id == registered.patient_id

    def test_stores_the_normalised_data_registered_now(self, service: PatientsService) -> None:
        registered = service.register_patient(MARIA)
        patient = service.get_patient(registered.patient_id)
        assert (
            patient.surname,
            patient.given_name,
            patient.patronymic,
            patient.sex,
            patient.birth_date,
            patient.phone,
            patient.email,
            patient.registered_at,
            patient.status,
        ) == (
            "Иванова",
            "Мария",
            "Петровна",
            "F",
            date(1985, 3, 15),
            "+79161234567",
            "maria@mail.ru",
            NOW,
            "active",
        )

    def test_the_stored_event_is_a_registration(self, service: PatientsService) -> None:
        service.register_patient(MARIA)
        [event] = recorded_events(service)
        assert isinstance(event, Patient.Registered)
        assert event.birth_date == date(1985, 3, 15)

    def test_each_registration_gets_a_new_id_and_a_later_position(
        self, service: PatientsService
    ) -> None:
        first = service.register_patient(MARIA)
        second = service.register_patient(MARIA)
        assert first.patient_id != second.patient_id
        assert second.position > first.position

    def test_invalid_data_is_rejected_by_field_and_nothing_is_stored(
        self, service: PatientsService
    ) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.register_patient(person("7", phone="12"))
        assert set(raised.value.errors) == {"surname", "phone"}
        assert service.recorder.max_notification_id() is None

    def test_the_future_is_judged_by_the_clock(self) -> None:
        before_birth = datetime(1985, 3, 14, 23, 59, tzinfo=UTC)
        service = PatientsService(FixedClock(before_birth), env=POPO)
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.register_patient(MARIA)
        assert set(raised.value.errors) == {"birth_date"}

    def test_saved_listeners_hear_the_new_position(self, service: PatientsService) -> None:
        heard: list[int] = []
        service.add_saved_listener(heard.append)
        registered = service.register_patient(MARIA)
        assert heard == [registered.position]


class TestRegisterPatients:
    def test_every_row_is_registered_in_order(self, service: PatientsService) -> None:
        rows = [person("Андреев"), person("Борисов"), person("Васильев")]
        registered = service.register_patients(rows)
        surnames = [service.get_patient(r.patient_id).surname for r in registered]
        assert surnames == ["Андреев", "Борисов", "Васильев"]

    def test_positions_are_distinct_and_the_last_is_the_head_of_the_log(
        self, service: PatientsService
    ) -> None:
        registered = service.register_patients([person("Андреев"), person("Борисов")])
        positions = [r.position for r in registered]
        assert len(set(positions)) == 2
        assert max(positions) == service.recorder.max_notification_id()

    def test_listeners_hear_once_per_write_with_the_last_position(
        self, service: PatientsService
    ) -> None:
        heard: list[int] = []
        service.add_saved_listener(heard.append)
        registered = service.register_patients([person("Андреев"), person("Борисов")])
        assert heard == [max(r.position for r in registered)]

    def test_one_invalid_row_stores_nothing(self, service: PatientsService) -> None:
        service.register_patient(MARIA)
        before = service.recorder.max_notification_id()
        rows = [person("Андреев"), person("Борисов", phone="12"), person("Васильев")]
        with pytest.raises(InvalidPersonalDataError):
            service.register_patients(rows)
        assert service.recorder.max_notification_id() == before

    def test_errors_are_keyed_by_row_index_and_field(self, service: PatientsService) -> None:
        rows = [
            person("Андреев"),
            person("Борисов", phone="12"),
            person("1", email="nope"),
            person("Григорьев", sex="X"),
        ]
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.register_patients(rows)
        assert set(raised.value.errors) == {"1.phone", "2.surname", "2.email", "3.sex"}

    def test_no_rows_register_no_one(self, service: PatientsService) -> None:
        assert service.register_patients([]) == []
        assert service.recorder.max_notification_id() is None


ADMIN = Actor.of("admin", Role.ADMIN)
ANALYST = Actor.of("ann", Role.ANALYST)


@pytest.fixture
def audit() -> RecordingAuditTrail:
    return RecordingAuditTrail()


@pytest.fixture
def audited(audit: RecordingAuditTrail) -> Iterator[PatientsService]:
    service = PatientsService(FixedClock(NOW), env=POPO, audit=audit)
    yield service
    service.close()


def events_of(service: PatientsService, patient_id: UUID) -> list[Any]:
    return [e for e in recorded_events(service) if e.originator_id == patient_id]


def registered(service: PatientsService, command: RegisterPatient = MARIA) -> UUID:
    return service.register_patient(command, by=ADMIN).patient_id


class TestRegisterWithPlaceAndSource:
    def test_place_and_first_source_record_are_registered_by_the_actor(
        self, service: PatientsService
    ) -> None:
        command = replace(
            MARIA, city="Тверь", postcode="170 000", source="Import:XLSX", external_id=" 17 "
        )
        patient = service.get_patient(registered(service, command))
        assert (patient.city, patient.postcode, patient.registered_by) == (
            "Тверь",
            "170000",
            "admin",
        )
        assert patient.source_records == [SourceRecord("import:xlsx", "17")]
        assert {p.source for p in patient.contact_points} == {"import:xlsx"}

    def test_without_a_source_a_registration_is_manual(self, service: PatientsService) -> None:
        assert service.get_patient(registered(service)).contact_points[0].source == "manual"

    def test_bad_source_fields_are_named_with_the_row(self, service: PatientsService) -> None:
        rows = [person("Андреев"), person("Борисов", source="?!", postcode="1")]
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.register_patients(rows)
        assert set(raised.value.errors) == {"1.source", "1.postcode"}


class TestCorrectPersonalData:
    def test_the_correction_is_stored_and_returns_its_position(
        self, service: PatientsService
    ) -> None:
        patient_id = registered(service)
        position = service.correct_personal_data(
            CorrectPersonalData(patient_id, {"surname": "петрова", "time_zone": "Asia/Omsk"}),
            by=ADMIN,
        )
        assert position == service.recorder.max_notification_id()
        patient = service.get_patient(patient_id)
        assert (patient.surname, patient.time_zone) == ("Петрова", "Asia/Omsk")
        corrected = events_of(service, patient_id)[-1]
        assert (corrected.by, corrected.corrected_at) == ("admin", NOW)

    def test_invalid_fields_are_named_and_nothing_is_stored(self, service: PatientsService) -> None:
        patient_id = registered(service)
        before = service.recorder.max_notification_id()
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.correct_personal_data(
                CorrectPersonalData(patient_id, {"birth_date": "31.02.1990", "surname": ""})
            )
        assert set(raised.value.errors) == {"birth_date", "surname"}
        assert service.recorder.max_notification_id() == before

    def test_an_unchanged_value_stores_nothing(self, service: PatientsService) -> None:
        patient_id = registered(service)
        change = CorrectPersonalData(patient_id, {"surname": "Иванова"})
        assert service.correct_personal_data(change) is None


class TestContactPointCommands:
    def test_added_and_removed_points_are_stored(self, service: PatientsService) -> None:
        patient_id = registered(service)
        service.add_contact_point(AddContactPoint(patient_id, "telegram", "42", "bot"), by=ADMIN)
        service.remove_contact_point(RemoveContactPoint(patient_id, "email", "MARIA@mail.ru"))
        patient = service.get_patient(patient_id)
        assert [(p.kind, p.value) for p in patient.contact_points] == [
            ("phone", "+79161234567"),
            ("telegram", "42"),
        ]

    def test_adding_an_existing_point_returns_none_and_stores_nothing(
        self, service: PatientsService
    ) -> None:
        patient_id = registered(service)
        again = AddContactPoint(patient_id, "phone", "+7 916 123-45-67", "import")
        assert service.add_contact_point(again) is None
        assert len(events_of(service, patient_id)) == 1

    def test_a_bad_value_is_named(self, service: PatientsService) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.add_contact_point(AddContactPoint(registered(service), "email", "nope"))
        assert set(raised.value.errors) == {"value"}

    def test_an_unknown_patient_is_not_found(self, service: PatientsService) -> None:
        with pytest.raises(NotFoundError):
            service.add_contact_point(AddContactPoint(uuid4(), "phone", "+79161234567"))


class TestConsentCommands:
    def test_granted_then_withdrawn(self, service: PatientsService) -> None:
        patient_id = registered(service)
        earlier = NOW - timedelta(days=3)
        service.grant_consent(
            GrantConsent(patient_id, "sms", "marketing", "website", "form 7", at=earlier)
        )
        assert service.get_patient(patient_id).has_consent(Channel.SMS, Purpose.MARKETING)
        service.withdraw_consent(WithdrawConsent(patient_id, "sms", "marketing", "unsubscribe"))
        consent = service.get_patient(patient_id).consents[Channel.SMS, Purpose.MARKETING]
        assert (consent.granted, consent.source, consent.at) == (False, "unsubscribe", NOW)

    def test_a_consent_from_the_future_is_refused(self, service: PatientsService) -> None:
        later = NOW + timedelta(minutes=1)
        with pytest.raises(InvalidFieldError) as raised:
            service.grant_consent(GrantConsent(registered(service), "sms", "service", at=later))
        assert raised.value.field == "at"

    def test_bad_channel_and_purpose_are_named(self, service: PatientsService) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.grant_consent(GrantConsent(registered(service), "fax", "spam"))
        assert set(raised.value.errors) == {"channel", "purpose"}

    def test_granting_to_many_is_one_write(self, service: PatientsService) -> None:
        ids = [registered(service) for _ in range(3)]
        heard: list[int] = []
        service.add_saved_listener(heard.append)
        service.grant_consents(ids, GrantConsent(ids[0], "email", "marketing"))
        assert len(heard) == 1
        assert all(
            service.get_patient(i).has_consent(Channel.EMAIL, Purpose.MARKETING) for i in ids
        )


class TestTagCommands:
    def test_tags_are_normalised_and_tagging_twice_stores_once(
        self, service: PatientsService
    ) -> None:
        patient_id = registered(service)
        assert service.tag_patient(patient_id, "  VIP ") is not None
        assert service.tag_patient(patient_id, "vip") is None
        assert service.get_patient(patient_id).tags == {"vip"}
        service.untag_patient(patient_id, "Vip")
        assert service.get_patient(patient_id).tags == set()

    def test_a_bad_tag_is_refused_before_anything_is_loaded(self, service: PatientsService) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            service.tag_patients([uuid4()], "")
        assert raised.value.field == "tag"


class TestRepresentativeCommands:
    def test_a_guardian_is_linked_and_unlinked(self, service: PatientsService) -> None:
        child, mother = registered(service), registered(service)
        service.link_representative(LinkRepresentative(child, mother), by=ADMIN)
        assert service.get_patient(child).representative_id == mother
        service.unlink_representative(child, by=ADMIN)
        assert service.get_patient(child).representative_id is None

    @pytest.mark.parametrize("who", ["self", "unknown", "erased", "represented"])
    def test_the_representative_must_be_another_reachable_patient(
        self, service: PatientsService, who: str
    ) -> None:
        child, other = registered(service), registered(service)
        if who == "erased":
            service.erase_patient(other)
        if who == "represented":
            service.link_representative(LinkRepresentative(other, child))
        representative = {"self": child, "unknown": uuid4()}.get(who, other)
        with pytest.raises(InvalidFieldError) as raised:
            service.link_representative(LinkRepresentative(child, representative))
        assert raised.value.field == "representative_id"


class TestLinkSourceRecord:
    def test_a_record_is_linked_once(self, service: PatientsService) -> None:
        patient_id = registered(service)
        assert service.link_source_record(LinkSourceRecord(patient_id, "mis", "A-1")) is not None
        assert service.link_source_record(LinkSourceRecord(patient_id, "MIS", "A-1")) is None
        assert service.get_patient(patient_id).source_records == [SourceRecord("mis", "A-1")]


class TestArchivePatients:
    def test_archived_with_a_comment_and_restored(self, service: PatientsService) -> None:
        patient_id = registered(service)
        service.archive_patient(patient_id, "moved to another city", by=ADMIN)
        patient = service.get_patient(patient_id)
        assert (patient.status, patient.archive_comment) == ("archived", "moved to another city")
        service.restore_patient(patient_id, by=ADMIN)
        assert service.get_patient(patient_id).status == "active"

    def test_archiving_needs_a_comment(self, service: PatientsService) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            service.archive_patient(registered(service), " ")
        assert raised.value.field == "comment"

    def test_archive_and_restore_are_no_ops_when_already_there(
        self, service: PatientsService
    ) -> None:
        patient_id = registered(service)
        assert service.restore_patient(patient_id) is None
        assert service.archive_patient(patient_id, "why") is not None
        assert service.archive_patient(patient_id, "why") is None

    def test_bulk_archive_is_one_write(self, service: PatientsService) -> None:
        ids = [registered(service) for _ in range(3)]
        heard: list[int] = []
        service.add_saved_listener(heard.append)
        changed = service.archive_patients(ids, "closed branch", by=ADMIN)
        assert heard == [changed.position]
        assert changed.count == 3
        assert {service.get_patient(i).status for i in ids} == {"archived"}

    def test_bulk_archive_is_all_or_nothing_and_names_the_refused_ids(
        self, service: PatientsService
    ) -> None:
        kept, erased = registered(service), registered(service)
        service.erase_patient(erased)
        unknown = uuid4()
        before = service.recorder.max_notification_id()
        with pytest.raises(PatientsNotChangeableError) as raised:
            service.archive_patients([kept, erased, unknown], "closed branch")
        assert raised.value.reasons == {erased: "erased", unknown: "not found"}
        assert str(unknown) in str(raised.value)
        assert service.recorder.max_notification_id() == before
        assert service.get_patient(kept).status == "active"

    def test_bulk_restore_leaves_active_patients_alone(self, service: PatientsService) -> None:
        archived, active = registered(service), registered(service)
        service.archive_patient(archived, "why")
        assert service.restore_patients([archived, active]).count == 1
        assert [e.__class__ for e in events_of(service, active)] == [Patient.Registered]


class TestErasedPatientsRefuseChanges:
    @pytest.mark.parametrize(
        "command",
        [
            lambda s, i: s.correct_personal_data(CorrectPersonalData(i, {"surname": "Петрова"})),
            lambda s, i: s.add_contact_point(AddContactPoint(i, "phone", "+79031112233")),
            lambda s, i: s.grant_consent(GrantConsent(i, "sms", "service")),
            lambda s, i: s.tag_patient(i, "vip"),
            lambda s, i: s.archive_patient(i, "why"),
            lambda s, i: s.restore_patient(i),
            lambda s, i: s.link_source_record(LinkSourceRecord(i, "mis", "1")),
        ],
    )
    def test_every_command_is_refused(
        self, service: PatientsService, command: Callable[[PatientsService, UUID], object]
    ) -> None:
        patient_id = registered(service)
        service.erase_patient(patient_id)
        before = service.recorder.max_notification_id()
        with pytest.raises(PatientNotChangeableError):
            command(service, patient_id)
        assert service.recorder.max_notification_id() == before


class TestWhoMayChangePatients:
    def test_changes_need_the_write_permission(self, service: PatientsService) -> None:
        patient_id = registered(service)
        with pytest.raises(PermissionDeniedError):
            service.tag_patient(patient_id, "vip", by=ANALYST)
        with pytest.raises(PermissionDeniedError):
            service.archive_patients([patient_id], "why", by=ANALYST)

    def test_real_changes_are_audited_and_no_ops_are_not(
        self, audited: PatientsService, audit: RecordingAuditTrail
    ) -> None:
        first, second = registered(audited), registered(audited)
        audit.entries.clear()
        audited.tag_patient(first, "vip", by=ADMIN)
        audited.tag_patient(first, "vip", by=ADMIN)
        audited.archive_patients([first, second], "why", by=ADMIN)
        audited.add_contact_point(AddContactPoint(second, "telegram", "7"), by=ADMIN)
        assert audit.entries == [
            ("admin", "patient.tagged", str(first), None),
            ("admin", "patients.archived", None, {"count": 2}),
            ("admin", "patient.contact_point_added", str(second), None),
        ]
