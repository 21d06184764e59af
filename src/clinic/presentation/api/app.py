"""The FastAPI application: JSON API under /api/v1, health, problem+json errors."""

from __future__ import annotations

from fastapi import FastAPI

from clinic.presentation.api import fallback, health
from clinic.presentation.api.analytics import router as analytics
from clinic.presentation.api.audit import router as audit
from clinic.presentation.api.auth import router as auth
from clinic.presentation.api.errors import document_problems, install_error_handlers
from clinic.presentation.api.hardening import BodySizeLimit, SecurityHeaders
from clinic.presentation.api.patients import imports as patient_imports
from clinic.presentation.api.patients import merges as patient_merges
from clinic.presentation.api.patients import profile as patient_profile
from clinic.presentation.api.patients import router as patients
from clinic.presentation.api.public import router as public
from clinic.presentation.api.webhooks import router as webhooks

API_PREFIX = "/api/v1"


DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024


def create_api(
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    **kwargs: object,
) -> FastAPI:
    app = FastAPI(
        title="Clinic CDP",
        version="0.1.0",
        description="Customer data platform for private medical clinics.",
        **kwargs,  # type: ignore[arg-type]
    )
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(auth.router, prefix=API_PREFIX)
    app.include_router(patient_imports.router, prefix=API_PREFIX)  # before /patients/{id}
    app.include_router(patient_merges.router, prefix=API_PREFIX)
    app.include_router(patients.router, prefix=API_PREFIX)
    app.include_router(patient_profile.router, prefix=API_PREFIX)
    app.include_router(audit.router, prefix=API_PREFIX)
    app.include_router(analytics.router, prefix=API_PREFIX)
    app.include_router(webhooks.router, prefix=API_PREFIX)
    app.include_router(public.router)  # /l/{token}: pages behind signed links
    app.include_router(fallback.router, prefix=API_PREFIX)  # last: after every real endpoint
    document_problems(app)
    uploads = {API_PREFIX + path: max_upload_bytes for path in patient_imports.UPLOAD_PATHS}
    app.add_middleware(
        BodySizeLimit, api_prefix=API_PREFIX, max_bytes=max_body_bytes, uploads=uploads
    )
    app.add_middleware(SecurityHeaders, api_prefix=API_PREFIX)
    return app
