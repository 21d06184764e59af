"""Applies an application's events to a SQL read model in batches, tracking position atomically.

Each batch — up to `batch_size` events — is one transaction: the projection writes its rows, the
writer flushes them, and the tracking row moves from the position the batch started at to the
position it reached. If another runner moved it first (two processes, or a rebuild), the update
finds no row, the transaction rolls back, and the runner re-reads its position. So a restart or a
race never applies an event twice or skips one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine

from clinic.application.shared.projections import Projection, ReadModelWriter
from clinic.infrastructure.projections.board import PositionBoard
from clinic.infrastructure.projections.source import EventSource
from clinic.infrastructure.projections.tracking import (
    TrackingConflictError,
    advance,
    ensure_tracking,
    read_position,
    rewind,
)

log = logging.getLogger(__name__)

WriterFactory = Callable[[Connection], ReadModelWriter]
RETRY_DELAY = 1.0


class ProjectionRunner:
    def __init__(
        self,
        projection: Projection[Any],
        writer_factory: WriterFactory,
        source: EventSource,
        engine: Engine,
        board: PositionBoard,
        *,
        batch_size: int = 1000,
        poll_interval: float = 0.05,
    ) -> None:
        self.projection = projection
        self._writer_factory = writer_factory
        self._source = source
        self._engine = engine
        self._board = board
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wakeup = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._position = self._load_position()

    @property
    def name(self) -> str:
        return self.projection.name

    @property
    def position(self) -> int:
        return self._position

    def wake(self, _position: int | None = None) -> None:
        """Called when new events were saved: stop waiting for the next poll."""
        self._wakeup.set()

    def run_batch(self) -> int:
        """Applies at most one batch; returns how many notifications it moved past."""
        start = self._position
        page = self._source.read(start, self._batch_size, self.projection.topics)
        if page.reached <= start:
            return 0
        try:
            with self._engine.begin() as connection:
                # Claim the batch first: a racing runner waits on the tracking row, then finds
                # it moved and rolls back before writing a single row.
                advance(connection, self.name, start, page.reached)
                writer = self._writer_factory(connection)
                for event in page.events:
                    self.projection.apply(event, writer)
                writer.flush()
        except TrackingConflictError:
            log.info(
                "projection position moved elsewhere; reloading", extra={"projection": self.name}
            )
            self._position = self._load_position()
            return 0
        self._position = page.reached
        self._board.post(self.name, page.reached)
        return page.reached - start

    def catch_up(self) -> int:
        """Applies batches until the read model has every event recorded so far."""
        moved = 0
        target = self._source.head()
        while self._position < target:
            step = self.run_batch()
            if step == 0 and self._position < target:
                self._position = self._load_position()
            moved += step
        return moved

    def rebuild(self) -> int:
        """Empties the read model, rewinds to 0 and catches up from the first event."""
        with self._engine.begin() as connection:
            ensure_tracking(connection, self.name, self._source.name)
            rewind(connection, self.name)  # locks the tracking row: in-flight batches finish first
            self._writer_factory(connection).reset()
        self._position = 0
        self._board.post(self.name, 0)
        return self.catch_up()

    def start(self) -> None:
        self._stopping.clear()
        self._wakeup.clear()
        self._board.post(self.name, self._position)
        self._thread = threading.Thread(
            target=self._follow, name=f"projection-{self.name}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._board.forget(self.name)

    def _follow(self) -> None:
        while not self._stopping.is_set():
            try:
                moved = self.run_batch()
            except Exception:
                log.exception("projection batch failed; retrying", extra={"projection": self.name})
                self._stopping.wait(RETRY_DELAY)
                self._reload_after_failure()
                continue
            if moved == 0:
                self._wakeup.wait(self._poll_interval)
                self._wakeup.clear()

    def _reload_after_failure(self) -> None:
        try:
            self._position = self._load_position()
        except Exception:
            log.exception("cannot read projection position", extra={"projection": self.name})

    def _load_position(self) -> int:
        with self._engine.begin() as connection:
            return ensure_tracking(connection, self.name, self._source.name)


def current_position(engine: Engine, projection: str) -> int:
    with engine.connect() as connection:
        return read_position(connection, projection) or 0
