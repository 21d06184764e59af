"""The profile's history of changes, newest first: when, who, and what changed. Personal
values are never shown from past events, only the names of the fields that changed."""

from __future__ import annotations

from nicegui import ui

from clinic.application.patients.profile import PatientProfile, ProfileChange
from clinic.presentation.web.patients import labels
from clinic.presentation.web.patients.sections import ProfileChanges

COLUMNS = [
    {"name": name, "label": label, "field": name, "align": "left", "classes": classes}
    for name, label, classes in (
        ("at", "Когда", "whitespace-nowrap"),
        ("by", "Кто", "whitespace-nowrap"),
        ("change", "Что", ""),
        ("details", "Подробности", ""),
    )
]


class HistorySection:
    def __init__(self, changes: ProfileChanges) -> None:
        self.table = ui.table(rows=[], columns=COLUMNS, row_key="key").classes("w-full")
        self.table.props("flat bordered dense wrap-cells data-testid=history")

    def show(self, profile: PatientProfile) -> None:
        changes = reversed(list(enumerate(profile.history)))
        self.table.rows = [_row(number, change) for number, change in changes]


def _row(number: int, change: ProfileChange) -> dict[str, str | int]:
    return {
        "key": number,
        "at": labels.moment(change.at),
        "by": change.by or labels.MISSING,
        "change": labels.CHANGE_LABELS.get(change.change, change.change),
        "details": labels.change_details(change),
    }
