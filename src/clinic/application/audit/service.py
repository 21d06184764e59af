"""The audit context's eventsourcing Application: it records attributable acts."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import uuid4

from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditDetail
from clinic.application.shared.eventsourced import ContextApplication, last_position
from clinic.application.shared.ports import Clock
from clinic.domain.audit.entry import AuditEntry


class AuditLog(ContextApplication):
    """The AuditTrail of every context: each entry is an event in the `audit` store.

    Entries hold no personal data (see AuditEntry), so this store needs no vault.
    """

    name = "audit"

    def __init__(self, clock: Clock, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.clock = clock

    def record(
        self,
        actor: Actor,
        action: str,
        subject_type: str | None = None,
        subject_id: str | None = None,
        details: Mapping[str, AuditDetail] | None = None,
    ) -> None:
        """Appends one entry; InvalidAuditEntryError names a bad field."""
        self.record_entry(actor, action, subject_type, subject_id, details)

    def record_entry(
        self,
        actor: Actor,
        action: str,
        subject_type: str | None = None,
        subject_id: str | None = None,
        details: Mapping[str, AuditDetail] | None = None,
    ) -> int | None:
        """`record`, returning the entry's notification position (for read-your-writes)."""
        entry = AuditEntry.record(
            uuid4(),
            actor=actor.username,
            role=actor.role.value if actor.role is not None else None,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            details=details,
            at=self.clock.now(),
        )
        return last_position(self.save(entry))
