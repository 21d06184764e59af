"""Projection of audit entries into the audit trail read model."""

from __future__ import annotations

from typing import ClassVar

from eventsourcing.utils import get_topic

from clinic.application.audit.dto import AuditRecord
from clinic.application.audit.views import AuditTrailWriter
from clinic.domain.audit.entry import AuditEntry


class AuditTrailProjection:
    """The searchable audit trail (one row per entry)."""

    name: ClassVar[str] = "audit_trail"
    application: ClassVar[str] = "audit"
    topics: ClassVar[tuple[str, ...]] = (get_topic(AuditEntry.Recorded),)

    def apply(self, event: object, writer: AuditTrailWriter) -> None:
        match event:
            case AuditEntry.Recorded():
                writer.add_entry(
                    AuditRecord(
                        id=event.originator_id,
                        at=event.at,
                        actor=event.actor,
                        role=event.role,
                        action=event.action,
                        subject_type=event.subject_type,
                        subject_id=event.subject_id,
                        details=dict(event.details),
                    )
                )
            case _:
                pass
