"""The list of patient imports (who, when, which file, counts) as a read model."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Protocol
from uuid import UUID

from eventsourcing.utils import get_topic

from clinic.application.shared.projections import ReadModelWriter
from clinic.domain.patients.import_record import ImportCounts, ImportStatus, PatientImport


@dataclass(frozen=True, slots=True)
class ImportSummary:
    id: UUID
    source: str
    file_hash: str
    file_format: str
    dry_run: bool
    status: str
    requested_by: str
    requested_at: datetime
    counts: dict[str, int] = field(default_factory=lambda: ImportCounts().as_dict())
    finished_at: datetime | None = None
    reason: str | None = None

    @classmethod
    def of(cls, record: PatientImport) -> ImportSummary:
        return cls(
            id=record.id,
            source=record.source,
            file_hash=record.file_hash,
            file_format=record.file_format,
            dry_run=record.dry_run,
            status=record.status.value,
            requested_by=record.requested_by,
            requested_at=record.requested_at,
            counts=record.counts.as_dict(),
            finished_at=record.finished_at,
            reason=record.reason,
        )


class ImportListWriter(ReadModelWriter, Protocol):
    def add(self, summary: ImportSummary) -> None: ...

    def update(self, import_id: UUID, changes: dict[str, object]) -> None:
        """Sets `status`, `counts`, `finished_at` and/or `reason` of one import."""
        ...


class ImportListView(Protocol):
    def list(self, limit: int) -> list[ImportSummary]:
        """The latest imports first."""
        ...


class ImportListProjection:
    name: ClassVar[str] = "patient_imports"
    application: ClassVar[str] = "patients"
    topics: ClassVar[tuple[str, ...]] = tuple(
        get_topic(c)
        for c in (
            PatientImport.Requested,
            PatientImport.Began,
            PatientImport.Progressed,
            PatientImport.Finished,
            PatientImport.Failed,
        )
    )

    def apply(self, event: object, writer: ImportListWriter) -> None:
        match event:
            case PatientImport.Requested():
                writer.add(
                    ImportSummary(
                        id=event.originator_id,
                        source=event.source,
                        file_hash=event.file_hash,
                        file_format=event.file_format,
                        dry_run=event.dry_run,
                        status=ImportStatus.QUEUED.value,
                        requested_by=event.by,
                        requested_at=event.requested_at,
                    )
                )
            case PatientImport.Began():
                running = ImportStatus.RUNNING.value
                empty = ImportCounts().as_dict()
                writer.update(event.originator_id, {"status": running, "counts": empty})
            case PatientImport.Progressed():
                writer.update(event.originator_id, {"counts": event.counts})
            case PatientImport.Finished():
                writer.update(
                    event.originator_id,
                    {
                        "status": ImportStatus.FINISHED.value,
                        "counts": event.counts,
                        "finished_at": event.finished_at,
                    },
                )
            case PatientImport.Failed():
                writer.update(
                    event.originator_id,
                    {
                        "status": ImportStatus.FAILED.value,
                        "counts": event.counts,
                        "finished_at": event.failed_at,
                        "reason": event.reason,
                    },
                )
            case _:
                pass
