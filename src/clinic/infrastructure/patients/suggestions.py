"""The match suggestions read model in SQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    Index,
    String,
    Table,
    Text,
    Uuid,
    delete,
    or_,
    select,
    update,
)

from clinic.application.patients.suggestions import SuggestionSummary
from clinic.infrastructure.db import insert_rows, metadata

match_suggestions = Table(
    "match_suggestions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("patient_a", Uuid, nullable=False),
    Column("patient_b", Uuid, nullable=False),
    Column("rule", String(30), nullable=False),
    Column("score", Float, nullable=False),
    Column("agreements", Text, nullable=False),  # JSON: [[field, level, weight], ...]
    Column("status", String(10), nullable=False),
    Column("suggested_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime(timezone=True)),
)
Index("ix_match_suggestions_status_score", match_suggestions.c.status, match_suggestions.c.score)
Index("ix_match_suggestions_patient_a", match_suggestions.c.patient_a)
Index("ix_match_suggestions_patient_b", match_suggestions.c.patient_b)


class SqlSuggestionWriter:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._pending: list[dict[str, Any]] = []

    def add(self, suggestion: SuggestionSummary) -> None:
        a, b = suggestion.patient_ids
        self._pending.append(
            {
                "id": suggestion.id,
                "patient_a": a,
                "patient_b": b,
                "rule": suggestion.rule,
                "score": suggestion.score,
                "agreements": json.dumps(suggestion.agreements),
                "status": suggestion.status,
                "suggested_at": suggestion.suggested_at,
                "decided_by": None,
                "decided_at": None,
            }
        )

    def decide(self, suggestion_id: UUID, status: str, by: str, at: datetime) -> None:
        self.flush()
        self._connection.execute(
            update(match_suggestions)
            .where(match_suggestions.c.id == suggestion_id)
            .values(status=status, decided_by=by, decided_at=at)
        )

    def flush(self) -> None:
        insert_rows(self._connection, match_suggestions, self._pending)
        self._pending = []

    def reset(self) -> None:
        self._pending = []
        self._connection.execute(delete(match_suggestions))


class SqlSuggestionView:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def list(
        self, status: str | None, patient_id: UUID | None, limit: int
    ) -> list[SuggestionSummary]:
        table = match_suggestions
        query = select(table).order_by(table.c.score.desc(), table.c.id).limit(limit)
        if status is not None:
            query = query.where(table.c.status == status)
        if patient_id is not None:
            query = query.where(
                or_(table.c.patient_a == patient_id, table.c.patient_b == patient_id)
            )
        with self._engine.connect() as connection:
            return [_summary(row) for row in connection.execute(query)]


def _summary(row: Any) -> SuggestionSummary:
    return SuggestionSummary(
        id=row.id,
        patient_ids=(row.patient_a, row.patient_b),
        rule=row.rule,
        score=row.score,
        agreements=json.loads(row.agreements),
        status=row.status,
        suggested_at=_aware(row.suggested_at),
        decided_by=row.decided_by,
        decided_at=_aware(row.decided_at) if row.decided_at else None,
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
