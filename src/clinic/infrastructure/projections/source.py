"""Reads one application's notification log in large pages and decodes the events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application


@dataclass(frozen=True, slots=True)
class Page:
    """Decoded events after a position, and the position the page reaches.

    With a topic filter `reached` can be beyond the last event: the notifications between were
    read and are of no interest to the projection.
    """

    events: list[Any]
    reached: int


class EventSource:
    def __init__(self, application: Application[Any]) -> None:
        self._application = application

    @property
    def name(self) -> str:
        return self._application.name

    def head(self) -> int:
        return self._application.recorder.max_notification_id() or 0

    def read(self, after: int, limit: int, topics: Sequence[str] = ()) -> Page:
        head = self.head()
        if head <= after:
            return Page([], after)
        # Topics are filtered here, not in SQL: a page by primary key alone stays an index range
        # scan whatever the planner's statistics say, and unwanted events are never decoded.
        notifications = self._application.recorder.select_notifications(
            start=after, limit=limit, stop=head, inclusive_of_start=False
        )
        wanted = frozenset(topics)
        interesting = [n for n in notifications if not wanted or n.topic in wanted]
        prefetch = getattr(self._application, "prefetch_personal_data_keys", None)
        if prefetch is not None:
            prefetch([n.originator_id for n in interesting])
        mapper = self._application.mapper
        events = [mapper.to_domain_event(n) for n in interesting]
        full = len(notifications) == limit
        reached = notifications[-1].id if full else head
        return Page(events, reached)
