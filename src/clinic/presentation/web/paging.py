"""Back and next buttons over keyset-paged tables: the cursors of earlier pages are kept so
"Назад" returns to exactly the page seen before."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui


class CursorPager:
    def __init__(self, load: Callable[[], Awaitable[None]], test_id_prefix: str = "") -> None:
        """`load` shows the page at `cursor`; test ids are `{prefix}previous-page`, …"""
        self._load = load
        self._cursors: list[str | None] = [None]
        self._next_cursor: str | None = None
        with ui.row().classes("w-full items-center justify-end gap-2"):
            self.previous = ui.button("Назад", icon="chevron_left", on_click=self._go_back)
            self.page_number = ui.label().props(f"data-testid={test_id_prefix}page-number")
            self.next = ui.button("Далее", on_click=self._go_forward)
        self.previous.props(f"flat data-testid={test_id_prefix}previous-page")
        self.next.props(f"flat icon-right=chevron_right data-testid={test_id_prefix}next-page")

    @property
    def cursor(self) -> str | None:
        """The cursor of the page to show."""
        return self._cursors[-1]

    @property
    def number(self) -> int:
        return len(self._cursors)

    def shown(self, next_cursor: str | None) -> None:
        """A page was shown; `next_cursor` is None on the last one."""
        self._next_cursor = next_cursor
        self.page_number.text = f"Страница {self.number}"
        self.previous.set_enabled(self.number > 1)
        self.next.set_enabled(next_cursor is not None)

    async def restart(self) -> None:
        """Back to the first page (the filters changed)."""
        self._cursors = [None]
        await self._load()

    async def _go_forward(self) -> None:
        if self._next_cursor is not None:
            self._cursors.append(self._next_cursor)
            await self._load()

    async def _go_back(self) -> None:
        if len(self._cursors) > 1:
            self._cursors.pop()
            await self._load()
