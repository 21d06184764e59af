"""HTTP endpoints of the patients context."""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import StreamingResponse

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.dto import PatientSummary
from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Permission
from clinic.presentation.api.downloads import CSV_RESPONSE, csv_download, every_item
from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.patients import schemas
from clinic.presentation.api.security import authorized

NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
Reader = Annotated[Actor, authorized(Permission.PATIENTS_READ)]
Writer = Annotated[Actor, authorized(Permission.PATIENTS_WRITE)]
router = APIRouter(prefix="/patients", tags=["patients"])
EXPORT_HEADER = tuple(column.name for column in fields(PatientSummary))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Patient,
    responses=problem_responses(401, 403, 422, 503),
)
@inject
def register_patient(
    body: schemas.PatientCreate,
    actor: Writer,
    service: Any = Depends(Provide["patients.service"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.Patient:
    """Register a patient; the response is read back from the patient list (read-your-writes)."""
    registered = service.register_patient(RegisterPatient(**body.model_dump()), by=actor)
    return schemas.Patient.of(queries.get_patient(registered.patient_id, after=registered.position))


@router.get("", response_model=schemas.PatientPage, responses=problem_responses(401, 403, 422))
@inject
def search_patients(
    actor: Reader,
    q: Annotated[
        str, Query(max_length=200, pattern=NO_NUL, description="Name prefix, phone or e-mail")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    queries: Any = Depends(Provide["patients.queries"]),
) -> schemas.PatientPage:
    """Search patients by name prefix, phone (any form) or e-mail, a page at a time."""
    page = queries.search_patients(q, limit=limit, cursor=cursor)
    return schemas.PatientPage(
        items=[schemas.Patient.of(p) for p in page.items], next_cursor=page.next_cursor
    )


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    responses=CSV_RESPONSE | problem_responses(401, 403, 422),
)
@inject
def export_patients(
    actor: Annotated[Actor, authorized(Permission.PATIENTS_EXPORT)],
    queries: Any = Depends(Provide["patients.queries"]),
    audit: Any = Depends(Provide["audit.service"]),
) -> StreamingResponse:
    """The patient list with personal data as CSV (UTF-8 with BOM, `;`-separated); audited."""
    audit.record(actor, "patients.exported", details={"rows": queries.count_patients()})
    patients = every_item(lambda cursor: queries.search_patients("", limit=200, cursor=cursor))
    return csv_download("patients.csv", EXPORT_HEADER, (_export_row(p) for p in patients))


def _export_row(patient: PatientSummary) -> tuple[object, ...]:
    return tuple(getattr(patient, column) for column in EXPORT_HEADER)


@router.get(
    "/{patient_id}",
    response_model=schemas.Patient,
    responses=problem_responses(401, 403, 404, 422),
)
@inject
def get_patient(
    patient_id: UUID, actor: Reader, queries: Any = Depends(Provide["patients.queries"])
) -> schemas.Patient:
    """One patient's profile; every view is recorded in the audit trail."""
    return schemas.Patient.of(queries.view_patient(patient_id, actor))


@router.delete(
    "/{patient_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
@inject
def erase_patient(
    patient_id: UUID,
    actor: Annotated[Actor, authorized(Permission.PATIENTS_ERASE)],
    service: Any = Depends(Provide["patients.service"]),
) -> None:
    """Erase a patient (the right to erasure): their key is shredded, so their personal data is
    unreadable in every past event, and the read models drop it. Repeating it is harmless."""
    service.erase_patient(patient_id, by=actor)
