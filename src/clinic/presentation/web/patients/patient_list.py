"""The patient list: search as you type, filters and sort, a page at a time, how many are
found, and rows that can be ticked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from nicegui import run, ui

from clinic.application.patients.dto import PatientPage, PatientSummary
from clinic.application.patients.list_filter import PatientListFilter
from clinic.presentation.web.paging import CursorPager
from clinic.presentation.web.patients import labels
from clinic.presentation.web.patients.filters import PatientFilters
from clinic.presentation.web.patients.forms import INVALID_INPUT

PAGE_SIZE = 25
SEARCH_DEBOUNCE_MS = 300
COLUMNS = [
    {"name": name, "label": label, "field": name, "align": "left"}
    for name, label in (
        ("full_name", "ФИО"),
        ("sex", "Пол"),
        ("birth_date", "Дата рождения"),
        ("phone", "Телефон"),
        ("email", "Email"),
        ("city", "Город"),
        ("status", "Статус"),
    )
]


class PatientList:
    """The patient table, a page at a time; the cursors of earlier pages are kept to go back.
    With `selectable`, rows have tick boxes; a new page, search or filter clears them."""

    def __init__(self, queries: Any, *, selectable: bool = False) -> None:
        self._queries = queries
        self._latest_request = 0
        self._listeners: list[Callable[[], None]] = []
        self.shown_search: tuple[str, PatientListFilter] = ("", PatientListFilter())
        """The search text and filters of the rows shown."""
        self.found = 0
        """How many patients the shown search and filters find, on all pages."""
        with ui.row().classes("w-full items-center gap-4") as self.toolbar:
            self.search = (
                ui.input(placeholder="Фамилия, имя, телефон или email", on_change=self._searched)
                .props(f"outlined dense clearable debounce={SEARCH_DEBOUNCE_MS}")
                .props("data-testid=patient-search")
                .classes("grow")
            )
            self.total = ui.label().classes("text-gray-600").props("data-testid=patient-count")
        self.filters = PatientFilters(on_change=self._searched)
        self.selection_bar = ui.row().classes("w-full items-center gap-4")
        self.table = ui.table(
            rows=[],
            columns=COLUMNS,
            row_key="id",
            selection="multiple" if selectable else None,
            on_select=self._changed,
        ).classes("w-full")
        self.table.props(
            "flat bordered dense no-data-label='Никого не найдено' data-testid=patients"
        )
        self.table.add_slot(
            "body-cell-full_name",
            '<q-td :props="props"><a :href="\'/patients/\' + props.row.id" '
            'class="text-primary">{{ props.value }}</a></q-td>',
        )
        self.pager = CursorPager(self.load, test_id_prefix="")

    def on_change(self, listener: Callable[[], None]) -> None:
        """`listener` is called whenever other rows are shown or ticked."""
        self._listeners.append(listener)

    def selected_ids(self) -> list[UUID]:
        return [UUID(row["id"]) for row in self.table.selected]

    async def load(self) -> None:
        """Shows the page at the last kept cursor for what the search field and filters hold;
        a bad filter is named under its field and the rows shown stay."""
        self._latest_request += 1
        request = self._latest_request
        query = self.search.value or ""
        try:
            filters = self.filters.chosen()
        except INVALID_INPUT as error:
            self.filters.errors.show_refusal(error)
            return
        self.filters.errors.clear()
        described = _described(self.filters.given(), self.filters.order)
        page = await run.io_bound(
            self._queries.search_patients,
            query,
            filters=filters,
            sort=self.filters.order,
            limit=PAGE_SIZE,
            cursor=self.pager.cursor,
        )
        found = await run.io_bound(self._queries.count_patients, query, filters)
        if page is None or found is None or request != self._latest_request:
            return  # shutting down, or a newer search has already replaced this one
        self._show(page, (query, filters), found, described)

    async def show_patient(self, patient: PatientSummary) -> None:
        """Searches for a patient by full name, so a newly registered one is in view."""
        if self.search.value == patient.full_name:
            await self._searched()
        else:
            self.search.value = patient.full_name  # its change handler reloads the table

    def _show(
        self,
        page: PatientPage,
        search: tuple[str, PatientListFilter],
        found: int,
        described: str,
    ) -> None:
        self.table.update_rows([_row(patient) for patient in page.items])
        self.shown_search = search
        self.found = found
        # Tests wait on these attributes to know which search and page the table shows.
        self.table.props["data-query"] = search[0]
        self.table.props["data-filter"] = described
        self.table.props["data-page"] = str(self.pager.number)
        self.total.text = f"Найдено пациентов: {found:,}".replace(",", " ")
        self.pager.shown(page.next_cursor)
        self._changed()

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    async def _searched(self) -> None:
        await self.pager.restart()


def _row(patient: PatientSummary) -> dict[str, str]:
    return {
        "id": str(patient.id),
        "full_name": patient.full_name,
        "sex": labels.SEX_LABELS.get(patient.sex or "", labels.MISSING),
        "birth_date": labels.day(patient.birth_date),
        "phone": labels.phone(patient.phone),
        "email": patient.email or labels.MISSING,
        "city": patient.city or labels.MISSING,
        "status": labels.STATUS_LABELS.get(patient.status, patient.status),
    }


def _described(given: dict[str, Any], order: str) -> str:
    """`sex=F;tag=vip;sort=name`: what the filters held when the rows were fetched."""
    return ";".join(f"{name}={value}" for name, value in [*given.items(), ("sort", order)])
