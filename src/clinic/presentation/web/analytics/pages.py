"""The analysts' patient screen: patients pseudonymised, filtered and paged, their counts by age
band and sex, and a link to the CSV export. No name, contact, birth date or patient id is shown."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Request
from nicegui import run, ui

from clinic.application.analytics.dto import (
    AgeBandCount,
    PatientFilter,
    PseudonymisedPatient,
    PseudonymisedPatientPage,
)
from clinic.domain.shared.access import Permission
from clinic.domain.shared.age_bands import AgeBand
from clinic.presentation.web.access import guarded, require_page_permission
from clinic.presentation.web.layout import frame
from clinic.presentation.web.paging import CursorPager

PAGE_SIZE = 25
EXPORT_URL = "/api/v1/analytics/patients/export.csv"
ANY = ""
SEX_LABELS = {"F": "Ж", "M": "М"}
STATUS_LABELS = {"active": "активен", "archived": "в архиве", "merged": "объединён"}
BAND_LABELS = {band.value: band.value for band in AgeBand} | {AgeBand.UNKNOWN.value: "не указан"}
COLUMNS = [
    {"name": name, "label": label, "field": name, "align": "left"}
    for name, label in (
        ("pseudonym", "Псевдоним"),
        ("sex", "Пол"),
        ("age_band", "Возраст"),
        ("status", "Статус"),
        ("registered_on", "Дата регистрации"),
    )
]
COUNT_COLUMNS = [
    {"name": name, "label": label, "field": name, "align": "right" if name != "band" else "left"}
    for name, label in (
        ("band", "Возраст"),
        ("F", "Ж"),
        ("M", "М"),
        ("unknown", "Пол не указан"),
        ("total", "Всего"),
    )
]


def register() -> None:
    """Adds the analysts' patient screen to the UI's routes."""
    ui.page("/analytics/patients", title="Пациенты (обезличенно) — Clinic CDP")(
        guarded(pseudonymised_patients_page)
    )


@inject
async def pseudonymised_patients_page(
    request: Request, queries: Any = Depends(Provide["analytics.patients"])
) -> None:
    """Pseudonymised patients with filters and paging, counts by age band × sex, CSV export."""
    actor = require_page_permission(request, Permission.PATIENTS_READ_PSEUDONYMISED)
    with frame("Пациенты (обезличенно)"):
        screen = PseudonymisedPatients(queries, can_export=actor.can(Permission.ANALYTICS_EXPORT))
    await screen.load()


class PseudonymisedPatients:
    """Filters, the patients table a page at a time, and the age band × sex counts below it."""

    def __init__(self, queries: Any, *, can_export: bool) -> None:
        self._queries = queries
        self._latest_request = 0
        with ui.row().classes("w-full items-center gap-4"):
            self.sex = self._select("Пол", {ANY: "любой"} | SEX_LABELS, "analytics-sex")
            self.age_band = self._select("Возраст", {ANY: "любой"} | BAND_LABELS, "analytics-age")
            self.status = self._select("Статус", {ANY: "любой"} | STATUS_LABELS, "analytics-status")
            self.registered_from = self._day("Зарегистрирован с", "analytics-from")
            self.registered_to = self._day("по", "analytics-to")
            ui.space()
            self.export = ui.link("Экспорт CSV", EXPORT_URL).props("data-testid=analytics-export")
            self.export.set_visibility(can_export)
        self.table = ui.table(rows=[], columns=COLUMNS, row_key="pseudonym").classes("w-full")
        self.table.props("flat bordered dense no-data-label='Никого не найдено'")
        self.table.props("data-testid=analytics-patients")
        self.pager = CursorPager(self.load, test_id_prefix="analytics-")
        ui.label("По возрасту и полу").classes("text-lg font-semibold")
        self.counts = ui.table(rows=[], columns=COUNT_COLUMNS, row_key="band")
        self.counts.props("flat bordered dense data-testid=analytics-age-bands")

    async def load(self) -> None:
        """Shows the page at the last kept cursor, and the counts, for what the filters hold."""
        self._latest_request += 1
        request = self._latest_request
        filters = self._filters()
        page = await run.io_bound(
            self._queries.list_patients, filters, limit=PAGE_SIZE, cursor=self.pager.cursor
        )
        counts = await run.io_bound(self._queries.count_by_age_band, filters)
        if page is None or counts is None or request != self._latest_request:
            return  # shutting down, or newer filters have already replaced these
        self._show(page, counts, filters)

    def _show(
        self, page: PseudonymisedPatientPage, counts: list[AgeBandCount], filters: PatientFilter
    ) -> None:
        self.table.rows = [_row(patient) for patient in page.items]
        self.table.props["data-page"] = str(self.pager.number)
        self.pager.shown(page.next_cursor)
        self.counts.rows = _count_rows(counts)
        self.export.props["href"] = _export_url(filters)

    def _filters(self) -> PatientFilter:
        return PatientFilter(
            sex=self.sex.value or None,
            age_band=AgeBand(self.age_band.value) if self.age_band.value else None,
            status=self.status.value or None,
            registered_from=_day(self.registered_from.value),
            registered_to=_day(self.registered_to.value),
        )

    def _select(self, label: str, options: dict[str, str], test_id: str) -> ui.select:
        select = ui.select(options, value=ANY, label=label, on_change=self._filtered)
        return select.props(f"outlined dense data-testid={test_id}").classes("w-36")

    def _day(self, label: str, test_id: str) -> ui.input:
        field = ui.input(label, on_change=self._filtered)
        return field.props(f"type=date outlined dense stack-label data-testid={test_id}")

    async def _filtered(self) -> None:
        await self.pager.restart()


def _row(patient: PseudonymisedPatient) -> dict[str, str]:
    return {
        "pseudonym": patient.pseudonym,
        "sex": SEX_LABELS.get(patient.sex or "", "—"),
        "age_band": BAND_LABELS[patient.age_band.value],
        "status": STATUS_LABELS.get(patient.status, patient.status),
        "registered_on": patient.registered_on.strftime("%d.%m.%Y"),
    }


def _count_rows(counts: list[AgeBandCount]) -> list[dict[str, str | int]]:
    rows: dict[str, dict[str, str | int]] = {}
    for count in counts:
        row = rows.setdefault(count.age_band.value, {"band": BAND_LABELS[count.age_band.value]})
        row[count.sex or "unknown"] = count.count
        row["total"] = int(row.get("total", 0)) + count.count
    return list(rows.values())


def _export_url(filters: PatientFilter) -> str:
    given = {name: value for name, value in filters.described().items() if value is not None}
    return f"{EXPORT_URL}?{urlencode(given)}" if given else EXPORT_URL


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
