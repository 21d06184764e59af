"""Property: however a catch-up is cut into batches and interrupted, the read model comes out the
same as from one uninterrupted catch-up (SQLite only, to stay fast)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.presentation.bootstrap.containers import ApplicationContainer
from tests.integration.projections.support import (
    CrashingWriter,
    Rows,
    WriterCrashedError,
    build_runner,
    event_store_head,
    forget_read_model,
    read_model,
    register,
    tracked_position,
)

EVENTS = 60


@dataclass(frozen=True)
class Run:
    """A process that applies `batches` batches of `batch_size`, then, if `crash_after` is set,
    crashes in the middle of its next batch after writing that many rows; then it is gone."""

    batch_size: int
    batches: int
    crash_after: int | None

    def perform(self, container: ApplicationContainer) -> None:
        runner = build_runner(container, batch_size=self.batch_size)
        for _ in range(self.batches):
            runner.run_batch()
        if self.crash_after is not None:
            crashing = build_runner(
                container,
                batch_size=self.batch_size,
                writer_factory=CrashingWriter.factory(self.crash_after),
            )
            with contextlib.suppress(WriterCrashedError):
                crashing.run_batch()


runs = st.builds(
    Run,
    batch_size=st.integers(1, EVENTS + 5),
    batches=st.integers(0, 4),
    crash_after=st.none() | st.integers(0, EVENTS),
)


@pytest.fixture
def projected_once(container: ApplicationContainer) -> Rows:
    """EVENTS patients registered (in several writes) and the rows one catch-up gives them."""
    register(container, EVENTS, per_save=17)
    build_runner(container, batch_size=1000).catch_up()
    return read_model(container)


@pytest.mark.parametrize("backend", ["sqlite"])
class TestInterruptedCatchUp:
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(interruptions=st.lists(runs, max_size=5), final_batch_size=st.integers(1, EVENTS + 5))
    def test_ends_with_the_read_model_of_one_uninterrupted_catch_up(
        self,
        container: ApplicationContainer,
        projected_once: Rows,
        interruptions: list[Run],
        final_batch_size: int,
    ) -> None:
        forget_read_model(container)  # each example starts from a never-projected read model

        for run in interruptions:
            run.perform(container)
        build_runner(container, batch_size=final_batch_size).catch_up()

        assert read_model(container) == projected_once
        assert tracked_position(container) == event_store_head(container)
