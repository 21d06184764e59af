"""The audit trail read model is a function of the events: a rebuild gives the same rows."""

from __future__ import annotations

from eventsourcing.domain import Aggregate
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.application.audit.dto import AuditRecord
from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Role
from tests.unit.application.audit.fakes import InMemoryAuditTrail
from tests.unit.application.audit.support import audit_log, project, recorded_events

actors = st.sampled_from(
    [Actor.of("ivanova", Role.ADMIN), Actor.of("petrov", Role.ANALYST), Actor.anonymous()]
)
entries = st.tuples(
    actors,
    st.sampled_from(["user.added", "patient.viewed", "patients.exported", "user.sign_in_failed"]),
    st.one_of(st.none(), st.sampled_from(["user", "patient"])),
    st.one_of(st.none(), st.text(max_size=20)),
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
        st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=30)),
        max_size=4,
    ),
)


class Note(Aggregate):
    """An aggregate of no interest to the audit trail."""

    def __init__(self, text: str) -> None:
        self.text = text


def as_rows(trail: InMemoryAuditTrail) -> dict[str, AuditRecord]:
    return dict(trail.rows)


class TestAuditTrailProjection:
    def test_an_entry_becomes_one_row_with_its_fields(self) -> None:
        log = audit_log()
        log.record(Actor.of("ivanova", Role.ADMIN), "user.added", "user", "petrov", {"n": 1})
        [row] = project(recorded_events(log)).rows.values()
        assert (row.actor, row.role, row.action) == ("ivanova", "admin", "user.added")
        assert (row.subject_type, row.subject_id, row.details) == ("user", "petrov", {"n": 1})

    def test_events_of_other_aggregates_are_ignored(self) -> None:
        assert project(Note("x").collect_events()).rows == {}

    @settings(max_examples=60, deadline=None)
    @given(recorded=st.lists(entries, max_size=25), batch=st.integers(1, 7))
    def test_a_rebuild_in_any_batches_gives_the_same_rows(
        self,
        recorded: list[tuple[Actor, str, str | None, str | None, dict[str, object]]],
        batch: int,
    ) -> None:
        log = audit_log()
        for actor, action, subject_type, subject_id, details in recorded:
            log.record(actor, action, subject_type, subject_id, details)  # type: ignore[arg-type]
        events = recorded_events(log)
        first = as_rows(project(events))

        trail = InMemoryAuditTrail(rows=dict(first))
        trail.reset()
        for start in range(0, len(events), batch):
            project(events[start : start + batch], trail)

        assert as_rows(trail) == first
        assert len(first) == len(recorded)
