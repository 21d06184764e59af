from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from eventsourcing.domain import Aggregate, event

from clinic.application.shared.eventsourced import ContextApplication
from tests.unit.application.fakes import POPO


class Visit(Aggregate):
    @event("Booked")
    def __init__(self, day: date) -> None:
        self.day = day

    @event("Moved")
    def move(self, day: date) -> None:
        self.day = day


@pytest.fixture
def application() -> Iterator[ContextApplication]:
    application = ContextApplication(env=POPO)
    yield application
    application.close()


class TestDatesInEvents:
    def test_a_calendar_date_is_stored_as_iso_text_and_read_back_as_a_date(
        self, application: ContextApplication
    ) -> None:
        visit = Visit(day=date(2025, 6, 1))
        application.save(visit)
        [stored] = application.recorder.select_notifications(start=1, limit=10)
        assert b"2025-06-01" in stored.state
        assert application.repository.get(visit.id).day == date(2025, 6, 1)


class TestSavedListeners:
    def test_every_listener_hears_the_last_position_of_each_save(
        self, application: ContextApplication
    ) -> None:
        first: list[int] = []
        second: list[int] = []
        application.add_saved_listener(first.append)
        application.add_saved_listener(second.append)

        visit = Visit(day=date(2025, 6, 1))
        visit.move(day=date(2025, 6, 2))
        application.save(visit)
        application.save(Visit(day=date(2025, 6, 3)))

        assert first == second == [2, 3]

    def test_a_save_with_nothing_to_record_is_not_announced(
        self, application: ContextApplication
    ) -> None:
        heard: list[int] = []
        application.add_saved_listener(heard.append)
        application.save()
        assert heard == []
