"""The base class of each context's eventsourcing Application."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Mapper, Recording, Transcoding

from clinic.application.shared.personal_data import (
    PersonalDataMapper,
    PersonalDataVault,
    personal_fields_of,
)


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

    def __init__(
        self, env: dict[str, str] | None = None, vault: PersonalDataVault | None = None
    ) -> None:
        self.vault = vault  # before super().__init__, which builds the mapper
        super().__init__(env)
        self._saved_listeners: list[SavedListener] = []

    def construct_mapper(self) -> Mapper[UUID]:
        if self.vault is None:
            return super().construct_mapper()
        return PersonalDataMapper(
            self.construct_transcoder(),
            self.vault,
            compressor=self.factory.compressor(),
            cipher=self.factory.cipher(),
        )

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Saves aggregates; their data subjects get keys first, in one write."""
        if self.vault is not None:
            self.vault.prepare(_subjects_with_personal_data(objs))
        return super().save(*objs, **kwargs)

    def prefetch_personal_data_keys(self, subjects: Iterable[UUID]) -> None:
        """Before decoding many events: load their subjects' keys at once."""
        if self.vault is not None:
            self.vault.prefetch(subjects)

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


def _subjects_with_personal_data(objs: Sequence[Any]) -> set[UUID]:
    return {
        event.originator_id
        for obj in objs
        for event in getattr(obj, "pending_events", ())
        if personal_fields_of(type(event))
    }


def last_position(recordings: Sequence[Recording[Any]]) -> int | None:
    """The notification id of the last recorded event, or None when nothing was recorded."""
    ids = [r.notification.id for r in recordings if r.notification.id is not None]
    return max(ids) if ids else None
