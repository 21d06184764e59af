"""The patient's records in other systems (the source and the id it has there)."""

from __future__ import annotations

from nicegui import ui

from clinic.application.patients.profile import PatientProfile
from clinic.presentation.web.patients import labels
from clinic.presentation.web.patients.sections import ProfileChanges

COLUMNS = [
    {"name": "source", "label": "Источник", "field": "source", "align": "left"},
    {"name": "external_id", "label": "Код в источнике", "field": "external_id", "align": "left"},
]


class SourceRecordsSection:
    def __init__(self, changes: ProfileChanges) -> None:
        self.table = ui.table(rows=[], columns=COLUMNS, row_key="key").classes("w-full")
        self.table.props(
            "flat bordered dense no-data-label='Записей в других системах нет' "
            "data-testid=source-records"
        )

    def show(self, profile: PatientProfile) -> None:
        self.table.rows = [
            {
                "key": f"{record.source}:{record.external_id}",
                "source": labels.source(record.source),
                "external_id": record.external_id,
            }
            for record in profile.source_records
        ]
