"""The projection runner on SQLite and PostgreSQL, with the patient list as the real projection."""

from __future__ import annotations

import math
import threading
from typing import Any

import pytest
from sqlalchemy import event

from clinic.infrastructure.patients.sql_views import SqlPatientListWriter
from clinic.infrastructure.projections.source import EventSource, Page
from clinic.presentation.bootstrap.containers import ApplicationContainer, close_container
from tests.integration.projections.support import (
    ContainerFactory,
    CrashingWriter,
    WriterCrashedError,
    build_runner,
    corrupt,
    event_store_head,
    read_model,
    register,
    row_count,
    tracked_position,
)

N = 2500


class TestCatchUpFromTheStart:
    def test_applies_every_event_exactly_once(self, container: ApplicationContainer) -> None:
        registered = register(container, N)

        moved = container.projections().runner("patient_list").catch_up()

        head = event_store_head(container)
        assert moved == head
        assert set(read_model(container)) == {r.patient_id for r in registered}
        assert row_count(container) == N
        assert tracked_position(container) == head

    def test_a_second_catch_up_finds_nothing_to_do(self, container: ApplicationContainer) -> None:
        register(container, 30)
        container.projections().catch_up()
        before = read_model(container)

        assert container.projections().catch_up() == 0
        assert read_model(container) == before


class TestCatchUpIsBatched:
    @pytest.mark.parametrize("batch_size", [1000, 700, 2500, 4000])
    def test_one_transaction_per_batch(
        self, make_container: ContainerFactory, batch_size: int
    ) -> None:
        container = make_container(projection_batch_size=batch_size)
        register(container, N)
        projections = container.projections()
        commits: list[int] = []
        engine = container.core.database().write_engine
        event.listen(engine, "commit", lambda _connection: commits.append(1))

        projections.runner("patient_list").catch_up()

        assert len(commits) == math.ceil(N / batch_size)
        assert row_count(container) == N


class TestRestart:
    def test_a_new_process_goes_on_where_the_last_one_stopped(
        self, make_container: ContainerFactory
    ) -> None:
        first = make_container(projection_batch_size=1000)
        registered = register(first, N)
        runner = first.projections().runner("patient_list")
        assert runner.run_batch() == 1000
        assert runner.run_batch() == 1000
        close_container(first)

        second = make_container(projection_batch_size=1000)
        moved = second.projections().runner("patient_list").catch_up()

        assert moved == event_store_head(second) - 2000
        assert set(read_model(second)) == {r.patient_id for r in registered}
        assert row_count(second) == N
        assert tracked_position(second) == event_store_head(second)

    def test_events_recorded_while_stopped_are_applied_at_the_next_start(
        self, make_container: ContainerFactory
    ) -> None:
        first = make_container()
        before = register(first, 40)
        first.projections().catch_up()
        close_container(first)

        second = make_container()
        after = register(second, 25)
        second.projections().catch_up()

        assert set(read_model(second)) == {r.patient_id for r in before + after}
        assert tracked_position(second) == event_store_head(second)


class TestFailingBatch:
    def test_rolls_back_every_row_of_the_batch_and_keeps_the_position(
        self, container: ApplicationContainer
    ) -> None:
        register(container, 250)
        build_runner(container, batch_size=100).run_batch()
        rows_before = read_model(container)
        position_before = tracked_position(container)
        failing = build_runner(container, batch_size=100, writer_factory=CrashingWriter.factory(30))

        with pytest.raises(WriterCrashedError):
            failing.run_batch()

        assert read_model(container) == rows_before
        assert tracked_position(container) == position_before
        assert failing.position == position_before

    def test_a_healthy_runner_then_completes_the_read_model(
        self, container: ApplicationContainer
    ) -> None:
        registered = register(container, 250)
        failing = build_runner(container, batch_size=100, writer_factory=CrashingWriter.factory(30))
        with pytest.raises(WriterCrashedError):
            failing.catch_up()

        build_runner(container, batch_size=100).catch_up()

        assert set(read_model(container)) == {r.patient_id for r in registered}
        assert tracked_position(container) == event_store_head(container)


class _FirstReadsTogether:
    """The real event source; the first page of each of `parties` runners is read before any of
    them goes on to write it, so the runners race for the same events."""

    def __init__(self, source: EventSource, parties: int) -> None:
        self._source = source
        self._barrier = threading.Barrier(parties)
        self._first = threading.local()

    @property
    def name(self) -> str:
        return self._source.name

    def head(self) -> int:
        return self._source.head()

    def read(self, after: int, limit: int, topics: Any = ()) -> Page:
        page = self._source.read(after, limit, topics)
        if not getattr(self._first, "done", False):
            self._first.done = True
            self._barrier.wait(timeout=30)
        return page


