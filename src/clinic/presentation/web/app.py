"""Mounts the NiceGUI user interface on the FastAPI app, behind the sign-in."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from nicegui import ui

from clinic.presentation.web.access import SessionGuard
from clinic.presentation.web.analytics import pages as analytics_pages
from clinic.presentation.web.audit import pages as audit_pages
from clinic.presentation.web.imports import pages as import_pages
from clinic.presentation.web.matches import pages as match_pages
from clinic.presentation.web.patients import pages as patient_pages
from clinic.presentation.web.sign_in import sign_in_router


def mount_ui(
    app: FastAPI, storage_secret: str, authenticator: Any, secure_cookies: bool = False
) -> None:
    """Adds the sign-in, every screen, and serves the NiceGUI UI from `app`."""
    app.include_router(sign_in_router(authenticator, secure_cookies))
    import_pages.register()  # before /patients/{patient_id}
    match_pages.register()
    patient_pages.register()
    audit_pages.register()
    analytics_pages.register()
    ui.run_with(app, title="Clinic CDP", storage_secret=storage_secret, show_welcome_message=False)
    app.add_middleware(SessionGuard, authenticator=authenticator)
