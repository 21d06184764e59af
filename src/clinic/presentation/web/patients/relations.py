"""The representative (a parent or guardian who receives the patient's messages) and the
dependants the patient represents, each a link to their own profile."""

from __future__ import annotations

from nicegui import ui

from clinic.application.patients.profile import PatientProfile, PatientReference
from clinic.presentation.web.patients.sections import ProfileChanges

ERASED = "пациент (данные удалены)"


class RelationsSection:
    def __init__(self, changes: ProfileChanges) -> None:
        ui.label("Представитель").classes("text-lg font-semibold")
        self.representative = ui.column().props("data-testid=representative")
        ui.label("Представляет").classes("text-lg font-semibold mt-4")
        self.dependants = ui.column().props("data-testid=dependants")

    def show(self, profile: PatientProfile) -> None:
        self.representative.clear()
        with self.representative:
            if profile.representative is None:
                ui.label("Не указан").classes("text-gray-500")
            else:
                _link(profile.representative)
        self.dependants.clear()
        with self.dependants:
            if not profile.dependants:
                ui.label("Никого").classes("text-gray-500")
            for dependant in profile.dependants:
                _link(dependant)


def _link(patient: PatientReference) -> None:
    ui.link(patient.full_name or ERASED, f"/patients/{patient.id}").classes("text-primary")
