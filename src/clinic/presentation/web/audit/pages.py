"""The audit trail screen (admins): who did what and when, newest first, filtered and paged."""

from __future__ import annotations

from typing import Any

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Request
from nicegui import run, ui

from clinic.application.audit.dto import AuditPage, AuditRecord
from clinic.domain.shared.access import Permission
from clinic.presentation.web.access import guarded, require_page_permission
from clinic.presentation.web.layout import frame
from clinic.presentation.web.paging import CursorPager

PAGE_SIZE = 50
FILTER_DEBOUNCE_MS = 400
MISSING = "—"
COLUMNS = [
    {"name": name, "label": label, "field": name, "align": "left"}
    for name, label in (
        ("at", "Время (UTC)"),
        ("actor", "Пользователь"),
        ("role", "Роль"),
        ("action", "Действие"),
        ("subject", "Объект"),
        ("details", "Подробности"),
    )
]


def register() -> None:
    """Adds the audit trail screen to the UI's routes."""
    ui.page("/audit", title="Журнал действий — Clinic CDP")(guarded(audit_trail_page))


@inject
async def audit_trail_page(
    request: Request, queries: Any = Depends(Provide["audit.queries"])
) -> None:
    """The audit trail, newest first, filtered by user and action, a page at a time."""
    require_page_permission(request, Permission.AUDIT_READ)
    with frame("Журнал действий"):
        trail = AuditTrailTable(queries)
    await trail.load()


class AuditTrailTable:
    """The entries table, a page at a time; the cursors of earlier pages are kept to go back."""

    def __init__(self, queries: Any) -> None:
        self._queries = queries
        self._latest_request = 0
        with ui.row().classes("w-full items-center gap-4"):
            self.actor = self._filter("Пользователь", "audit-actor")
            self.action = self._filter("Действие, например user.added", "audit-action")
        self.table = ui.table(rows=[], columns=COLUMNS, row_key="id").classes("w-full")
        self.table.props("flat bordered dense no-data-label='Записей нет' data-testid=audit")
        self.pager = CursorPager(self.load, test_id_prefix="audit-")

    async def load(self) -> None:
        """Shows the page at the last kept cursor for what the filters hold."""
        self._latest_request += 1
        request = self._latest_request
        page = await run.io_bound(
            self._queries.search,
            actor=self.actor.value or None,
            action=self.action.value or None,
            limit=PAGE_SIZE,
            cursor=self.pager.cursor,
        )
        if page is None or request != self._latest_request:
            return  # shutting down, or a newer filter has already replaced this one
        self._show(page)

    def _filter(self, label: str, test_id: str) -> ui.input:
        field = ui.input(label, on_change=self._filtered).classes("grow")
        field.props(f"outlined dense clearable debounce={FILTER_DEBOUNCE_MS} data-testid={test_id}")
        return field

    def _show(self, page: AuditPage) -> None:
        self.table.rows = [_row(record) for record in page.items]
        self.table.props["data-page"] = str(self.pager.number)
        self.pager.shown(page.next_cursor)

    async def _filtered(self) -> None:
        await self.pager.restart()


def _row(record: AuditRecord) -> dict[str, str]:
    subject = (
        f"{record.subject_type}: {record.subject_id or MISSING}" if record.subject_type else MISSING
    )
    details = ", ".join(f"{key}={value}" for key, value in record.details.items())
    return {
        "id": str(record.id),
        "at": record.at.strftime("%d.%m.%Y %H:%M:%S"),
        "actor": record.actor,
        "role": record.role or MISSING,
        "action": record.action,
        "subject": subject,
        "details": details or MISSING,
    }
