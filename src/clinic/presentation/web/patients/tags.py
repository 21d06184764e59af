"""Tags of the profile: shown as chips, added by typing, removed from the chip."""

from __future__ import annotations

from nicegui import ui

from clinic.application.patients.profile import PatientProfile
from clinic.presentation.web.patients.forms import REFUSALS, FieldErrors, apply_or_notify, busy
from clinic.presentation.web.patients.sections import ProfileChanges


class TagsSection:
    def __init__(self, changes: ProfileChanges) -> None:
        self._changes = changes
        self._profile: PatientProfile | None = None
        self.chips = ui.row().classes("gap-1 min-h-8").props("data-testid=tags")
        with ui.row().classes("w-full items-start gap-2") as self.form:
            self.tag = ui.input("Новая метка", placeholder="vip").classes("w-64")
            self.tag.props("outlined dense stack-label data-testid=tag-input")
            self.tag.on("keydown.enter", self._add)
            self.add = ui.button("Добавить", icon="sell", on_click=self._add)
            self.add.props("data-testid=tag-add")
        self.errors = FieldErrors({"tag": self.tag}, "tag-errors")

    def show(self, profile: PatientProfile) -> None:
        self._profile = profile
        allowed = self._changes.allowed
        self.chips.clear()
        with self.chips:
            if not profile.tags:
                ui.label("Меток нет").classes("text-gray-500")
            for tag in profile.tags:
                ui.chip(
                    tag,
                    removable=allowed,
                    on_value_change=lambda event, tag=tag: self._remove(tag, shown=event.value),
                ).props("outline")
        self.form.set_visibility(allowed)

    async def _add(self) -> None:
        if self._profile is None:
            return
        patient_id, tag = self._profile.id, self.tag.value or ""
        with busy(self.add) as free:
            if not free:
                return
            try:
                await self._changes.apply(lambda s, a: s.tag_patient(patient_id, tag, by=a))
            except REFUSALS as error:
                self.errors.show_refusal(error)
                return
        self.errors.clear()
        self.tag.value = ""

    async def _remove(self, tag: str, *, shown: bool) -> None:
        if shown or self._profile is None:
            return
        profile = self._profile
        removed = await apply_or_notify(
            self._changes, lambda s, a: s.untag_patient(profile.id, tag, by=a)
        )
        if not removed:
            self.show(profile)  # the chip back: the tag was not removed