class TestTwoRunnersRacing:
    @pytest.mark.timeout(120)
    def test_end_with_every_event_applied_once_and_the_head_position(
        self, container: ApplicationContainer
    ) -> None:
        registered = register(container, N)
        source = _FirstReadsTogether(EventSource(container.patients.service()), parties=2)
        runners = [build_runner(container, batch_size=500, source=source) for _ in range(2)]
        errors: list[BaseException] = []

        def catch_up(runner: Any) -> None:
            try:
                runner.catch_up()
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=catch_up, args=(r,)) for r in runners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)

        assert errors == []
        assert set(read_model(container)) == {r.patient_id for r in registered}
        assert row_count(container) == N
        assert tracked_position(container) == event_store_head(container)
        assert [r.position for r in runners] == [event_store_head(container)] * 2

    def test_a_runner_behind_the_tracking_position_rolls_back_and_reloads(
        self, container: ApplicationContainer
    ) -> None:
        register(container, 300)
        stale = build_runner(container, batch_size=100)
        build_runner(container, batch_size=100).catch_up()
        rows = read_model(container)

        assert stale.run_batch() == 0
        assert stale.position == event_store_head(container)
        assert stale.catch_up() == 0
        assert read_model(container) == rows


class TestRebuild:
    def test_gives_back_exactly_the_projected_rows(self, container: ApplicationContainer) -> None:
        registered = register(container, 1200)
        container.projections().catch_up()
        expected = read_model(container)
        ids = [r.patient_id for r in registered]
        corrupt(container, delete_ids=ids[:100], rename_ids=ids[500:550])

        replayed = container.projections().rebuild("patient_list")

        assert replayed == event_store_head(container)
        assert read_model(container) == expected
        assert tracked_position(container) == event_store_head(container)

    def test_twice_gives_the_same_rows(self, container: ApplicationContainer) -> None:
        register(container, 300)
        container.projections().catch_up()
        expected = read_model(container)

        first = container.projections().rebuild("patient_list")
        second = container.projections().rebuild("patient_list")

        assert first == second == event_store_head(container)
        assert read_model(container) == expected

    def test_of_an_unknown_projection_is_refused(self, container: ApplicationContainer) -> None:
        with pytest.raises(KeyError, match="patient_list"):
            container.projections().rebuild("no_such_projection")


class _LetsAnotherRunnerAdvanceFirst:
    """The real writer whose reset first gives another runner up to two seconds to commit a
    batch in its own thread and transaction, as a live runner in another process would during
    a rebuild. (If the rebuild holds a lock that makes the other runner wait, it waits.)"""

    def __init__(self, connection: Any, other: Any, threads: list[threading.Thread]) -> None:
        self._inner = SqlPatientListWriter(connection)
        self._other = other
        self._threads = threads

    def add_patient(self, patient: Any, **source: Any) -> None:
        self._inner.add_patient(patient, **source)

    def flush(self) -> None:
        self._inner.flush()

    def reset(self) -> None:
        thread = threading.Thread(target=self._other_batch)
        self._threads.append(thread)
        thread.start()
        thread.join(timeout=2)
        self._inner.reset()

    def _other_batch(self) -> None:
        self._other.run_batch()


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
class TestRebuildWhileAnotherRunnerAdvances:
    """On SQLite writers are serialised (BEGIN IMMEDIATE), so only PostgreSQL can interleave."""

    @pytest.mark.timeout(60)
    def test_succeeds_and_ends_with_exactly_the_projected_rows(
        self, container: ApplicationContainer
    ) -> None:
        registered = register(container, 300)
        live = build_runner(container, batch_size=100)
        live.run_batch()
        threads: list[threading.Thread] = []
        rebuilding = build_runner(
            container,
            batch_size=1000,
            writer_factory=lambda c: _LetsAnotherRunnerAdvanceFirst(c, live, threads),
        )

        try:
            rebuilding.rebuild()
        finally:
            for thread in threads:
                thread.join(timeout=30)

        assert set(read_model(container)) == {r.patient_id for r in registered}
        assert row_count(container) == 300
        assert tracked_position(container) == event_store_head(container)
