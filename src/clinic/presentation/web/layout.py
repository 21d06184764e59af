"""The frame every screen shares: a header with the product name and the main navigation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

PRIMARY_COLOUR = "#0f766e"
NAVIGATION = {"Пациенты": "/"}


@contextmanager
def frame(title: str) -> Iterator[None]:
    """Header and navigation, then the screen's content in a centred column under `title`."""
    ui.colors(primary=PRIMARY_COLOUR)
    with ui.header().classes("items-center gap-6 px-6 py-3"):
        ui.link("Clinic CDP", "/").classes("text-lg font-semibold text-white no-underline")
        for label, target in NAVIGATION.items():
            ui.link(label, target).classes("text-white no-underline opacity-90")
    with ui.column().classes("w-full max-w-6xl mx-auto p-6 gap-4"):
        ui.label(title).classes("text-2xl font-semibold")
        yield
