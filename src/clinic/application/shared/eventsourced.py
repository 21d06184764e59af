"""The base class of each context's eventsourcing Application."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Recording, Transcoding


class DateAsISO(Transcoding):
    """Calendar dates (birth dates, visit days) in stored events."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


SavedListener = Callable[[int], None]


class ContextApplication(Application[UUID]):
    """An eventsourcing Application for one bounded context.

    After every save it tells its listeners the last notification position, so projections in
    this process wake at once instead of waiting for their next poll.
    """

    name = "context"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._saved_listeners: list[SavedListener] = []

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def add_saved_listener(self, listener: SavedListener) -> None:
        self._saved_listeners.append(listener)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        position = last_position(recordings)
        if position is None:
            return
        for listener in self._saved_listeners:
            listener(position)


def last_position(recordings: Sequence[Recording[Any]]) -> int | None:
    """The notification id of the last recorded event, or None when nothing was recorded."""
    ids = [r.notification.id for r in recordings if r.notification.id is not None]
    return max(ids) if ids else None
