"""Patient imports over HTTP: the template, uploads run by a worker, progress, rejected rows."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, File, Form, Query, UploadFile, status
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from clinic.application.patients.import_columns import ImportFileError
from clinic.application.patients.import_records import ImportSummary
from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Permission
from clinic.domain.shared.errors import InvalidFieldError
from clinic.presentation.api.downloads import CSV_RESPONSE, csv_download
from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.security import authorized

router = APIRouter(prefix="/patients", tags=["patients"])
Importer = Annotated[Actor, authorized(Permission.PATIENTS_MERGE)]

UPLOAD_PATHS = ("/patients/imports",)
"""Paths that take a file: they get CLINIC_MAX_UPLOAD_BYTES instead of the body limit."""
MAX_MAPPING_CHARS = 10_000
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportCounts(BaseModel):
    read: int
    created: int = Field(description="Profiles registered (some then merged into others)")
    updated: int
    unchanged: int = Field(description="Rows their profiles already matched (a re-import)")
    merged: int
    suggested: int = Field(description="Possible duplicates left for an administrator")
    rejected: int = Field(description="Rows with errors: see rejected.csv")


class PatientImport(BaseModel):
    id: UUID
    source: str
    file_hash: str = Field(description="SHA-256 of the file")
    file_format: Literal["csv", "xlsx"]
    dry_run: bool = Field(description="Only checked: nothing was written")
    status: Literal["queued", "running", "finished", "failed"]
    requested_by: str
    requested_at: datetime
    finished_at: datetime | None
    reason: str | None = Field(description="Why it failed")
    counts: ImportCounts

    @classmethod
    def of(cls, summary: ImportSummary) -> PatientImport:
        return cls(
            id=summary.id,
            source=summary.source,
            file_hash=summary.file_hash,
            file_format=summary.file_format,
            dry_run=summary.dry_run,
            status=summary.status,
            requested_by=summary.requested_by,
            requested_at=summary.requested_at,
            finished_at=summary.finished_at,
            reason=summary.reason,
            counts=ImportCounts(**summary.counts),
        )


@router.get(
    "/import/template",
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in MEDIA_TYPES.values()}},
        **problem_responses(401, 403, 422),
    },
)
@inject
def import_template(
    actor: Annotated[Actor, authorized(Permission.PATIENTS_WRITE)],
    file_format: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
    files: Any = Depends(Provide["patients.import_files"]),
) -> Response:
    """The import template: every column with one example row. CSV is UTF-8 with a BOM and `;`
    between fields, as Excel with a Russian locale opens it."""
    return Response(
        files.template(file_format),
        media_type=MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="patients-template.{file_format}"'},
    )


@router.post(
    "/imports",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PatientImport,
    responses=problem_responses(401, 403, 413, 422),
)
@inject
def request_import(
    actor: Importer,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or cp1251, `;` or `,`) or XLSX")],
    source: Annotated[
        str, Form(max_length=50, description="The system the rows come from, e.g. `mis`")
    ],
    dry_run: Annotated[bool, Form(description="Check every row, write nothing")] = False,
    mapping: Annotated[
        str | None,
        Form(
            max_length=MAX_MAPPING_CHARS,
            description='JSON object: file header → template column, e.g. {"Фамилия": '
            '"surname"}; omitted: the headers are recognised',
        ),
    ] = None,
    imports: Any = Depends(Provide["patients.imports"]),
) -> PatientImport:
    """Upload a patient file; a worker imports it. Poll `GET /patients/imports/{id}` for its
    progress and counts; a file that cannot be read or mapped is refused here (422)."""
    try:
        summary = imports.request(
            file.file,
            source=source,
            by=actor,
            file_name=file.filename,
            mapping=_mapping(mapping),
            dry_run=dry_run,
        )
    except ImportFileError as error:
        raise InvalidFieldError("file", str(error), "unreadable_file") from None
    return PatientImport.of(summary)


@router.get(
    "/imports", response_model=list[PatientImport], responses=problem_responses(401, 403, 422)
)
@inject
def list_imports(
    actor: Importer,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    imports: Any = Depends(Provide["patients.imports"]),
) -> list[PatientImport]:
    """The latest imports first."""
    return [PatientImport.of(s) for s in imports.list_imports(actor, limit)]


@router.get(
    "/imports/{import_id}",
    response_model=PatientImport,
    responses=problem_responses(401, 403, 404, 422),
)
@inject
def get_import(
    import_id: UUID, actor: Importer, imports: Any = Depends(Provide["patients.imports"])
) -> PatientImport:
    """One import, with its counts so far (while it runs) or final."""
    return PatientImport.of(imports.get(import_id, actor))


@router.post(
    "/imports/{import_id}/confirm",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PatientImport,
    responses=problem_responses(401, 403, 404, 422),
)
@inject
def confirm_import(
    import_id: UUID, actor: Importer, imports: Any = Depends(Provide["patients.imports"])
) -> PatientImport:
    """Import for real the file a finished dry run checked: a new import."""
    return PatientImport.of(imports.confirm(import_id, actor))


@router.get(
    "/imports/{import_id}/rejected.csv",
    response_class=StreamingResponse,
    responses=CSV_RESPONSE | problem_responses(401, 403, 404, 422),
)
@inject
def rejected_rows(
    import_id: UUID, actor: Importer, imports: Any = Depends(Provide["patients.imports"])
) -> StreamingResponse:
    """The rejected rows: row number (as the spreadsheet shows it), column, reason."""
    problems = imports.rejected_rows(import_id, actor)
    return csv_download(
        f"rejected-{import_id}.csv",
        ["row", "column", "reason"],
        ([p.row, p.column, p.reason] for p in problems),
    )


def _mapping(raw: str | None) -> dict[str, str] | None:
    if raw is None or not raw.strip():
        return None
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError:
        parsed = None
    if not isinstance(parsed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in parsed.items()
    ):
        raise InvalidFieldError(
            "mapping", "a JSON object of file header → template column", "invalid_mapping"
        )
    return parsed
