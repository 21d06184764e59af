"""Patient screens: the patient list (search, registration, bulk archive and restore) and the
unified patient profile. Each page checks the user's permission, then builds its screen."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from nicegui import run, ui

from clinic.application.patients.profile import PatientProfile
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import NotFoundError
from clinic.domain.shared.access import Permission
from clinic.presentation.web.access import guarded, page_actor, require_page_permission
from clinic.presentation.web.layout import frame
from clinic.presentation.web.patients.bulk import BulkStatusChange
from clinic.presentation.web.patients.patient_list import PatientList
from clinic.presentation.web.patients.profile import ProfileScreen
from clinic.presentation.web.patients.registration import RegistrationDialog

PSEUDONYMISED_HOME = "/analytics/patients"


def register() -> None:
    """Adds the patient screens to the UI's routes."""
    ui.page("/", title="Пациенты — Clinic CDP")(guarded(patient_list_page))
    ui.page("/patients/{patient_id}", title="Пациент — Clinic CDP")(guarded(patient_profile_page))


@inject
async def patient_list_page(
    request: Request,
    queries: Any = Depends(Provide["patients.queries"]),
    service: Any = Depends(Provide["patients.service"]),
) -> Response | None:
    """The patient list with search as you type, filters and paging; who may change patients
    also registers them and archives or restores the rows they tick (or everyone found). Who
    may see only pseudonymised data (analysts) is sent to their own patient view."""
    actor = page_actor(request)
    if not actor.can(Permission.PATIENTS_READ) and actor.can(
        Permission.PATIENTS_READ_PSEUDONYMISED
    ):
        return RedirectResponse(PSEUDONYMISED_HOME, status_code=303)
    require_page_permission(request, Permission.PATIENTS_READ)
    can_write = actor.can(Permission.PATIENTS_WRITE)
    with frame("Пациенты"):
        patients = PatientList(queries, selectable=can_write)
        if can_write:
            registration = RegistrationDialog(
                service, queries, actor, on_registered=patients.show_patient
            )
            with patients.toolbar:
                ui.button("Новый пациент", icon="person_add", on_click=registration.open).props(
                    "data-testid=new-patient"
                )
            with patients.selection_bar:
                BulkStatusChange(service, queries, actor, patients)
    await patients.load()
    return None


@inject
async def patient_profile_page(
    request: Request,
    patient_id: str,
    profiles: Any = Depends(Provide["patients.profiles"]),
    queries: Any = Depends(Provide["patients.queries"]),
    service: Any = Depends(Provide["patients.service"]),
) -> None:
    """One patient's unified profile (every view is recorded in the audit trail), or a
    not-found message."""
    actor = require_page_permission(request, Permission.PATIENTS_READ)
    profile = await _find_profile(profiles, patient_id, actor)
    if profile is None:
        ui.context.client.status_code = 404
        with frame("Пациент не найден"):
            ui.label("Такого пациента нет.").props("data-testid=patient-not-found")
            ui.link("← К списку пациентов", "/").classes("text-primary")
        return
    with frame("Пациент") as title:
        ui.link("← К списку пациентов", "/").classes("text-primary")
        ProfileScreen(
            profile, title=title, profiles=profiles, queries=queries, service=service, actor=actor
        )


async def _find_profile(profiles: Any, patient_id: str, viewer: Actor) -> PatientProfile | None:
    try:
        found: PatientProfile | None = await run.io_bound(
            profiles.profile, UUID(patient_id), viewer
        )
    except (ValueError, NotFoundError):
        return None
    return found
