"""Read-side data transfer objects of the audit context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from clinic.application.shared.audit import AuditDetail


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """A row of the audit trail: who did what, when, to which subject."""

    id: UUID
    at: datetime
    actor: str
    role: str | None
    action: str
    subject_type: str | None
    subject_id: str | None
    details: dict[str, AuditDetail] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to show; every field given must match (`since` inclusive, `until` not)."""

    actor: str | None = None
    action: str | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of the audit trail, newest first; `next_cursor` is None on the last page."""

    items: list[AuditRecord]
    next_cursor: str | None
