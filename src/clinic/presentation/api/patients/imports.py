"""Patient imports over HTTP: the downloadable template (the import itself comes next)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Permission
from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.security import authorized

router = APIRouter(prefix="/patients/import", tags=["patients"])

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get(
    "/template",
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
