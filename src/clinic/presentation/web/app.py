"""Mounts the NiceGUI user interface on the FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI
from nicegui import ui

from clinic.presentation.web.patients import pages as patient_pages


def mount_ui(app: FastAPI, storage_secret: str) -> None:
    """Adds every screen and serves the NiceGUI UI from `app`."""
    patient_pages.register()
    ui.run_with(app, title="Clinic CDP", storage_secret=storage_secret, show_welcome_message=False)
