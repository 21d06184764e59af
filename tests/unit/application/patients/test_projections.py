from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.application.patients.commands import (
    AddContactPoint,
    CorrectPersonalData,
    RegisterPatient,
    RemoveContactPoint,
)
from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.service import PatientsService
from clinic.domain.patients.consents import Channel, Consent, Purpose
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.registration import RegistrationDetails
from clinic.domain.patients.values import PersonalData
from tests.unit.application.fakes import POPO, FixedClock, InMemoryPatientList
from tests.unit.domain.strategies import Written, registrations

NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)


class Note(Aggregate):
    """An aggregate of no interest to the patient list."""

    def __init__(self, text: str) -> None:
        self.text = text


def project(events: list[Any]) -> InMemoryPatientList:
    projection = PatientListProjection()
    writer = InMemoryPatientList()
    for event in events:
        projection.apply(event, writer)
    writer.flush()
    return writer


def registered_event(**raw: Any) -> Patient.Registered:
    data = PersonalData.parse(today=NOW.date(), **raw)
    [event] = Patient.register(uuid4(), data, NOW).collect_events()
    assert isinstance(event, Patient.Registered)
    return event


class TestPatientListProjection:
    def test_a_registration_adds_an_active_summary_with_the_data(self) -> None:
        event = registered_event(
            surname="Иванова",
            given_name="Мария",
            patronymic="Петровна",
            sex="F",
            birth_date="15.03.1985",
            phone="+7 916 123-45-67",
            email="maria@mail.ru",
        )
        assert project([event]).rows == {
            event.originator_id: PatientSummary(
                id=event.originator_id,
                surname="Иванова",
                given_name="Мария",
                patronymic="Петровна",
                sex="F",
                birth_date=date(1985, 3, 15),
                phone="+79161234567",
                email="maria@mail.ru",
                status="active",
                registered_at=NOW,
            )
        }

    def test_a_registration_with_details_lists_its_tags_and_granted_consents(self) -> None:
        data = PersonalData.parse(today=NOW.date(), surname="Иванова", phone="9161234567")
        consents = (
            Consent(Channel.SMS, Purpose.MARKETING, True, "mis", NOW, None),
            Consent(Channel.EMAIL, Purpose.MARKETING, False, "mis", NOW, None),
        )
        details = RegistrationDetails(consents=consents, tags=("vip",))
        [event] = Patient.register(uuid4(), data, NOW, details=details).collect_events()

        listed = project([event])

        assert listed.tags == {(event.originator_id, "vip")}
        assert listed.consents == {(event.originator_id, "sms", "marketing")}

    def test_each_registration_adds_its_own_row(self) -> None:
        events = [
            registered_event(surname="Андреев", given_name="Иван"),
            registered_event(surname="Борисова", given_name="Анна"),
        ]
        rows = project(events).rows
        assert {rows[e.originator_id].surname for e in events} == {"Андреев", "Борисова"}

    def test_events_of_other_aggregates_change_nothing(self) -> None:
        [note] = Note(text="hello").collect_events()
        assert project([note]).rows == {}

    def test_it_follows_the_patients_store_and_asks_only_for_registrations(self) -> None:
        assert PatientListProjection.application == PatientsService.name
        assert get_topic(Patient.Registered) in PatientListProjection.topics

    @settings(max_examples=50, deadline=None)
    @given(st.lists(registrations(NOW.date()), max_size=8))
    def test_projecting_all_events_gives_one_summary_per_registered_patient(
        self, rows: list[Written]
    ) -> None:
        service = PatientsService(FixedClock(NOW), env=POPO)
        registered = service.register_patients([RegisterPatient(**r.typed) for r in rows])
        notifications = service.recorder.select_notifications(start=1, limit=1000)
        events = [service.mapper.to_domain_event(n) for n in notifications]

        summaries = project(events).rows

        assert set(summaries) == {r.patient_id for r in registered}
        for registration, row in zip(registered, rows, strict=True):
            summary = summaries[registration.patient_id]
            assert {field: getattr(summary, field) for field in row.canonical} == row.canonical
            assert (summary.status, summary.registered_at) == ("active", NOW)


def projected_after(change: Callable[[PatientsService, UUID], object]) -> PatientSummary:
    """The list row of a registered Мария Иванова after `change`, projected from the store."""
    service = PatientsService(FixedClock(NOW), env=POPO)
    patient_id = service.register_patient(
        RegisterPatient(surname="Иванова", given_name="Мария", phone="+79161234567")
    ).patient_id
    change(service, patient_id)
    notifications = service.recorder.select_notifications(start=1, limit=1000)
    return project([service.mapper.to_domain_event(n) for n in notifications]).rows[patient_id]


class TestPatientListFollowsTheProfile:
    def test_status_follows_archive_and_restore(self) -> None:
        assert projected_after(lambda s, i: s.archive_patient(i, "why")).status == "archived"
        assert (
            projected_after(lambda s, i: (s.archive_patient(i, "why"), s.restore_patient(i))).status
            == "active"
        )

    def test_an_erased_patient_leaves_the_list(self) -> None:
        data = PersonalData.parse(today=NOW.date(), surname="Иванова", given_name="Мария")
        patient = Patient.register(uuid4(), data, NOW)
        patient.erase(erased_at=NOW)
        assert project(list(patient.collect_events())).rows == {}

    def test_corrected_names_are_shown(self) -> None:
        row = projected_after(
            lambda s, i: s.correct_personal_data(
                CorrectPersonalData(i, {"surname": "Петрова", "sex": "F", "city": "Тверь"})
            )
        )
        assert (row.surname, row.given_name, row.sex) == ("Петрова", "Мария", "F")

    def test_the_first_email_added_becomes_the_listed_one(self) -> None:
        row = projected_after(
            lambda s, i: (
                s.add_contact_point(AddContactPoint(i, "email", "a@mail.ru")),
                s.add_contact_point(AddContactPoint(i, "email", "b@mail.ru")),
            )
        )
        assert row.email == "a@mail.ru"

    def test_removing_the_listed_phone_lists_the_next_or_none(self) -> None:
        def replace_phone(service: PatientsService, patient_id: UUID) -> None:
            service.add_contact_point(AddContactPoint(patient_id, "phone", "+79031112233"))
            service.remove_contact_point(RemoveContactPoint(patient_id, "phone", "+79161234567"))

        assert projected_after(replace_phone).phone == "+79031112233"
        assert (
            projected_after(
                lambda s, i: s.remove_contact_point(RemoveContactPoint(i, "phone", "89161234567"))
            ).phone
            is None
        )

    def test_other_kinds_of_contact_points_are_not_listed(self) -> None:
        row = projected_after(
            lambda s, i: s.add_contact_point(AddContactPoint(i, "whatsapp", "+79031112233"))
        )
        assert row.phone == "+79161234567"

    def test_it_asks_for_the_events_it_follows(self) -> None:
        followed = {
            Patient.PersonalDataCorrected,
            Patient.ContactPointAdded,
            Patient.ContactPointRemoved,
            Patient.Archived,
            Patient.Restored,
            Patient.Erased,
        }
        assert {get_topic(e) for e in followed} <= set(PatientListProjection.topics)
