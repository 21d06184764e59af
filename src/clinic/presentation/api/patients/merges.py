"""Merging duplicate profiles over HTTP: merge, unmerge, and the match suggestions to decide."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from clinic.application.patients.merges import Merge
from clinic.application.patients.suggestions import SuggestionSummary
from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Permission
from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.security import authorized

router = APIRouter(prefix="/patients", tags=["patients"])
Merger = Annotated[Actor, authorized(Permission.PATIENTS_MERGE)]
CHANGE = problem_responses(401, 403, 404, 409, 422, 503)


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_ids: list[UUID] = Field(
        min_length=2, max_length=2, description="The two profiles of one person"
    )


class MergeResult(BaseModel):
    survivor_id: UUID = Field(description="The profile that lives on (registered first)")
    absorbed_id: UUID = Field(description="The profile merged into it (status `merged`)")

    @classmethod
    def of(cls, merge: Merge) -> MergeResult:
        return cls(survivor_id=merge.survivor_id, absorbed_id=merge.absorbed_id)


class Agreement(BaseModel):
    field: str
    level: str = Field(description="How the field compared: exact, close, differs, ...")
    weight: float


class MatchSuggestion(BaseModel):
    id: UUID
    patient_ids: list[UUID]
    rule: str
    score: float = Field(description="Sum of log2 likelihood ratios: higher is likelier")
    agreements: list[Agreement]
    status: Literal["open", "accepted", "rejected"]
    suggested_at: datetime
    decided_by: str | None
    decided_at: datetime | None

    @classmethod
    def of(cls, summary: SuggestionSummary) -> MatchSuggestion:
        return cls(
            id=summary.id,
            patient_ids=list(summary.patient_ids),
            rule=summary.rule,
            score=summary.score,
            agreements=[
                Agreement(field=str(f), level=str(lv), weight=float(w))  # type: ignore[arg-type]
                for f, lv, w in summary.agreements
            ],
            status=summary.status,
            suggested_at=summary.suggested_at,
            decided_by=summary.decided_by,
            decided_at=summary.decided_at,
        )


@router.post("/merges", response_model=MergeResult, responses=CHANGE)
@inject
def merge_patients(
    body: MergeRequest,
    actor: Merger,
    merges: Any = Depends(Provide["patients.merges"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> MergeResult:
    """Merge two profiles of one person: the one registered first survives and takes the
    other's contact points, source records, tags, its missing fields and any later consent."""
    a, b = body.patient_ids
    merge = merges.merge_patients(a, b, by=actor)
    queries.wait_for(merge.position)
    return MergeResult.of(merge)


@router.post("/{patient_id}/unmerge", response_model=MergeResult, responses=CHANGE)
@inject
def unmerge_patient(
    patient_id: UUID,
    actor: Merger,
    merges: Any = Depends(Provide["patients.merges"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> MergeResult:
    """Split a merged profile back out of its survivor (409 when it is not merged); the pair is
    remembered as two people and never merged or suggested again."""
    merge = merges.unmerge_patient(patient_id, by=actor)
    queries.wait_for(merge.position)
    return MergeResult.of(merge)


@router.get(
    "/match-suggestions",
    response_model=list[MatchSuggestion],
    responses=problem_responses(401, 403, 422),
)
@inject
def list_suggestions(
    actor: Merger,
    status: Literal["open", "accepted", "rejected"] | None = "open",
    patient_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    suggestions: Any = Depends(Provide["patients.suggestions"]),
) -> list[MatchSuggestion]:
    """Possible duplicates, likeliest first; of one patient with `patient_id`."""
    found = suggestions.list_suggestions(actor, status=status, patient_id=patient_id, limit=limit)
    return [MatchSuggestion.of(s) for s in found]


@router.post(
    "/match-suggestions/{suggestion_id}/accept", response_model=MergeResult, responses=CHANGE
)
@inject
def accept_suggestion(
    suggestion_id: UUID,
    actor: Merger,
    merges: Any = Depends(Provide["patients.merges"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> MergeResult:
    """Merge the suggested pair (409 when the suggestion was decided already)."""
    merge = merges.accept_suggestion(suggestion_id, by=actor)
    queries.wait_for(merge.position)
    return MergeResult.of(merge)


@router.post(
    "/match-suggestions/{suggestion_id}/reject",
    status_code=204,
    responses=CHANGE,
)
@inject
def reject_suggestion(
    suggestion_id: UUID, actor: Merger, merges: Any = Depends(Provide["patients.merges"])
) -> None:
    """Remember the pair as two people (409 when the suggestion was decided already)."""
    merges.reject_suggestion(suggestion_id, by=actor)
