"""Contact points of the profile, each with its source; adding one (any common phone form is
normalised) and removing one."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from nicegui.events import GenericEventArguments

from clinic.application.patients.commands import AddContactPoint, RemoveContactPoint
from clinic.application.patients.profile import PatientProfile
from clinic.presentation.web.patients import labels
from clinic.presentation.web.patients.forms import (
    REFUSALS,
    FieldErrors,
    action_column,
    apply_or_notify,
    busy,
)
from clinic.presentation.web.patients.sections import ProfileChanges

COLUMNS = [
    {"name": name, "label": label, "field": name, "align": "left"}
    for name, label in (
        ("kind", "Вид"),
        ("value", "Контакт"),
        ("source", "Источник"),
        ("actions", ""),
    )
]
VALUE_HINTS = {
    "phone": "8 (916) 123-45-67",
    "email": "name@example.ru",
    "telegram": "chat id: 123456789",
    "whatsapp": "+7 916 123-45-67",
}


class ContactPointsSection:
    def __init__(self, changes: ProfileChanges) -> None:
        self._changes = changes
        self._patient_id: Any = None
        ui.label("Контакты").classes("text-lg font-semibold")
        self.table = ui.table(rows=[], columns=COLUMNS, row_key="key").classes("w-full")
        self.table.props("flat bordered dense no-data-label='Контактов нет' data-testid=contacts")
        self.table.add_slot("body-cell-actions", action_column("remove", "delete", "Удалить"))
        self.table.on("remove", self._remove)
        with ui.row().classes("w-full items-start gap-2") as self.form:
            self.kind = ui.select(
                labels.KIND_LABELS, value="phone", label="Вид", on_change=self._kind_changed
            )
            self.kind.classes("w-36").props("outlined dense data-testid=contact-kind")
            self.value = ui.input("Контакт", placeholder=VALUE_HINTS["phone"]).classes("grow")
            self.value.props("outlined dense stack-label data-testid=contact-value")
            self.value.on("keydown.enter", self._add)
            self.add = ui.button("Добавить", icon="add", on_click=self._add)
            self.add.props("data-testid=contact-add")
        self.errors = FieldErrors({"kind": self.kind, "value": self.value}, "contact-errors")

    def show(self, profile: PatientProfile) -> None:
        self._patient_id = profile.id
        allowed = self._changes.allowed
        self.table.rows = [
            {
                "key": f"{point.kind}:{point.value}",
                "kind_code": point.kind,
                "stored": point.value,
                "kind": labels.KIND_LABELS.get(point.kind, point.kind),
                "value": labels.contact(point.kind, point.value),
                "source": labels.source(point.source),
                "actionable": allowed,
            }
            for point in profile.contact_points
        ]
        self.form.set_visibility(allowed)

    def _kind_changed(self) -> None:
        self.value.props["placeholder"] = VALUE_HINTS.get(self.kind.value, "")

    async def _add(self) -> None:
        command = AddContactPoint(self._patient_id, self.kind.value or "", self.value.value or "")
        with busy(self.add) as free:
            if not free:
                return
            try:
                await self._changes.apply(lambda s, a: s.add_contact_point(command, by=a))
            except REFUSALS as error:
                self.errors.show_refusal(error)
                return
        self.errors.clear()
        self.value.value = ""

    async def _remove(self, event: GenericEventArguments) -> None:
        row = event.args
        command = RemoveContactPoint(self._patient_id, row["kind_code"], row["stored"])
        await apply_or_notify(self._changes, lambda s, a: s.remove_contact_point(command, by=a))
