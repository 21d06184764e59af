"""Patient imports as a user runs them: request (the file is kept, the mapping checked, a
record made), run (by a background job, or at once from the CLI), follow, read the rejected rows.

A run is a retry-safe job: it starts over from the first row, and rows already imported find
their profiles (their ids come from their source records) and change nothing again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import IO, Protocol
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from clinic.application.patients.import_columns import ColumnMapping, ImportFileError
from clinic.application.patients.import_records import ImportListView, ImportSummary
from clinic.application.patients.import_rows import RowProblem
from clinic.application.patients.importer import FileRowLike, ImportRun, PatientImporter
from clinic.application.patients.service import PatientsService
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditTrail
from clinic.application.shared.errors import NotFoundError
from clinic.domain.patients.import_record import (
    ImportCounts,
    ImportFinishedError,
    ImportStatus,
    PatientImport,
)
from clinic.domain.patients.sources import parse_source
from clinic.domain.shared.access import Permission
from clinic.domain.shared.errors import InvalidFieldError

PROGRESS_EVERY_SECONDS = 1.0
KEEP_FILES_FOR = timedelta(hours=24)
"""How long an uploaded file may wait for its import or a dry run's confirmation."""
FILE_EXPIRED_REASON = "the checked file was kept {hours:g} h and has been deleted: upload it again"


class ImportFiles(Protocol):
    """Reads import files (CSV, XLSX) a row at a time; raises ImportFileError."""

    def file_format(self, file: IO[bytes]) -> str: ...

    def headers(self, file: IO[bytes]) -> list[str]: ...

    def rows(self, file: IO[bytes]) -> Iterator[FileRowLike]: ...


class ImportFileStore(Protocol):
    """Keeps uploaded files until their import has run (where every worker can read them)."""

    def put(self, import_id: UUID, file: IO[bytes]) -> str:
        """Stores the file; returns its SHA-256 (hex)."""
        ...

    def open(self, import_id: UUID) -> IO[bytes]:
        """FileNotFoundError when it is gone."""
        ...

    def copy(self, from_id: UUID, to_id: UUID) -> None: ...

    def remove(self, import_id: UUID) -> None: ...

    def expire(self, before: datetime) -> int:
        """Removes the files stored before `before`; returns how many."""
        ...


class ImportProblems(Protocol):
    """The rejected rows of each import (row, column, reason), for its report."""

    def clear(self, import_id: UUID) -> None: ...

    def add(self, import_id: UUID, problems: Sequence[RowProblem]) -> None: ...

    def read(self, import_id: UUID) -> Iterator[RowProblem]: ...


class ImportJobs(Protocol):
    def enqueue(self, import_id: UUID) -> None:
        """Asks a worker to run the import (`PatientImports.run`)."""
        ...


