"""Read-your-writes: the waiter blocks until the projection reached a command's position."""

from __future__ import annotations

import threading
import time

import pytest

from clinic.application.shared.errors import ReadModelLagError
from clinic.infrastructure.projections.board import PositionBoard
from clinic.infrastructure.projections.waiter import SqlProjectionWaiter
from clinic.presentation.bootstrap.containers import ApplicationContainer
from tests.integration.projections.support import PROJECTION, read_model, register


@pytest.mark.timeout(60)
class TestWaiterWithoutTheProjectionInThisProcess:
    def test_polls_the_tracking_table_until_another_process_applied_the_events(
        self, container: ApplicationContainer
    ) -> None:
        [registered] = register(container, 1)
        elsewhere = threading.Timer(0.3, container.projections().catch_up)
        waiter = SqlProjectionWaiter(PositionBoard(), container.core.database().read_engine)

        elsewhere.start()
        try:
            waiter.wait(PROJECTION, registered.position, timeout=10)
            assert registered.patient_id in read_model(container)
        finally:
            elsewhere.join()

    def test_returns_at_once_when_the_position_was_already_applied(
        self, container: ApplicationContainer
    ) -> None:
        [registered] = register(container, 1)
        container.projections().catch_up()
        waiter = SqlProjectionWaiter(PositionBoard(), container.core.database().read_engine)

        started = time.monotonic()
        waiter.wait(PROJECTION, registered.position, timeout=10)

        assert time.monotonic() - started < 1.0


@pytest.mark.timeout(60)
class TestReadModelLag:
    def test_is_raised_when_the_projection_is_not_running_and_the_timeout_passes(
        self, container: ApplicationContainer
    ) -> None:
        [registered] = register(container, 1)

        started = time.monotonic()
        with pytest.raises(ReadModelLagError) as raised:
            container.core.waiter().wait(PROJECTION, registered.position, timeout=0.3)

        assert time.monotonic() - started >= 0.3
        assert (raised.value.projection, raised.value.position, raised.value.reached) == (
            PROJECTION,
            registered.position,
            0,
        )

    def test_is_raised_when_the_runner_here_does_not_reach_the_position_in_time(
        self, container: ApplicationContainer
    ) -> None:
        board = container.core.board()
        board.post(PROJECTION, 0)  # a runner here that applies nothing
        [registered] = register(container, 1)
        waiter = SqlProjectionWaiter(board, container.core.database().read_engine)

        with pytest.raises(ReadModelLagError):
            waiter.wait(PROJECTION, registered.position, timeout=0.3)
