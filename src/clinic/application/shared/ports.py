"""Outbound ports every context may need."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Tells the current time (timezone-aware); tests pass a fixed one."""

    def now(self) -> datetime: ...


class ProjectionWaiter(Protocol):
    """Blocks until a read model has applied the events up to a notification position."""

    def wait(self, projection: str, position: int, timeout: float) -> None:
        """Raises ReadModelLagError when `timeout` seconds pass first."""
        ...
