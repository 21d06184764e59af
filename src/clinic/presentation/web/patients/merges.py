"""The profile's "Объединения" tab: which profile this one was merged into, which were merged
into it, and where to decide the suggested duplicates."""

from __future__ import annotations

from nicegui import ui

from clinic.application.patients.profile import PatientProfile
from clinic.presentation.web.patients.sections import ProfileChanges

MATCHES_SCREEN = "/patients/matches"


class MergesSection:
    def __init__(self, changes: ProfileChanges) -> None:
        self._box = ui.column().classes("gap-2").props("data-testid=profile-merges")

    def show(self, profile: PatientProfile) -> None:
        self._box.clear()
        with self._box:
            if profile.merged_into is not None:
                with ui.row().classes("items-center gap-2"):
                    ui.label("Профиль объединён с")
                    ui.link(
                        profile.merged_into.full_name or "удалённым профилем",
                        f"/patients/{profile.merged_into.id}",
                    ).props("data-testid=merged-into")
            if profile.merged:
                ui.label("В этот профиль объединены:")
                for reference in profile.merged:
                    ui.link(reference.full_name or "—", f"/patients/{reference.id}").props(
                        "data-testid=merged-profile"
                    )
            if profile.merged_into is None and not profile.merged:
                ui.label("Объединений не было")
            ui.link("Возможные дубликаты: проверить и разъединить", MATCHES_SCREEN)
