"""Outbound ports every context may need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current time (timezone-aware); tests pass a fixed one."""

    def now(self) -> datetime: ...


class ProjectionWaiter(Protocol):
    """Blocks until a read model has applied the events up to a notification position."""

    def wait(self, projection: str, position: int, timeout: float) -> None:
        """Raises ReadModelLagError when `timeout` seconds pass first."""
        ...


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `hits` within `window`."""

    hits: int
    window: timedelta


class RateLimiter(Protocol):
    """Counters shared by every process: sign-in lockout, public endpoints."""

    def hit(self, key: str, limit: Limit) -> float | None:
        """Counts one hit; the seconds to wait when this hit is over the limit, else None."""
        ...

    def retry_after(self, key: str, limit: Limit) -> float | None:
        """The seconds to wait while `key` has used up its hits, else None; counts nothing."""
        ...

    def reset(self, key: str) -> None: ...
