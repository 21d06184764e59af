"""In-process notice board of projection positions: runners post, waiters block on it."""

from __future__ import annotations

import threading
import time


class PositionBoard:
    def __init__(self) -> None:
        self._positions: dict[str, int] = {}
        self._changed = threading.Condition()

    def post(self, projection: str, position: int) -> None:
        with self._changed:
            self._positions[projection] = position
            self._changed.notify_all()

    def forget(self, projection: str) -> None:
        with self._changed:
            self._positions.pop(projection, None)

    def is_local(self, projection: str) -> bool:
        with self._changed:
            return projection in self._positions

    def position(self, projection: str) -> int:
        with self._changed:
            return self._positions.get(projection, 0)

    def wait(self, projection: str, position: int, timeout: float) -> int:
        """Blocks until `projection` reaches `position` or `timeout` passes; returns where it is."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._positions.get(projection, 0) < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            return self._positions.get(projection, 0)
