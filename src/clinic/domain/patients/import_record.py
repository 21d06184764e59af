"""The record of one patient import: who ran it, when, on which file, and what it did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from clinic.domain.shared.errors import DomainError


class ImportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


@dataclass(slots=True)
class ImportCounts:
    """Rows read, and what became of them; `unchanged`: rows the profiles already matched."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    suggested: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def of(cls, data: Mapping[str, int]) -> ImportCounts:
        return cls(**{k: int(v) for k, v in data.items() if k in cls.__dataclass_fields__})


class ImportFinishedError(DomainError):
    def __init__(self, import_id: UUID) -> None:
        super().__init__(f"import {import_id} has finished already")


class PatientImport(Aggregate):
    """One import of a file. The file's name may say anything (even a patient's name), so it
    is sealed like personal data; its hash says which file it was."""

    class Requested(Aggregate.Created):
        personal_fields: ClassVar[tuple[str, ...]] = ("file_name",)

        source: str
        file_name: str | None
        file_hash: str
        file_format: str
        mapping: dict[str, str] | None
        dry_run: bool
        by: str
        requested_at: datetime

    class Began(Aggregate.Event):
        began_at: datetime

    class Progressed(Aggregate.Event):
        counts: dict[str, int]

    class Finished(Aggregate.Event):
        counts: dict[str, int]
        finished_at: datetime

    class Failed(Aggregate.Event):
        reason: str
        counts: dict[str, int]
        failed_at: datetime

    @event(Requested)
    def __init__(
        self,
        id: UUID,  # noqa: A002 - the library takes the aggregate id from this parameter
        source: str,
        file_name: str | None,
        file_hash: str,
        file_format: str,
        mapping: dict[str, str] | None,
        dry_run: bool,
        by: str,
        requested_at: datetime,
    ) -> None:
        self.source = source
        self.file_name = file_name
        self.file_hash = file_hash
        self.file_format = file_format
        self.mapping = mapping
        self.dry_run = dry_run
        self.requested_by = by
        self.requested_at = requested_at
        self.status = ImportStatus.QUEUED
        self.counts = ImportCounts()
        self.finished_at: datetime | None = None
        self.reason: str | None = None

    def begin(self, now: datetime) -> None:
        """Starts (or, after a worker died, restarts) the run; a finished import stays so."""
        if self.status == ImportStatus.FINISHED:
            raise ImportFinishedError(self.id)
        self._begin(began_at=now)

    def progress(self, counts: ImportCounts) -> None:
        self._progress(counts=counts.as_dict())

    def finish(self, counts: ImportCounts, now: datetime) -> None:
        self._finish(counts=counts.as_dict(), finished_at=now)

    def fail(self, reason: str, counts: ImportCounts, now: datetime) -> None:
        self._fail(reason=reason[:500], counts=counts.as_dict(), failed_at=now)

    @event(Began)
    def _begin(self, began_at: datetime) -> None:
        self.status = ImportStatus.RUNNING
        self.counts = ImportCounts()
        self.reason = None

    @event(Progressed)
    def _progress(self, counts: dict[str, int]) -> None:
        self.counts = ImportCounts.of(counts)

    @event(Finished)
    def _finish(self, counts: dict[str, int], finished_at: datetime) -> None:
        self.status = ImportStatus.FINISHED
        self.counts = ImportCounts.of(counts)
        self.finished_at = finished_at

    @event(Failed)
    def _fail(self, reason: str, counts: dict[str, int], failed_at: datetime) -> None:
        self.status = ImportStatus.FAILED
        self.counts = ImportCounts.of(counts)
        self.reason = reason
        self.finished_at = failed_at
