from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.service import PatientsService
from clinic.domain.patients.patient import Patient
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
