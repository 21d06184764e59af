"""Maps domain and application errors to problem+json responses (RFC 9457), in one place."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from clinic.application.patients.errors import MatchCountChangedError
from clinic.application.shared.errors import (
    InvalidCursorError,
    NotFoundError,
    PermissionDeniedError,
    ReadModelLagError,
)
from clinic.domain.identity.errors import SignInLockedError
from clinic.domain.patients.errors import (
    PatientNotChangeableError,
    PatientNotMergedError,
    PatientsNotChangeableError,
)
from clinic.domain.patients.suggestions import SuggestionDecidedError
from clinic.domain.shared.errors import InvalidFieldError, InvalidInputError

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
BODY_PARSE_ERROR = "There was an error parsing the body"  # FastAPI's 400 for undecodable bodies


class FieldProblem(BaseModel):
    field: str
    message: str
    code: str | None = Field(
        None,
        description="The broken rule, stable for clients' own wording: required, invalid_phone, …",
    )


class RefusedPatient(BaseModel):
    id: UUID
    reason: str = Field(description="Why it takes no change: not found, erased, merged")


class Problem(BaseModel):
    """An RFC 9457 problem detail; `errors` names each invalid field, `refused` each patient
    that stopped a change (and nothing was changed), `matched` how many patients a filter
    selects now."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldProblem] | None = None
    refused: list[RefusedPatient] | None = None
    matched: int | None = Field(
        None, description="How many a bulk change's filter selects now, if not as confirmed"
    )


def problem_response(
    request: Request, status: int, title: str, detail: str | None = None, **extra: Any
) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, instance=request.url.path, **extra)
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True), status_code=status, media_type=PROBLEM_JSON
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entry declaring problem+json for each status."""
    return {s: {"model": Problem, "content": {PROBLEM_JSON: {}}} for s in statuses}


def document_problems(app: FastAPI) -> None:
    """Makes OpenAPI say what the handlers send: error bodies are application/problem+json."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            for path in spec.get("paths", {}).values():
                for operation in path.values():
                    for status, response in operation.get("responses", {}).items():
                        _move_problem_schema(status, response)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _move_problem_schema(status: str, response: dict[str, Any]) -> None:
    content = response.get("content", {})
    if status.isdigit() and int(status) >= 400 and "application/json" in content:  # noqa: PLR2004
        content[PROBLEM_JSON] = content.pop("application/json")


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            FieldProblem(
                field="body" if e["type"] == "json_invalid" else _field_name(tuple(e["loc"])),
                message=e["msg"],
            )
            for e in error.errors()
        ]
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
        return problem_response(request, 422, "Invalid input", detail, errors=errors)

    @app.exception_handler(InvalidInputError)
    async def _invalid_input(request: Request, error: InvalidInputError) -> JSONResponse:
        errors = [
            FieldProblem(field=f, message=m, code=error.codes[f]) for f, m in error.errors.items()
        ]
        return problem_response(request, 422, "Invalid input", str(error), errors=errors)

    @app.exception_handler(InvalidFieldError)
    async def _invalid_field(request: Request, error: InvalidFieldError) -> JSONResponse:
        errors = [FieldProblem(field=error.field, message=error.message, code=error.code)]
        return problem_response(request, 422, "Invalid input", str(error), errors=errors)

    @app.exception_handler(InvalidCursorError)
    async def _invalid_cursor(request: Request, error: InvalidCursorError) -> JSONResponse:
        errors = [FieldProblem(field="cursor", message="not a cursor this server issued")]
        return problem_response(request, 422, "Invalid input", str(error), errors=errors)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, error: NotFoundError) -> JSONResponse:
        return problem_response(request, 404, "Not found", str(error))

    @app.exception_handler(PatientNotChangeableError)
    async def _not_changeable(request: Request, error: PatientNotChangeableError) -> JSONResponse:
        refused = [RefusedPatient(id=error.patient_id, reason=error.status)]
        return problem_response(request, 409, "Patient not changeable", str(error), refused=refused)

    @app.exception_handler(PatientsNotChangeableError)
    async def _none_changed(request: Request, error: PatientsNotChangeableError) -> JSONResponse:
        refused = [RefusedPatient(id=i, reason=reason) for i, reason in error.reasons.items()]
        return problem_response(request, 409, "No patient changed", str(error), refused=refused)

    @app.exception_handler(MatchCountChangedError)
    async def _count_changed(request: Request, error: MatchCountChangedError) -> JSONResponse:
        title = "The patients matching the filter changed"
        return problem_response(request, 409, title, str(error), matched=error.matched)

    @app.exception_handler(PatientNotMergedError)
    async def _not_merged(request: Request, error: PatientNotMergedError) -> JSONResponse:
        return problem_response(request, 409, "Patient not merged", str(error))

    @app.exception_handler(SuggestionDecidedError)
    async def _decided(request: Request, error: SuggestionDecidedError) -> JSONResponse:
        return problem_response(request, 409, "Suggestion decided already", str(error))

    @app.exception_handler(ReadModelLagError)
    async def _lagging(request: Request, error: ReadModelLagError) -> JSONResponse:
        log.warning("read model lagging", extra={"projection": error.projection})
        return problem_response(
            request, 503, "Read model is catching up", "The change is saved; retry shortly."
        )

    @app.exception_handler(PermissionDeniedError)
    async def _forbidden(request: Request, error: PermissionDeniedError) -> JSONResponse:
        detail = f"Your role does not allow this ({error.permission})"
        return problem_response(request, 403, "Forbidden", detail)

    @app.exception_handler(SignInLockedError)
    async def _locked(request: Request, error: SignInLockedError) -> JSONResponse:
        response = problem_response(request, 429, "Too many failed sign-ins", str(error))
        response.headers["Retry-After"] = str(int(error.retry_after + 0.999))
        return response

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code == HTTPStatus.BAD_REQUEST:
            # Only body parsing answers 400: undecodable JSON, or a broken multipart form.
            problem = (
                FieldProblem(field="body", message="not decodable JSON", code="invalid_json")
                if error.detail == BODY_PARSE_ERROR
                else FieldProblem(field="body", message=str(error.detail), code="invalid_form")
            )
            return problem_response(
                request, 422, "Invalid input", str(error.detail), errors=[problem]
            )
        title = HTTPStatus(error.status_code).phrase
        detail = None if error.detail == title else str(error.detail)
        response = problem_response(request, error.status_code, title, detail)
        response.headers.update(error.headers or {})  # e.g. Allow on a 405
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem_response(request, 500, "Internal server error")
