"""Match suggestions: two profiles that may be one person, for an administrator to decide.

A suggestion's id is derived from its pair, so the same pair is never suggested twice and a
rejection is remembered for good: identity resolution asks for the rejected pairs and never
merges or suggests them again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from clinic.domain.shared.errors import DomainError

_NAMESPACE = uuid5(NAMESPACE_URL, "clinic-cdp:match-suggestion")


class SuggestionStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class SuggestionDecidedError(DomainError):
    """The suggestion was accepted or rejected already."""

    def __init__(self, suggestion_id: UUID, status: str) -> None:
        super().__init__(f"match suggestion {suggestion_id} is {status} already")
        self.suggestion_id = suggestion_id
        self.status = status


def pair_of(a: UUID, b: UUID) -> tuple[UUID, UUID]:
    """The pair in a canonical order."""
    return (a, b) if str(a) <= str(b) else (b, a)


def suggestion_id(a: UUID, b: UUID) -> UUID:
    first, second = pair_of(a, b)
    return uuid5(_NAMESPACE, f"{first}/{second}")


class MatchSuggestion(Aggregate):
    """`agreements`: how each field compared ([field, level, weight]), to show side by side."""

    class Suggested(Aggregate.Created):
        patient_ids: list[UUID]
        rule: str
        score: float
        agreements: list[list[object]]
        by: str
        suggested_at: datetime

    class Accepted(Aggregate.Event):
        by: str
        decided_at: datetime

    class Rejected(Aggregate.Event):
        by: str
        decided_at: datetime

    @event(Suggested)
    def __init__(
        self,
        patient_ids: list[UUID],
        rule: str,
        score: float,
        agreements: list[list[object]],
        by: str,
        suggested_at: datetime,
    ) -> None:
        self.patient_ids = list(patient_ids)
        self.rule = rule
        self.score = score
        self.agreements = agreements
        self.suggested_at = suggested_at
        self.status = SuggestionStatus.OPEN
        self.decided_by: str | None = None

    @classmethod
    def create_id(cls, patient_ids: list[UUID], **_: object) -> UUID:
        return suggestion_id(patient_ids[0], patient_ids[1])

    @classmethod
    def suggest(
        cls,
        a: UUID,
        b: UUID,
        *,
        rule: str,
        score: float,
        agreements: list[list[object]],
        by: str,
        now: datetime,
    ) -> MatchSuggestion:
        return cls(
            patient_ids=list(pair_of(a, b)),
            rule=rule,
            score=score,
            agreements=agreements,
            by=by,
            suggested_at=now,
        )

    @classmethod
    def rejection(cls, a: UUID, b: UUID, *, by: str, now: datetime) -> MatchSuggestion:
        """A pair declared distinct people without a suggestion first (an unmerge)."""
        suggestion = cls.suggest(a, b, rule="unmerged", score=0.0, agreements=[], by=by, now=now)
        suggestion.reject(by=by, now=now)
        return suggestion

    def accept(self, *, by: str, now: datetime) -> None:
        self.check_open()
        self._accept(by=by, decided_at=now)

    def reject(self, *, by: str, now: datetime) -> None:
        """Remembers the pair as two people; rejecting an accepted pair (after an unmerge) is
        allowed, rejecting twice is a no-op."""
        if self.status != SuggestionStatus.REJECTED:
            self._reject(by=by, decided_at=now)

    def check_open(self) -> None:
        if self.status != SuggestionStatus.OPEN:
            raise SuggestionDecidedError(self.id, self.status)

    @event(Accepted)
    def _accept(self, by: str, decided_at: datetime) -> None:
        self.status = SuggestionStatus.ACCEPTED
        self.decided_by = by

    @event(Rejected)
    def _reject(self, by: str, decided_at: datetime) -> None:
        self.status = SuggestionStatus.REJECTED
        self.decided_by = by
