"""An audit log on the in-memory event store, a clock that ticks, and its events projected."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from clinic.application.audit.projections import AuditTrailProjection
from clinic.application.audit.service import AuditLog
from tests.unit.application.audit.fakes import InMemoryAuditTrail
from tests.unit.application.fakes import POPO

START = datetime.fromisoformat("2026-11-29T09:00:00+00:00")


@dataclass
class TickingClock:
    """Each reading a second after the one before."""

    moment: datetime = START

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def audit_log() -> AuditLog:
    return AuditLog(TickingClock(), env=POPO)


def recorded_events(log: AuditLog) -> list[object]:
    notifications = log.recorder.select_notifications(None, 100_000)
    return [log.mapper.to_domain_event(n) for n in notifications]


def project(
    events: Sequence[object], trail: InMemoryAuditTrail | None = None
) -> InMemoryAuditTrail:
    trail = trail if trail is not None else InMemoryAuditTrail()
    projection = AuditTrailProjection()
    for event in events:
        projection.apply(event, trail)
    trail.flush()
    return trail
