"""HTTP endpoints of analytics: the patient list pseudonymised, its age bands, its export."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from clinic.application.analytics.dto import PatientFilter
from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Permission
from clinic.domain.shared.age_bands import parse_age_band
from clinic.domain.shared.dates import parse_date
from clinic.presentation.api.analytics import schemas
from clinic.presentation.api.downloads import CSV_RESPONSE, csv_download
from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.security import authorized

Reader = Annotated[Actor, authorized(Permission.PATIENTS_READ_PSEUDONYMISED)]
Exporter = Annotated[Actor, authorized(Permission.ANALYTICS_EXPORT)]
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"  # pydantic would take a number for a Unix time
EXPORT_HEADER = ("pseudonym", "sex", "age_band", "status", "registered_on")
router = APIRouter(prefix="/analytics", tags=["analytics"])


def patient_filter(
    sex: Annotated[Literal["F", "M"] | None, Query()] = None,
    age_band: Annotated[
        str | None, Query(max_length=10, description="0–17, 18–24, …, 65+ or unknown")
    ] = None,
    status: Annotated[Literal["active", "archived", "merged"] | None, Query()] = None,
    registered_from: Annotated[
        str | None, Query(pattern=ISO_DAY, description="First UTC day, YYYY-MM-DD")
    ] = None,
    registered_to: Annotated[
        str | None, Query(pattern=ISO_DAY, description="Last UTC day (inclusive), YYYY-MM-DD")
    ] = None,
) -> PatientFilter:
    """The filter query parameters every analytics endpoint on patients takes."""
    return PatientFilter(
        sex=sex,
        age_band=parse_age_band(age_band) if age_band else None,
        status=status,
        registered_from=parse_date(registered_from, "registered_from") if registered_from else None,
        registered_to=parse_date(registered_to, "registered_to") if registered_to else None,
    )


Filter = Annotated[PatientFilter, Depends(patient_filter)]


@router.get(
    "/patients",
    response_model=schemas.PseudonymisedPatientPage,
    responses=problem_responses(401, 403, 422),
)
@inject
def list_patients(
    actor: Reader,
    filters: Filter,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    queries: Any = Depends(Provide["analytics.patients"]),
) -> schemas.PseudonymisedPatientPage:
    """Patients without identities, in registration order: pseudonym, sex, age band, status."""
    page = queries.list_patients(filters, limit=limit, cursor=cursor)
    return schemas.PseudonymisedPatientPage(
        items=[schemas.PseudonymisedPatient.of(p) for p in page.items],
        next_cursor=page.next_cursor,
    )


@router.get(
    "/patients/age-bands",
    response_model=schemas.AgeBandCounts,
    responses=problem_responses(401, 403, 422),
)
@inject
def count_by_age_band(
    actor: Reader, filters: Filter, queries: Any = Depends(Provide["analytics.patients"])
) -> schemas.AgeBandCounts:
    """How many patients there are in each age band, by sex (aggregates only)."""
    return schemas.AgeBandCounts.of(queries.count_by_age_band(filters))


@router.get(
    "/patients/export.csv",
    response_class=StreamingResponse,
    responses=CSV_RESPONSE | problem_responses(401, 403, 422),
)
@inject
def export_patients(
    actor: Exporter,
    filters: Filter,
    queries: Any = Depends(Provide["analytics.patients"]),
    audit: Any = Depends(Provide["audit.service"]),
) -> StreamingResponse:
    """The pseudonymised patients as CSV (UTF-8 with BOM, `;`-separated); the export is audited."""
    details = {"rows": queries.count_patients(filters), **filters.described()}
    audit.record(actor, "patients.exported_pseudonymised", details=details)
    rows = (
        (p.pseudonym, p.sex, p.age_band.value, p.status, p.registered_on)
        for p in queries.export_patients(filters)
    )
    return csv_download("patients-pseudonymised.csv", EXPORT_HEADER, rows)
