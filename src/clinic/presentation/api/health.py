"""Liveness and readiness: the database, the event stores and the broker answer."""

from __future__ import annotations

from typing import Any

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", responses={503: {"description": "A dependency is down"}})
@inject
def healthz(checks: Any = Depends(Provide["health_checks"])) -> JSONResponse:
    """Check the read-model database, every event store and the broker."""
    results = checks.run()
    healthy = all(r == "ok" for r in results.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": results}
    return JSONResponse(body, status_code=200 if healthy else 503)
