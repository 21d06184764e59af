"""The audit trail port: every view of a full profile, every export and every change is
recorded with who did it, when and to what. Details never hold personal data: ids and counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from clinic.application.shared.actor import Actor

AuditDetail = str | int | bool | None


class AuditTrail(Protocol):
    def record(
        self,
        actor: Actor,
        action: str,
        subject_type: str | None = None,
        subject_id: str | None = None,
        details: Mapping[str, AuditDetail] | None = None,
    ) -> None:
        """Appends one entry; `action` is dotted, past tense: `patient.viewed`, `user.added`."""
        ...
