"""The audit trail read model in SQL: a writer for the projection, a view for queries."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Engine, delete, select, tuple_

from clinic.application.audit.dto import AuditFilter, AuditPage, AuditRecord
from clinic.application.shared.errors import InvalidCursorError
from clinic.infrastructure.audit.tables import audit_trail
from clinic.infrastructure.cursors import SealedCursors
from clinic.infrastructure.db import insert_rows

_COLUMNS = [
    audit_trail.c[name]
    for name in (
        "id",
        "at",
        "actor",
        "role",
        "action",
        "subject_type",
        "subject_id",
        "details",
    )
]


class SqlAuditTrailWriter:
    """Buffers new rows and inserts them in one statement per batch."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._pending: list[dict[str, Any]] = []

    def add_entry(self, entry: AuditRecord) -> None:
        self._pending.append(_row(entry))

    def flush(self) -> None:
        insert_rows(self._connection, audit_trail, self._pending)
        self._pending = []

    def reset(self) -> None:
        self._pending = []
        self._connection.execute(delete(audit_trail))


class SqlAuditTrailView:
    def __init__(self, engine: Engine, cursors: SealedCursors) -> None:
        self._engine = engine
        self._cursors = cursors

    def search(self, where: AuditFilter, limit: int, cursor: str | None) -> AuditPage:
        conditions = _conditions(where)
        if cursor:
            last_at, last_id = self._open_cursor(cursor)
            conditions.append(tuple_(audit_trail.c.at, audit_trail.c.id) < tuple_(last_at, last_id))
        statement = (
            select(*_COLUMNS)
            .where(*conditions)
            .order_by(audit_trail.c.at.desc(), audit_trail.c.id.desc())
            .limit(limit + 1)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(statement).all()
        items = [_record(row) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = items[-1]
            next_cursor = self._cursors.seal([_utc(last.at).isoformat(), str(last.id)])
        return AuditPage(items, next_cursor)

    def _open_cursor(self, cursor: str) -> tuple[datetime, UUID]:
        values = self._cursors.open(cursor)
        try:
            at, entry_id = values
            return _utc(datetime.fromisoformat(str(at))), UUID(str(entry_id))
        except ValueError:
            raise InvalidCursorError("cursor: not a cursor this server issued") from None


def _conditions(where: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for name in ("actor", "action", "subject_type", "subject_id"):
        value = getattr(where, name)
        if value is not None:
            conditions.append(audit_trail.c[name] == value)
    if where.since is not None:
        conditions.append(audit_trail.c.at >= _utc_bound(where.since))
    if where.until is not None:
        conditions.append(audit_trail.c.at < _utc_bound(where.until))
    return conditions


def _row(entry: AuditRecord) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": _utc(entry.at),
        "actor": entry.actor,
        "role": entry.role,
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "details": json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
    }


def _record(row: Any) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=_utc(row.at),
        actor=row.actor,
        role=row.role,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        details=json.loads(row.details),
    )


def _utc(moment: datetime) -> datetime:
    """Stored and compared in UTC: SQLite keeps no time zone, so every moment must agree."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _utc_bound(moment: datetime) -> datetime:
    """A filter's bound in UTC; one beyond the calendar's ends (9999-12-31T23:00-05:00) is
    clamped to them."""
    try:
        return _utc(moment)
    except OverflowError:
        latest, earliest = datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC)
        return latest if moment.year == latest.year else earliest
