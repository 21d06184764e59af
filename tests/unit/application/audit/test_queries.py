"""Searching the audit trail: filters, newest first, pages, read-your-writes — no I/O."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic.application.audit.projections import AuditTrailProjection
from clinic.application.audit.queries import MAX_PAGE_SIZE, READ_YOUR_WRITES_TIMEOUT, AuditQueries
from clinic.application.audit.service import AuditLog
from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Role
from tests.unit.application.audit.fakes import InMemoryAuditTrail
from tests.unit.application.audit.support import START, audit_log, project, recorded_events
from tests.unit.application.fakes import RecordingWaiter

ADMIN = Actor.of("ivanova", Role.ADMIN)
MARKETER = Actor.of("petrov", Role.MARKETER)


@pytest.fixture
def log() -> AuditLog:
    log = audit_log()
    log.record(ADMIN, "user.added", "user", "petrov", {"role": "marketer"})  # at START + 1 s
    log.record(MARKETER, "patient.viewed", "patient", "p-1")  # + 2 s
    log.record(MARKETER, "patients.exported", details={"count": 12})  # + 3 s
    log.record(ADMIN, "user.disabled", "user", "petrov")  # + 4 s
    return log


@pytest.fixture
def trail(log: AuditLog) -> InMemoryAuditTrail:
    return project(recorded_events(log))


@pytest.fixture
def waiter() -> RecordingWaiter:
    return RecordingWaiter()


@pytest.fixture
def queries(trail: InMemoryAuditTrail, waiter: RecordingWaiter) -> AuditQueries:
    return AuditQueries(trail, waiter)


def actions(queries: AuditQueries, **filters: object) -> list[str]:
    return [r.action for r in queries.search(**filters).items]  # type: ignore[arg-type]


class TestSearch:
    def test_everything_newest_first(self, queries: AuditQueries) -> None:
        assert actions(queries) == [
            "user.disabled",
            "patients.exported",
            "patient.viewed",
            "user.added",
        ]

    def test_filters_by_actor_action_and_subject(self, queries: AuditQueries) -> None:
        assert actions(queries, actor="petrov") == ["patients.exported", "patient.viewed"]
        assert actions(queries, action="user.added") == ["user.added"]
        assert actions(queries, subject_type="user", subject_id="petrov") == [
            "user.disabled",
            "user.added",
        ]

    def test_blank_filters_are_no_filters(self, queries: AuditQueries) -> None:
        assert len(actions(queries, actor=" ", action="")) == 4

    def test_since_is_inclusive_and_until_exclusive(self, queries: AuditQueries) -> None:
        since, until = START + timedelta(seconds=2), START + timedelta(seconds=4)
        assert actions(queries, since=since, until=until) == ["patients.exported", "patient.viewed"]

    def test_pages_follow_each_other_without_gaps(self, queries: AuditQueries) -> None:
        first = queries.search(limit=3)
        second = queries.search(limit=3, cursor=first.next_cursor)
        assert [r.action for r in first.items + second.items] == actions(queries)
        assert second.next_cursor is None

    def test_the_page_size_is_clamped(
        self, trail: InMemoryAuditTrail, waiter: RecordingWaiter
    ) -> None:
        searched: list[int] = []

        class CountingView:
            def search(self, where: object, limit: int, cursor: str | None) -> object:
                searched.append(limit)
                return trail.search(where, limit, cursor)  # type: ignore[arg-type]

        queries = AuditQueries(CountingView(), waiter)  # type: ignore[arg-type]
        queries.search(limit=0)
        queries.search(limit=10_000)
        assert searched == [1, MAX_PAGE_SIZE]


class TestReadYourWrites:
    def test_after_waits_for_the_audit_trail_to_reach_the_position(
        self, queries: AuditQueries, waiter: RecordingWaiter
    ) -> None:
        queries.search(after=4)
        assert waiter.waits == [(AuditTrailProjection.name, 4, READ_YOUR_WRITES_TIMEOUT)]

    def test_without_after_nothing_waits(
        self, queries: AuditQueries, waiter: RecordingWaiter
    ) -> None:
        queries.search()
        assert waiter.waits == []
