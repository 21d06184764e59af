"""Possible duplicates (administrators): each suggested pair side by side, to merge or to keep
apart; and the merges made, to split back (unmerge) when two people were joined by mistake."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Request
from nicegui import run, ui

from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.suggestions import SuggestionSummary
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import NotFoundError
from clinic.domain.shared.access import Permission
from clinic.domain.shared.errors import DomainError
from clinic.presentation.web.access import guarded, require_page_permission
from clinic.presentation.web.layout import frame

MISSING = "—"
SHOWN = 50
COMPARED = (
    ("full_name", "ФИО"),
    ("birth_date", "Дата рождения"),
    ("sex", "Пол"),
    ("phone", "Телефон"),
    ("email", "Email"),
    ("status", "Статус"),
)
LEVEL_LABELS = {
    "exact": "совпадает",
    "close": "похоже",
    "differs": "различается",
    "swapped": "день и месяц переставлены",
    "typo": "опечатка",
}


def register() -> None:
    ui.page("/patients/matches", title="Дубликаты — Clinic CDP")(guarded(matches_page))


@inject
async def matches_page(
    request: Request,
    suggestions: Any = Depends(Provide["patients.suggestions"]),
    merges: Any = Depends(Provide["patients.merges"]),
    queries: Any = Depends(Provide["patients.queries"]),
) -> None:
    actor = require_page_permission(request, Permission.PATIENTS_MERGE)
    with frame("Возможные дубликаты"):
        board = MatchBoard(suggestions, merges, queries, actor)
    await board.load()


class MatchBoard:
    def __init__(self, suggestions: Any, merges: Any, queries: Any, actor: Actor) -> None:
        self._suggestions = suggestions
        self._merges = merges
        self._queries = queries
        self._actor = actor
        self.message = ui.label().props("data-testid=matches-message")
        self.open_box = ui.column().classes("w-full gap-4").props("data-testid=open-matches")
        ui.label("Объединённые по предложениям").classes("text-lg font-semibold mt-6")
        self.merged_box = ui.column().classes("w-full gap-2").props("data-testid=merged-matches")

    async def load(self) -> None:
        found = await run.io_bound(self._read)
        if found is None:
            return  # the server is shutting down
        open_ones, accepted = found
        self.open_box.clear()
        with self.open_box:
            if not open_ones:
                ui.label("Предложений нет").props("data-testid=no-matches")
            for suggestion, pair in open_ones:
                self._open_card(suggestion, pair)
        self.merged_box.clear()
        with self.merged_box:
            for suggestion, pair in accepted:
                self._merged_row(suggestion, pair)

    def _read(self) -> tuple[list[Any], list[Any]]:
        def with_patients(status: str) -> list[Any]:
            found = self._suggestions.list_suggestions(self._actor, status=status, limit=SHOWN)
            return [(s, [self._patient(i) for i in s.patient_ids]) for s in found]

        return with_patients("open"), with_patients("accepted")

    def _patient(self, patient_id: UUID) -> PatientSummary | None:
        try:
            return self._queries.get_patient(patient_id)  # type: ignore[no-any-return]
        except NotFoundError:
            return None  # erased since

    def _open_card(self, suggestion: SuggestionSummary, pair: list[PatientSummary | None]) -> None:
        with ui.card().classes("w-full").props(f"data-testid=match-{suggestion.id}"):
            ui.label(f"Оценка сходства {suggestion.score:.1f}").classes("font-medium")
            columns = [{"name": "field", "label": "", "field": "field", "align": "left"}] + [
                {"name": f"p{i}", "label": f"Профиль {i + 1}", "field": f"p{i}", "align": "left"}
                for i in range(2)
            ]
            rows = [
                {"field": label} | {f"p{i}": _value(p, name) for i, p in enumerate(pair)}
                for name, label in COMPARED
            ]
            ui.table(columns=columns, rows=rows, row_key="field").props("flat dense bordered")
            agreements = ", ".join(
                f"{field}: {LEVEL_LABELS.get(str(level), str(level))}"
                for field, level, _weight in suggestion.agreements
            )
            ui.label(agreements).classes("text-sm opacity-80")
            with ui.row().classes("gap-2"):
                ui.button(
                    "Это один человек — объединить",
                    on_click=lambda s=suggestion: self._decide(self._merges.accept_suggestion, s),
                ).props("data-testid=match-accept")
                ui.button(
                    "Разные люди",
                    on_click=lambda s=suggestion: self._decide(self._merges.reject_suggestion, s),
                ).props("flat data-testid=match-reject")
                for i, patient in enumerate(pair):
                    if patient is not None:
                        ui.link(f"Профиль {i + 1}", f"/patients/{patient.id}")

    def _merged_row(self, suggestion: SuggestionSummary, pair: list[PatientSummary | None]) -> None:
        absorbed = next((p for p in pair if p is not None and p.status == "merged"), None)
        if absorbed is None:
            return
        with ui.row().classes("items-center gap-4").props(f"data-testid=merged-{absorbed.id}"):
            names = " + ".join(_value(p, "full_name") for p in pair)
            ui.label(names)
            ui.button(
                "Разъединить",
                on_click=lambda a=absorbed: self._unmerge(a.id),
            ).props("flat dense data-testid=match-unmerge")

    async def _decide(self, decide: Any, suggestion: SuggestionSummary) -> None:
        try:
            done = await run.io_bound(decide, suggestion.id, self._actor)
            position = getattr(done, "position", done)  # a merge, or the rejection's position
            await run.io_bound(self._suggestions.wait_for, position)
            await run.io_bound(self._queries.wait_for, position)  # statuses shown come from it
        except DomainError as error:
            self.message.text = str(error)
        await self.load()

    async def _unmerge(self, absorbed_id: UUID) -> None:
        try:
            merge = await run.io_bound(self._merges.unmerge_patient, absorbed_id, self._actor)
            if merge is not None:
                await run.io_bound(self._suggestions.wait_for, merge.position)
                await run.io_bound(self._queries.wait_for, merge.position)
            self.message.text = "Профили разъединены"
        except DomainError as error:
            self.message.text = str(error)
        await self.load()


def _value(patient: PatientSummary | None, name: str) -> str:
    if patient is None:
        return "удалён"
    value = getattr(patient, name, None)
    if value is None or value == "":
        return MISSING
    if name == "birth_date":
        return str(value.strftime("%d.%m.%Y"))
    return str(value)
