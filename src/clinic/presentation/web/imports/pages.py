"""The patient import wizard (administrators): upload, map columns, dry run, import.

1. A CSV or XLSX file and the name of the system it comes from.
2. Which column of the file feeds which profile field (recognised headers pre-selected).
3. A dry run by a worker: what would happen, and every rejected row with its reason.
4. The import itself, with a progress bar, its counts and the rejected rows to download.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Request
from nicegui import events, run, ui

from clinic.application.patients.import_columns import (
    TEMPLATE_COLUMNS,
    ImportFileError,
    suggest_mapping,
)
from clinic.application.patients.import_records import ImportSummary
from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Permission
from clinic.domain.shared.errors import InvalidFieldError, InvalidInputError
from clinic.presentation.web.access import guarded, require_page_permission
from clinic.presentation.web.layout import frame

POLL_SECONDS = 0.5
SHOWN_PROBLEMS = 50
SKIP = ""
COLUMN_LABELS = {
    "external_id": "Код в системе-источнике",
    "surname": "Фамилия",
    "given_name": "Имя",
    "patronymic": "Отчество",
    "sex": "Пол",
    "birth_date": "Дата рождения",
    "phone": "Телефон",
    "email": "Email",
    "city": "Город",
    "address": "Адрес",
    "postcode": "Индекс",
    "telegram_chat_id": "Telegram chat id",
    "whatsapp": "WhatsApp",
    "consent_sms": "Согласие на SMS",
    "consent_email": "Согласие на email",
    "consent_messengers": "Согласие на мессенджеры",
    "tags": "Теги (через ;)",
}
COUNT_LABELS = {
    "read": "Прочитано строк",
    "created": "Новых профилей",
    "updated": "Обновлено",
    "unchanged": "Без изменений",
    "merged": "Объединено с существующими",
    "suggested": "Предложено проверить",
    "rejected": "Отклонено строк",
}
STATUS_LABELS = {
    "queued": "в очереди",
    "running": "выполняется",
    "finished": "завершён",
    "failed": "ошибка",
}


def register() -> None:
    ui.page("/patients/import", title="Импорт пациентов — Clinic CDP")(guarded(import_page))


@inject
async def import_page(
    request: Request,
    imports: Any = Depends(Provide["patients.imports"]),
    files: Any = Depends(Provide["patients.import_files"]),
) -> None:
    """The import wizard, and the latest imports under it."""
    actor = require_page_permission(request, Permission.PATIENTS_MERGE)
    with frame("Импорт пациентов"):
        ImportWizard(imports, files, actor)
        await RecentImports(imports, actor).load()


class ImportWizard:
    def __init__(self, imports: Any, files: Any, actor: Actor) -> None:
        self._imports = imports
        self._files = files
        self._actor = actor
        self._file: Path | None = None
        self._file_name: str | None = None
        self._selects: dict[str, ui.select] = {}
        self._dry_run: ImportSummary | None = None
        with ui.stepper().props("vertical flat").classes("w-full") as self.stepper:
            self._file_step()
            self._mapping_step()
            self._check_step()
            self._result_step()

    # --- 1. the file ------------------------------------------------------------------------

    def _file_step(self) -> None:
        with ui.step("Файл"):
            ui.label("CSV (UTF-8 или Windows-1251, разделитель ; или ,) или XLSX.")
            with ui.row().classes("items-center gap-4"):
                ui.link("Скачать шаблон CSV", "/api/v1/patients/import/template?format=csv")
                ui.link("XLSX", "/api/v1/patients/import/template?format=xlsx")
            self.source = ui.input("Источник (латиницей, например mis)", value="mis").props(
                "outlined dense data-testid=import-source"
            )
            self.file_error = (
                ui.label().classes("text-negative").props("data-testid=import-file-error")
            )
            ui.upload(label="Файл", auto_upload=True, on_upload=self._uploaded).props(
                "accept=.csv,.xlsx,.txt data-testid=import-upload"
            ).classes("w-96")

    async def _uploaded(self, event: events.UploadEventArguments) -> None:
        directory = Path(tempfile.mkdtemp(prefix="clinic-import-"))
        path = directory / "upload"
        await event.file.save(path)
        try:
            headers = await run.io_bound(self._headers, path)
        except ImportFileError as error:
            self.file_error.text = f"Файл не читается: {error}"
            return
        self.file_error.text = ""
        self._file, self._file_name = path, event.file.name
        self._show_mapping(headers or [])
        self.stepper.next()

    def _headers(self, path: Path) -> list[str]:
        with path.open("rb") as file:
            return list(self._files.headers(file))

    # --- 2. the columns ---------------------------------------------------------------------

    def _mapping_step(self) -> None:
        with ui.step("Колонки"):
            ui.label("Какая колонка файла заполняет какое поле профиля.")
            self.mapping_box = ui.column().classes("gap-1")
            self.mapping_error = (
                ui.label().classes("text-negative").props("data-testid=import-mapping-error")
            )
            with ui.stepper_navigation():
                ui.button("Проверить файл", on_click=self._check).props("data-testid=import-check")
                ui.button("Назад", on_click=self.stepper.previous).props("flat")

    def _show_mapping(self, headers: list[str]) -> None:
        suggested = suggest_mapping(headers)
        options = {SKIP: "— не импортировать —"} | {
            column: f"{COLUMN_LABELS[column]} ({column})" for column in TEMPLATE_COLUMNS
        }
        self.mapping_box.clear()
        self._selects = {}
        with self.mapping_box:
            for index, header in enumerate(headers):
                with ui.row().classes("items-center gap-4"):
                    ui.label(header).classes("w-64 font-medium")
                    self._selects[header] = (
                        ui.select(options, value=suggested.get(header, SKIP))
                        .props(f"outlined dense data-testid=import-map-{index}")
                        .classes("w-80")
                    )

    def _mapping(self) -> dict[str, str]:
        return {h: s.value for h, s in self._selects.items() if s.value}

    async def _check(self) -> None:
        self.mapping_error.text = ""
        try:
            summary = await run.io_bound(self._request, dry_run=True)
        except (InvalidInputError, InvalidFieldError, ImportFileError) as error:
            self.mapping_error.text = _message(error)
            return
        if summary is None:
            return  # the server is shutting down
        self.stepper.next()
        self.check_status.text = "Проверка выполняется…"
        checked = await self._finished(summary.id, self.check_progress)
        if checked is None:
            return
        self._dry_run = checked
        self._show_counts(self.check_counts, checked)
        self.check_status.text = _status_text(checked)
        await self._show_problems(checked)
        if checked.status == "finished":
            self.run_button.enable()

    def _request(self, *, dry_run: bool) -> ImportSummary:
        if self._file is None:
            raise InvalidFieldError("file", "upload a file first", "required")
        with self._file.open("rb") as file:
            return self._imports.request(  # type: ignore[no-any-return]
                file,
                source=self.source.value or "",
                by=self._actor,
                file_name=self._file_name,
                mapping=self._mapping(),
                dry_run=dry_run,
            )

    # --- 3. the dry run ---------------------------------------------------------------------

    def _check_step(self) -> None:
        with ui.step("Проверка"):
            self.check_status = ui.label().props("data-testid=import-check-status")
            self.check_progress = ui.linear_progress(value=0, show_value=False)
            self.check_counts = ui.column().props("data-testid=import-check-counts")
            self.problems = ui.table(
                rows=[],
                columns=[
                    {"name": "row", "label": "Строка", "field": "row", "align": "left"},
                    {"name": "column", "label": "Колонка", "field": "column", "align": "left"},
                    {"name": "reason", "label": "Причина", "field": "reason", "align": "left"},
                ],
                row_key="key",
            ).props("flat bordered dense data-testid=import-problems no-data-label='Ошибок нет'")
            self.problems_link = ui.link("Скачать все отклонённые строки (CSV)", "#").props(
                "data-testid=import-check-rejected"
            )
            with ui.stepper_navigation():
                self.run_button = ui.button("Импортировать", on_click=self._run).props(
                    "data-testid=import-run"
                )
                self.run_button.disable()
                ui.button("Назад", on_click=self.stepper.previous).props("flat")

    async def _show_problems(self, summary: ImportSummary) -> None:
        problems = await run.io_bound(self._first_problems, summary.id) or []
        self.problems.rows = [
            {"key": i, "row": p.row, "column": p.column, "reason": p.reason}
            for i, p in enumerate(problems)
        ]
        self.problems_link.props(f"href=/api/v1/patients/imports/{summary.id}/rejected.csv")

    def _first_problems(self, import_id: UUID) -> list[Any]:
        problems = self._imports.rejected_rows(import_id, self._actor)
        return [p for _, p in zip(range(SHOWN_PROBLEMS), problems, strict=False)]

    # --- 4. the import ----------------------------------------------------------------------

    def _result_step(self) -> None:
        with ui.step("Импорт"):
            self.run_status = ui.label().props("data-testid=import-run-status")
            self.run_progress = ui.linear_progress(value=0, show_value=False).props(
                "data-testid=import-progress"
            )
            self.run_counts = ui.column().props("data-testid=import-run-counts")
            self.run_rejected = ui.link("Скачать отклонённые строки (CSV)", "#").props(
                "data-testid=import-run-rejected"
            )
            ui.link("К списку пациентов", "/")

    async def _run(self) -> None:
        if self._dry_run is None:
            return
        self.run_button.disable()
        try:
            summary = await run.io_bound(self._imports.confirm, self._dry_run.id, self._actor)
        except InvalidFieldError as error:  # the checked file was kept too long
            self.check_status.text = _message(error)
            ui.notify(EXPIRED_CHECK, type="warning")
            return
        if summary is None:
            return
        self.stepper.next()
        self.run_status.text = "Импорт выполняется…"
        done = await self._finished(summary.id, self.run_progress)
        if done is None:
            return
        self._show_counts(self.run_counts, done)
        self.run_status.text = _status_text(done)
        self.run_rejected.props(f"href=/api/v1/patients/imports/{done.id}/rejected.csv")
        if self._file is not None:
            self._file.unlink(missing_ok=True)

    async def _finished(self, import_id: UUID, bar: ui.linear_progress) -> ImportSummary | None:
        """Polls the import until it ends, moving `bar` by rows read (of the dry run's total);
        None when the server shuts down meanwhile."""
        total = self._dry_run.counts["read"] if self._dry_run else 0
        while True:
            summary: ImportSummary | None = await run.io_bound(
                self._imports.get, import_id, self._actor
            )
            if summary is None:
                return None
            if summary.status in ("finished", "failed"):
                bar.value = 1.0
                return summary
            if total:
                bar.value = min(summary.counts["read"] / total, 0.99)
            await asyncio.sleep(POLL_SECONDS)

    @staticmethod
    def _show_counts(box: ui.column, summary: ImportSummary) -> None:
        box.clear()
        with box:
            for name, label in COUNT_LABELS.items():
                ui.label(f"{label}: {summary.counts[name]}").props(f"data-testid=count-{name}")


class RecentImports:
    def __init__(self, imports: Any, actor: Actor) -> None:
        self._imports = imports
        self._actor = actor
        ui.label("Последние импорты").classes("text-lg font-semibold mt-6")
        self.table = ui.table(
            rows=[],
            columns=[
                {"name": n, "label": label, "field": n, "align": "left"}
                for n, label in (
                    ("requested_at", "Когда"),
                    ("requested_by", "Кто"),
                    ("source", "Источник"),
                    ("kind", "Вид"),
                    ("status", "Статус"),
                    ("counts", "Итог"),
                )
            ],
            row_key="id",
        ).props("flat bordered dense data-testid=recent-imports no-data-label='Импортов не было'")

    async def load(self) -> None:
        found = await run.io_bound(self._imports.list_imports, self._actor, 20)
        self.table.rows = [_recent_row(s) for s in found or []]


def _recent_row(summary: ImportSummary) -> dict[str, str]:
    counts = summary.counts
    return {
        "id": str(summary.id),
        "requested_at": summary.requested_at.strftime("%d.%m.%Y %H:%M"),
        "requested_by": summary.requested_by,
        "source": summary.source,
        "kind": "проверка" if summary.dry_run else "импорт",
        "status": STATUS_LABELS.get(summary.status, summary.status),
        "counts": (
            f"прочитано {counts['read']}, новых {counts['created']}, "
            f"объединено {counts['merged']}, отклонено {counts['rejected']}"
        ),
    }


def _status_text(summary: ImportSummary) -> str:
    if summary.status == "failed":
        return f"Ошибка: {summary.reason}"
    return "Проверка завершена: ничего не записано" if summary.dry_run else "Импорт завершён"


EXPIRED_CHECK = "Проверенный файл больше не хранится: начните импорт заново"


def _message(error: Exception) -> str:
    if isinstance(error, InvalidInputError):
        return "; ".join(f"{field}: {message}" for field, message in error.errors.items())
    return str(error)
