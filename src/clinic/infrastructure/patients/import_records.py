"""Imports in SQL: the list of imports (a read model) and each import's rejected rows."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    delete,
    select,
    update,
)

from clinic.application.patients.import_records import ImportSummary
from clinic.application.patients.import_rows import RowProblem
from clinic.infrastructure.db import insert_rows, metadata

READ_BATCH = 1000

patient_imports = Table(
    "patient_imports",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("source", String(50), nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("file_format", String(10), nullable=False),
    Column("dry_run", Boolean, nullable=False),
    Column("status", String(10), nullable=False),
    Column("requested_by", String(100), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("counts", Text, nullable=False),  # JSON: read, created, updated, ...
    Column("finished_at", DateTime(timezone=True)),
    Column("reason", String(500)),
)
Index("ix_patient_imports_requested_at", patient_imports.c.requested_at)

# Written by the import job itself (not a projection): a re-run clears its import's rows first.
patient_import_problems = Table(
    "patient_import_problems",
    metadata,
    Column("import_id", Uuid, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("row_number", Integer, nullable=False),
    Column("column_name", String(100), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("code", String(50), nullable=False),
)


class SqlImportListWriter:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._pending: list[dict[str, Any]] = []

    def add(self, summary: ImportSummary) -> None:
        self._pending.append(
            {
                "id": summary.id,
                "source": summary.source,
                "file_hash": summary.file_hash,
                "file_format": summary.file_format,
                "dry_run": summary.dry_run,
                "status": summary.status,
                "requested_by": summary.requested_by,
                "requested_at": summary.requested_at,
                "counts": json.dumps(summary.counts),
                "finished_at": summary.finished_at,
                "reason": summary.reason,
            }
        )

    def update(self, import_id: UUID, changes: dict[str, object]) -> None:
        self.flush()
        values = dict(changes)
        if "counts" in values:
            values["counts"] = json.dumps(values["counts"])
        self._connection.execute(
            update(patient_imports).where(patient_imports.c.id == import_id).values(**values)
        )

    def flush(self) -> None:
        insert_rows(self._connection, patient_imports, self._pending)
        self._pending = []

    def reset(self) -> None:
        self._pending = []
        self._connection.execute(delete(patient_imports))


class SqlImportListView:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def list(self, limit: int) -> list[ImportSummary]:
        query = (
            select(patient_imports)
            .order_by(patient_imports.c.requested_at.desc(), patient_imports.c.id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [_summary(row) for row in connection.execute(query)]


class SqlImportProblems:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def clear(self, import_id: UUID) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                delete(patient_import_problems).where(
                    patient_import_problems.c.import_id == import_id
                )
            )

    def add(self, import_id: UUID, problems: Sequence[RowProblem]) -> None:
        table = patient_import_problems
        with self._engine.begin() as connection:
            last = connection.scalar(
                select(table.c.seq)
                .where(table.c.import_id == import_id)
                .order_by(table.c.seq.desc())
                .limit(1)
            )
            first = (last or 0) + 1
            rows = [
                {
                    "import_id": import_id,
                    "seq": first + index,
                    "row_number": p.row,
                    "column_name": p.column[:100],
                    "reason": p.reason[:500],
                    "code": p.code[:50],
                }
                for index, p in enumerate(problems)
            ]
            insert_rows(connection, table, rows)

    def read(self, import_id: UUID) -> Iterator[RowProblem]:
        table = patient_import_problems
        after = 0
        while True:
            query = (
                select(table)
                .where(table.c.import_id == import_id, table.c.seq > after)
                .order_by(table.c.seq)
                .limit(READ_BATCH)
            )
            with self._engine.connect() as connection:
                rows = connection.execute(query).all()
            for row in rows:
                yield RowProblem(row.row_number, row.column_name, row.reason, row.code)
            if len(rows) < READ_BATCH:
                return
            after = rows[-1].seq


def _summary(row: Any) -> ImportSummary:
    return ImportSummary(
        id=row.id,
        source=row.source,
        file_hash=row.file_hash,
        file_format=row.file_format,
        dry_run=row.dry_run,
        status=row.status,
        requested_by=row.requested_by,
        requested_at=_aware(row.requested_at),
        counts=json.loads(row.counts),
        finished_at=_aware(row.finished_at) if row.finished_at else None,
        reason=row.reason,
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
