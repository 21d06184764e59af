"""The event source reads an application's notification log in pages (in-memory event store)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.service import PatientsService
from clinic.domain.patients.patient import Patient
from clinic.infrastructure.projections.source import EventSource

REGISTERED = get_topic(Patient.Registered)


class FixedClock:
    def now(self) -> datetime:
        return datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def service() -> PatientsService:
    return PatientsService(clock=FixedClock(), env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def register(service: PatientsService, count: int) -> list[UUID]:
    surnames = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов", "Васильев"]
    commands = [
        RegisterPatient(surname=surnames[i % len(surnames)], given_name="Олег")
        for i in range(count)
    ]
    return [r.patient_id for r in service.register_patients(commands)]


def originators(events: list[object]) -> list[UUID]:
    return [e.originator_id for e in events]  # type: ignore[attr-defined]


class TestHead:
    def test_of_an_empty_store_is_zero(self, service: PatientsService) -> None:
        assert EventSource(service).head() == 0

    def test_is_the_last_notification_position(self, service: PatientsService) -> None:
        register(service, 7)

        assert EventSource(service).head() == 7

    def test_the_source_is_named_after_its_application(self, service: PatientsService) -> None:
        assert EventSource(service).name == "patients"


class TestReadingPages:
    def test_a_full_page_reaches_its_last_event(self, service: PatientsService) -> None:
        ids = register(service, 10)

        page = EventSource(service).read(after=2, limit=4)

        assert originators(page.events) == ids[2:6]
        assert page.reached == 6

    def test_the_last_page_reaches_the_head(self, service: PatientsService) -> None:
        ids = register(service, 10)

        page = EventSource(service).read(after=6, limit=100)

        assert originators(page.events) == ids[6:]
        assert page.reached == 10

    def test_events_are_decoded_domain_events(self, service: PatientsService) -> None:
        [patient_id] = register(service, 1)

        [event] = EventSource(service).read(after=0, limit=10).events

        assert isinstance(event, Patient.Registered)
        assert (event.originator_id, event.surname) == (patient_id, "Иванов")

    def test_nothing_after_the_head_is_an_empty_page_where_it_started(
        self, service: PatientsService
    ) -> None:
        register(service, 3)

        page = EventSource(service).read(after=3, limit=10)

        assert (page.events, page.reached) == ([], 3)

    def test_pages_read_one_after_another_cover_every_event_once(
        self, service: PatientsService
    ) -> None:
        ids = register(service, 23)
        source = EventSource(service)
        seen: list[UUID] = []
        position = 0

        while position < source.head():
            page = source.read(after=position, limit=5)
            seen += originators(page.events)
            position = page.reached

        assert seen == ids


class TestTopicFilter:
    def test_events_of_the_topics_are_read(self, service: PatientsService) -> None:
        ids = register(service, 5)

        page = EventSource(service).read(after=0, limit=10, topics=[REGISTERED])

        assert originators(page.events) == ids
        assert page.reached == 5

    def test_a_page_without_events_of_interest_still_moves_past_them(
        self, service: PatientsService
    ) -> None:
        register(service, 5)
        source = EventSource(service)

        first = source.read(after=0, limit=2, topics=["clinic.elsewhere:Nothing"])
        rest = source.read(after=first.reached, limit=10, topics=["clinic.elsewhere:Nothing"])

        assert (first.events, first.reached) == ([], 2)
        assert (rest.events, rest.reached) == ([], 5)
