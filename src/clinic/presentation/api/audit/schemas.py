"""API schemas of the audit context."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, Field

from clinic.application.audit.dto import AuditRecord

RFC_3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})")


def _rfc_3339(value: object) -> object:
    """Only what the schema promises (a date-time with its offset): no Unix seconds, no naive
    moments that would be read in an unknown zone."""
    if isinstance(value, str) and not RFC_3339.fullmatch(value):
        msg = "a date-time with its offset, like 2026-11-29T10:00:00Z"
        raise ValueError(msg)
    return value


Moment = Annotated[datetime, BeforeValidator(_rfc_3339)]


class AuditEntry(BaseModel):
    """One attributable act: who did what, when, to which subject. Never personal data."""

    id: UUID
    at: datetime
    actor: str = Field(description="Username, `cli:<os user>` or `anonymous`")
    role: str | None
    action: str = Field(description="Dotted, past tense: `user.added`, `patient.viewed`")
    subject_type: str | None
    subject_id: str | None
    details: dict[str, str | int | bool | None]

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEntry:
        return cls(
            id=record.id,
            at=record.at,
            actor=record.actor,
            role=record.role,
            action=record.action,
            subject_type=record.subject_type,
            subject_id=record.subject_id,
            details=record.details,
        )


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )
