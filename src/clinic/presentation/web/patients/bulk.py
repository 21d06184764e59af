"""Archiving and restoring many patients at once: the rows ticked in the list, or everyone the
search and filters find. The confirmation says how many, archiving asks why, and nobody is
changed unless every one of them can be (or when the number found has changed meanwhile)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from nicegui import run, ui

from clinic.application.patients.dto import Changed
from clinic.application.patients.errors import MatchCountChangedError
from clinic.application.patients.list_filter import PatientListFilter
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import ReadModelLagError
from clinic.presentation.web.patients.forms import CommentDialog
from clinic.presentation.web.patients.labels import patients_accusative
from clinic.presentation.web.patients.patient_list import PatientList

ARCHIVE_HINT = "Обязательно: почему пациенты уходят в архив"
RESTORE_HINT = "Необязательно"


@dataclass(frozen=True, slots=True)
class Chosen:
    """The patients a bulk change is for: `ids`, or everyone `search` finds (`count` of them
    when the user looked)."""

    count: int
    ids: list[UUID] | None = None
    search: tuple[str, PatientListFilter] | None = None


class BulkStatusChange:
    """The count chosen and the bulk archive and restore buttons above the patient table."""

    def __init__(self, service: Any, queries: Any, actor: Actor, patients: PatientList) -> None:
        self._service = service
        self._queries = queries
        self._actor = actor
        self._patients = patients
        self.dialog = CommentDialog("bulk-dialog")
        with ui.row().classes("items-center gap-2"):
            self.count = ui.label().classes("text-gray-600").props("data-testid=selected-count")
            self.everyone = ui.checkbox(on_change=self.refresh)
            self.everyone.props("dense data-testid=bulk-all-found")
            self.archive = ui.button("Архивировать", icon="archive", on_click=self._ask_archive)
            self.archive.props("outline dense data-testid=bulk-archive")
            self.restore = ui.button("Восстановить", icon="unarchive", on_click=self._ask_restore)
            self.restore.props("outline dense data-testid=bulk-restore")
        patients.on_change(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Shows how many patients the buttons would change now."""
        chosen = self._chosen()
        self.count.text = f"Выбрано: {chosen.count}"
        self.everyone.text = f"все найденные ({self._patients.found})"
        for button in (self.archive, self.restore):
            button.set_enabled(chosen.count > 0)

    def _chosen(self) -> Chosen:
        if self.everyone.value:
            return Chosen(self._patients.found, search=self._patients.shown_search)
        ids = self._patients.selected_ids()
        return Chosen(len(ids), ids=ids)

    def _ask_archive(self) -> None:
        chosen = self._chosen()
        self.dialog.ask(
            f"Архивировать {patients_accusative(chosen.count)}?",
            "Архивировать",
            lambda comment: self._change(chosen, self._archiving(comment), "Архивировано"),
            hint=ARCHIVE_HINT,
        )

    def _ask_restore(self) -> None:
        chosen = self._chosen()
        self.dialog.ask(
            f"Восстановить {patients_accusative(chosen.count)}?",
            "Восстановить",
            lambda comment: self._change(chosen, self._restoring(comment), "Восстановлено"),
            hint=RESTORE_HINT,
        )

    def _archiving(self, comment: str) -> Callable[[list[UUID]], Changed]:
        return lambda ids: self._service.archive_patients(ids, comment, by=self._actor)

    def _restoring(self, comment: str) -> Callable[[list[UUID]], Changed]:
        return lambda ids: self._service.restore_patients(ids, comment or None, by=self._actor)

    async def _change(
        self, chosen: Chosen, change: Callable[[list[UUID]], Changed], done: str
    ) -> None:
        """Changes the chosen patients; once the list shows it (read-your-writes), says how
        many changed. A refusal is raised for the dialog to show."""
        try:
            changed = await run.io_bound(self._apply, chosen, change)
        except MatchCountChangedError:
            await self._patients.load()  # the new count, to look at and confirm
            raise
        if changed is None:
            return  # shutting down
        try:
            await run.io_bound(self._queries.wait_for, changed.position)
        except ReadModelLagError:
            ui.notify("Сохранено; список обновится чуть позже", type="warning")
        ui.notify(f"{done} пациентов: {changed.count}", type="positive")
        self.everyone.value = False
        await self._patients.load()

    def _apply(self, chosen: Chosen, change: Callable[[list[UUID]], Changed]) -> Changed:
        ids = chosen.ids
        if chosen.search is not None:
            query, filters = chosen.search
            ids = self._queries.select_patients(query, filters, expected_count=chosen.count)
        return change(ids or [])
