"""HTTP endpoint of the unified patient profile, and its response schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Permission
from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.security import authorized

router = APIRouter(prefix="/patients", tags=["patients"])


class _FromDto(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ContactPoint(_FromDto):
    kind: str = Field(description="phone, email, telegram or whatsapp")
    value: str
    source: str = Field(description="Where it was learnt: manual, import:xlsx, ...")


class Consent(_FromDto):
    channel: str
    purpose: str
    granted: bool = Field(description="false: withdrawn or refused")
    source: str
    at: datetime = Field(description="When the patient gave or withdrew it")
    evidence: str | None


class SourceRecord(_FromDto):
    source: str
    external_id: str


class PatientReference(_FromDto):
    id: UUID
    full_name: str | None = Field(description="null: the patient was erased")


class Change(_FromDto):
    at: datetime
    by: str | None = Field(description="The username of who made it")
    change: str = Field(description="What happened, e.g. `contact_point.added`")
    fields: list[str] = Field(description="The fields the change carries")
    values: dict[str, str | bool | None] = Field(
        description="Values of the non-personal fields only; personal ones are on the profile"
    )


class PatientProfile(_FromDto):
    """Everything about one patient; an erased one has no personal data left."""

    id: UUID
    status: str = Field(description="active, archived, merged or erased")
    registered_at: datetime
    surname: str | None
    given_name: str | None
    patronymic: str | None
    full_name: str | None
    sex: Literal["F", "M"] | None
    birth_date: date | None
    city: str | None
    address: str | None
    postcode: str | None
    time_zone: str | None
    archive_comment: str | None
    contact_points: list[ContactPoint]
    consents: list[Consent]
    tags: list[str]
    representative: PatientReference | None
    dependants: list[PatientReference] = Field(description="Patients this one represents")
    source_records: list[SourceRecord]
    history: list[Change] = Field(description="Every change of the profile, oldest first")
    merged_into: PatientReference | None = Field(
        description="The profile this one was merged into (status `merged`)"
    )
    merged: list[PatientReference] = Field(
        description="Profiles of the same person merged into this one"
    )


@router.get(
    "/{patient_id}/profile",
    response_model=PatientProfile,
    responses=problem_responses(401, 403, 404, 422),
)
@inject
def get_patient_profile(
    patient_id: UUID,
    actor: Annotated[Actor, authorized(Permission.PATIENTS_READ)],
    queries: Any = Depends(Provide["patients.profiles"]),
) -> PatientProfile:
    """One patient's unified profile with its change history; every view is audited."""
    return PatientProfile.model_validate(queries.profile(patient_id, actor))
