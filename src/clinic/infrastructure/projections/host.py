"""Runs every projection of a process: catch-up at start, then live following until stopped."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Engine

from clinic.application.shared.eventsourced import ContextApplication
from clinic.application.shared.projections import Projection
from clinic.infrastructure.projections.board import PositionBoard
from clinic.infrastructure.projections.listener import PostgresNotificationListener
from clinic.infrastructure.projections.runner import ProjectionRunner, WriterFactory
from clinic.infrastructure.projections.source import EventSource

NOTIFIED_POLL_INTERVAL = 1.0


@dataclass(frozen=True)
class ProjectionBinding:
    """A projection and the SQL writer of its read model."""

    projection: Projection[Any]
    writer_factory: WriterFactory


class ProjectionHost:
    def __init__(
        self,
        bindings: Iterable[ProjectionBinding],
        applications: dict[str, ContextApplication],
        engine: Engine,
        board: PositionBoard,
        *,
        batch_size: int,
        poll_interval: float,
        postgres_conninfo: str | None = None,
    ) -> None:
        self._applications = applications
        self._postgres_conninfo = postgres_conninfo
        if postgres_conninfo:  # NOTIFY wakes the runners; polling is only a safety net
            poll_interval = max(poll_interval, NOTIFIED_POLL_INTERVAL)
        self.runners = {
            b.projection.name: ProjectionRunner(
                b.projection,
                b.writer_factory,
                EventSource(applications[b.projection.application]),
                engine,
                board,
                batch_size=batch_size,
                poll_interval=poll_interval,
            )
            for b in bindings
        }
        self._listeners: list[PostgresNotificationListener] = []
        self._started = False
        self._hooked_saves = False

    def runner(self, name: str) -> ProjectionRunner:
        return self.runners[name]

    def catch_up(self) -> int:
        return sum(runner.catch_up() for runner in self.runners.values())

    def rebuild(self, projection: str) -> int:
        if projection not in self.runners:
            raise KeyError(f"no projection named {projection!r}; known: {sorted(self.runners)}")
        return self.runners[projection].rebuild()

    def positions(self) -> dict[str, int]:
        return {name: runner.position for name, runner in self.runners.items()}

    def start(self) -> None:
        """Follows new events: woken by saves here, by NOTIFY on PostgreSQL, else by polling."""
        if self._started:
            return
        self._started = True
        for name, application in self._applications.items():
            wakers = self._wakers_of(name)
            if not self._hooked_saves:
                application.add_saved_listener(_waking(wakers))
            if self._postgres_conninfo:
                channel = getattr(application.recorder, "channel_name", None)
                if channel:
                    listener = PostgresNotificationListener(
                        self._postgres_conninfo, channel, partial(_call_all, wakers)
                    )
                    listener.start()
                    self._listeners.append(listener)
        self._hooked_saves = True
        for runner in self.runners.values():
            runner.start()

    def stop(self) -> None:
        for listener in self._listeners:
            listener.stop()
        self._listeners = []
        for runner in self.runners.values():
            runner.stop()
        self._started = False

    def _wakers_of(self, application: str) -> list[Callable[[], None]]:
        return [r.wake for r in self.runners.values() if r.projection.application == application]


def projection_host_resource(*args: Any, **kwargs: Any) -> Iterator[ProjectionHost]:
    """The projection host for the container's lifetime; its threads stopped on shutdown."""
    host = ProjectionHost(*args, **kwargs)
    try:
        yield host
    finally:
        host.stop()


def _waking(wakers: list[Callable[[], None]]) -> Callable[[int], None]:
    return lambda _position: _call_all(wakers)


def _call_all(callables: list[Callable[[], None]]) -> None:
    for call in callables:
        call()
