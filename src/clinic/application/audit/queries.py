"""Queries of the audit context: the audit trail read model only, DTOs out."""

from __future__ import annotations

from datetime import datetime

from clinic.application.audit.dto import AuditFilter, AuditPage
from clinic.application.audit.projections import AuditTrailProjection
from clinic.application.audit.views import AuditTrailView
from clinic.application.shared.ports import ProjectionWaiter

MAX_PAGE_SIZE = 200
READ_YOUR_WRITES_TIMEOUT = 5.0


class AuditQueries:
    """Reads the audit trail; `after=` waits until an entry's position is applied."""

    def __init__(self, view: AuditTrailView, waiter: ProjectionWaiter) -> None:
        self._view = view
        self._waiter = waiter

    def search(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        subject_type: str | None = None,
        subject_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        cursor: str | None = None,
        after: int | None = None,
    ) -> AuditPage:
        """Entries matching every filter given, newest first, a page at a time."""
        if after is not None:
            self._waiter.wait(AuditTrailProjection.name, after, READ_YOUR_WRITES_TIMEOUT)
        where = AuditFilter(
            actor=_blank_as_none(actor),
            action=_blank_as_none(action),
            subject_type=_blank_as_none(subject_type),
            subject_id=_blank_as_none(subject_id),
            since=since,
            until=until,
        )
        return self._view.search(where, max(1, min(limit, MAX_PAGE_SIZE)), cursor or None)


def _blank_as_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None
