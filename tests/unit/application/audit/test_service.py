"""Recording: each call is one entry in the `audit` store, attributed to its actor — no I/O."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic.application.audit.dto import AuditRecord
from clinic.application.audit.service import AuditLog
from clinic.application.identity.service import IdentityService
from clinic.application.shared.actor import Actor
from clinic.domain.audit.entry import AuditEntry
from clinic.domain.audit.errors import InvalidAuditEntryError
from clinic.domain.shared.access import Role
from tests.unit.application.audit.support import (
    START,
    TickingClock,
    audit_log,
    project,
    recorded_events,
)
from tests.unit.application.fakes import POPO

ADMIN = Actor.of("ivanova", Role.ADMIN)
PASSWORD = "correct horse battery"


class PlainHasher:
    def hash(self, password: str) -> str:
        return "h:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == self.hash(password)


@pytest.fixture
def log() -> AuditLog:
    return audit_log()


class TestRecord:
    def test_an_entry_names_the_actor_their_role_the_act_and_the_moment(
        self, log: AuditLog
    ) -> None:
        log.record(ADMIN, "patient.viewed", "patient", "42", {"fields": 7})
        [event] = recorded_events(log)
        assert isinstance(event, AuditEntry.Recorded)
        assert (event.actor, event.role, event.action) == ("ivanova", "admin", "patient.viewed")
        assert (event.subject_type, event.subject_id, event.details) == (
            "patient",
            "42",
            {"fields": 7},
        )
        assert event.at == START + timedelta(seconds=1)

    def test_an_anonymous_actor_has_no_role(self, log: AuditLog) -> None:
        log.record(Actor.anonymous(), "user.sign_in_failed", "user", "nobody")
        [event] = recorded_events(log)
        assert isinstance(event, AuditEntry.Recorded)
        assert (event.actor, event.role) == ("anonymous", None)

    def test_every_entry_is_an_aggregate_of_its_own(self, log: AuditLog) -> None:
        for _ in range(3):
            log.record(ADMIN, "patients.exported", details={"count": 10})
        events = recorded_events(log)
        assert len({e.originator_id for e in events}) == 3  # type: ignore[attr-defined]

    def test_record_entry_returns_the_position_to_wait_for(self, log: AuditLog) -> None:
        assert log.record_entry(ADMIN, "user.added", "user", "a") == 1
        assert log.record_entry(ADMIN, "user.added", "user", "b") == 2

    def test_an_invalid_entry_stores_nothing(self, log: AuditLog) -> None:
        with pytest.raises(InvalidAuditEntryError):
            log.record(ADMIN, "user.added", details={"nested": {"no": 1}})  # type: ignore[dict-item]
        assert log.recorder.max_notification_id() is None


class TestIdentityActionsAreAudited:
    def test_adding_a_user_and_failed_sign_ins_show_in_the_trail(self, log: AuditLog) -> None:
        identity = IdentityService(TickingClock(), PlainHasher(), audit=log, env=POPO)
        identity.add_user("petrov", PASSWORD, "marketer", by=ADMIN)
        identity.sign_in("petrov", "wrong password", client="10.0.0.7")
        identity.sign_in("petrov", PASSWORD, client="10.0.0.7")

        rows = sorted(project(recorded_events(log)).rows.values(), key=lambda r: r.at)
        assert [(r.actor, r.action, r.subject_id, r.details) for r in rows] == [
            ("ivanova", "user.added", "petrov", {"role": "marketer"}),
            ("anonymous", "user.sign_in_failed", "petrov", {"client": "10.0.0.7"}),
            ("petrov", "user.signed_in", "petrov", {"client": "10.0.0.7"}),
        ]
        assert all(isinstance(r, AuditRecord) and r.subject_type == "user" for r in rows)

    def test_no_password_reaches_the_trail(self, log: AuditLog) -> None:
        identity = IdentityService(TickingClock(), PlainHasher(), audit=log, env=POPO)
        identity.add_user("petrov", PASSWORD, "marketer")
        identity.sign_in("petrov", "a mistyped secret", client="10.0.0.7")
        stored = b"".join(n.state for n in log.recorder.select_notifications(None, 100))
        assert b"correct horse" not in stored
        assert b"mistyped" not in stored
