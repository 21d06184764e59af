"""Read-your-writes: block until a projection has applied a command's events."""

from __future__ import annotations

import time

from sqlalchemy import Engine

from clinic.application.shared.errors import ReadModelLagError
from clinic.infrastructure.projections.board import PositionBoard
from clinic.infrastructure.projections.runner import current_position

_POLL_START, _POLL_MAX = 0.005, 0.05


class SqlProjectionWaiter:
    """Waits on the in-process board if the projection runs here, else polls the tracking table."""

    def __init__(self, board: PositionBoard, engine: Engine) -> None:
        self._board = board
        self._engine = engine

    def wait(self, projection: str, position: int, timeout: float) -> None:
        if self._board.is_local(projection):
            reached = self._board.wait(projection, position, timeout)
        else:
            reached = self._poll(projection, position, timeout)
        if reached < position:
            raise ReadModelLagError(projection, position, reached)

    def _poll(self, projection: str, position: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        delay = _POLL_START
        while True:
            reached = current_position(self._engine, projection)
            if reached >= position or time.monotonic() >= deadline:
                return reached
            time.sleep(delay)
            delay = min(delay * 2, _POLL_MAX)