class PatientImports:
    def __init__(
        self,
        patients: PatientsService,
        importer: PatientImporter,
        files: ImportFiles,
        store: ImportFileStore,
        problems: ImportProblems,
        listing: ImportListView,
        jobs: ImportJobs | None = None,
        audit: AuditTrail | None = None,
        keep_files_for: timedelta = KEEP_FILES_FOR,
    ) -> None:
        self._patients = patients
        self._importer = importer
        self._files = files
        self._store = store
        self._problems = problems
        self._listing = listing
        self._jobs = jobs
        self._audit = audit
        self._keep_files_for = keep_files_for

    def request(
        self,
        file: IO[bytes],
        *,
        source: str,
        by: Actor,
        file_name: str | None = None,
        mapping: Mapping[str, str] | None = None,
        dry_run: bool = False,
        enqueue: bool = True,
    ) -> ImportSummary:
        """Keeps the file, checks it can be read and mapped, records the import and (with
        `enqueue`) hands it to a worker. InvalidInputError names a bad mapping or source;
        ImportFileError says why the file cannot be read."""
        by.demand(Permission.PATIENTS_MERGE)
        source_name = parse_source(source)
        self._expire_files()
        import_id = uuid4()
        file_hash = self._store.put(import_id, file)
        try:
            with self._store.open(import_id) as stored:
                file_format = self._files.file_format(stored)
                headers = self._files.headers(stored)
            checked = ColumnMapping.parse(mapping, headers)
        except Exception:
            self._store.remove(import_id)
            raise
        record = PatientImport(
            source=source_name,
            file_name=file_name,
            file_hash=file_hash,
            file_format=file_format,
            mapping=dict(checked.columns),
            dry_run=dry_run,
            by=by.username,
            requested_at=self._patients.clock.now(),
            id=import_id,
        )
        self._patients.save(record)
        if self._audit is not None:
            details: dict[str, str | bool] = {"source": source_name, "dry_run": dry_run}
            self._audit.record(by, "patients.import_requested", "import", str(import_id), details)
        if enqueue and self._jobs is not None:
            self._jobs.enqueue(import_id)
        return ImportSummary.of(record)

    def confirm(self, dry_run_id: UUID, by: Actor) -> ImportSummary:
        """Imports for real the file a finished dry run checked (a new import record)."""
        by.demand(Permission.PATIENTS_MERGE)
        checked = self._record(dry_run_id)
        if not checked.dry_run or checked.status != ImportStatus.FINISHED:
            raise InvalidFieldError("import_id", "not a finished dry run", "not_a_dry_run")
        self._expire_files()
        import_id = uuid4()
        try:
            self._store.copy(dry_run_id, import_id)
        except FileNotFoundError:
            hours = self._keep_files_for.total_seconds() / 3600
            reason = FILE_EXPIRED_REASON.format(hours=hours)
            raise InvalidFieldError("import_id", reason, "file_expired") from None
        record = PatientImport(
            source=checked.source,
            file_name=checked.file_name,
            file_hash=checked.file_hash,
            file_format=checked.file_format,
            mapping=checked.mapping,
            dry_run=False,
            by=by.username,
            requested_at=self._patients.clock.now(),
            id=import_id,
        )
        self._patients.save(record)
        if self._jobs is not None:
            self._jobs.enqueue(import_id)
        return ImportSummary.of(record)

    def run(self, import_id: UUID) -> ImportSummary:
        """Runs a requested import to its end (the worker's job); a finished one is left as
        it is, so a job delivered twice imports once."""
        record = self._record(import_id)
        try:
            record.begin(self._patients.clock.now())
        except ImportFinishedError:
            return ImportSummary.of(record)
        self._patients.save(record)
        self._problems.clear(import_id)
        # The job acts for whoever requested it: their permission was checked then.
        actor = Actor(record.requested_by, None, frozenset({Permission.PATIENTS_MERGE}))
        run = ImportRun(
            source=record.source,
            mapping=ColumnMapping(record.mapping or {}),
            actor=actor,
            dry_run=record.dry_run,
            on_problems=lambda problems: self._problems.add(import_id, problems),
            on_progress=_Progress(self._patients, record).report,
        )
        try:
            with self._store.open(import_id) as file:
                counts = self._importer.run(self._files.rows(file), run)
        except (ImportFileError, FileNotFoundError) as error:
            record.fail(str(error) or "the file is gone", run.counts, self._patients.clock.now())
            self._patients.save(record)
            return ImportSummary.of(record)
        record.finish(counts, self._patients.clock.now())
        self._patients.save(record)
        if not record.dry_run:
            self._store.remove(import_id)
        return ImportSummary.of(record)

    def _expire_files(self) -> None:
        """Deletes the uploads kept longer than `keep_files_for` (they hold personal data):
        checked files nobody confirmed, jobs that never ran (they fail: the file is gone)."""
        self._store.expire(self._patients.clock.now() - self._keep_files_for)

    def get(self, import_id: UUID, viewer: Actor) -> ImportSummary:
        viewer.demand(Permission.PATIENTS_MERGE)
        return ImportSummary.of(self._record(import_id))

    def list_imports(self, viewer: Actor, limit: int = 50) -> list[ImportSummary]:
        viewer.demand(Permission.PATIENTS_MERGE)
        return self._listing.list(max(1, min(limit, 200)))

    def rejected_rows(self, import_id: UUID, viewer: Actor) -> Iterator[RowProblem]:
        """The rejected rows' report, in row order."""
        viewer.demand(Permission.PATIENTS_MERGE)
        self._record(import_id)
        return self._problems.read(import_id)

    def _record(self, import_id: UUID) -> PatientImport:
        try:
            record: object = self._patients.repository.get(import_id)
        except AggregateNotFoundError:
            raise NotFoundError("import", import_id) from None
        if not isinstance(record, PatientImport):
            raise NotFoundError("import", import_id)
        return record


class _Progress:
    """Records an import's counts as it goes, at most once a second (pollers see them)."""

    def __init__(self, patients: PatientsService, record: PatientImport) -> None:
        self._patients = patients
        self._record = record
        self._last = time.monotonic()

    def report(self, counts: ImportCounts) -> None:
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY_SECONDS:
            self._record.progress(counts)
            self._patients.save(self._record)
            self._last = now
