"""Match suggestions for administrators: the open ones, and those of one patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol
from uuid import UUID

from eventsourcing.utils import get_topic

from clinic.application.patients.queries import READ_YOUR_WRITES_TIMEOUT
from clinic.application.shared.actor import Actor
from clinic.application.shared.ports import ProjectionWaiter
from clinic.application.shared.projections import ReadModelWriter
from clinic.domain.patients.suggestions import MatchSuggestion, SuggestionStatus
from clinic.domain.shared.access import Permission


@dataclass(frozen=True, slots=True)
class SuggestionSummary:
    """`agreements`: how each field compared ([field, level, weight])."""

    id: UUID
    patient_ids: tuple[UUID, UUID]
    rule: str
    score: float
    agreements: list[list[object]]
    status: str
    suggested_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None


class SuggestionWriter(ReadModelWriter, Protocol):
    def add(self, suggestion: SuggestionSummary) -> None: ...

    def decide(self, suggestion_id: UUID, status: str, by: str, at: datetime) -> None: ...


class SuggestionView(Protocol):
    def list(
        self, status: str | None, patient_id: UUID | None, limit: int
    ) -> list[SuggestionSummary]:
        """Suggestions, best score first; of one patient when `patient_id` is given."""
        ...


class MatchSuggestionProjection:
    name: ClassVar[str] = "match_suggestions"
    application: ClassVar[str] = "patients"
    topics: ClassVar[tuple[str, ...]] = tuple(
        get_topic(c)
        for c in (MatchSuggestion.Suggested, MatchSuggestion.Accepted, MatchSuggestion.Rejected)
    )

    def apply(self, event: object, writer: SuggestionWriter) -> None:
        match event:
            case MatchSuggestion.Suggested():
                a, b = event.patient_ids
                writer.add(
                    SuggestionSummary(
                        id=event.originator_id,
                        patient_ids=(a, b),
                        rule=event.rule,
                        score=event.score,
                        agreements=event.agreements,
                        status=SuggestionStatus.OPEN.value,
                        suggested_at=event.suggested_at,
                    )
                )
            case MatchSuggestion.Accepted():
                accepted = SuggestionStatus.ACCEPTED.value
                writer.decide(event.originator_id, accepted, event.by, event.decided_at)
            case MatchSuggestion.Rejected():
                rejected = SuggestionStatus.REJECTED.value
                writer.decide(event.originator_id, rejected, event.by, event.decided_at)
            case _:
                pass


class SuggestionQueries:
    def __init__(self, view: SuggestionView, waiter: ProjectionWaiter) -> None:
        self._view = view
        self._waiter = waiter

    def wait_for(self, position: int | None) -> None:
        """Returns once the suggestions read model has applied events up to `position`."""
        if position is not None:
            self._waiter.wait(MatchSuggestionProjection.name, position, READ_YOUR_WRITES_TIMEOUT)

    def list_suggestions(
        self,
        viewer: Actor,
        *,
        status: str | None = SuggestionStatus.OPEN.value,
        patient_id: UUID | None = None,
        limit: int = 50,
    ) -> list[SuggestionSummary]:
        viewer.demand(Permission.PATIENTS_MERGE)
        return self._view.list(status, patient_id, max(1, min(limit, 200)))
