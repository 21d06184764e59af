"""Patient screens (placeholder until the UI lands)."""

from __future__ import annotations

from nicegui import ui


def register() -> None:
    @ui.page("/")
    def index() -> None:
        ui.label("Пациенты")
