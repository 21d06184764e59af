"""The frame every screen shares: a header with the product name, the navigation the user's
role allows, who is signed in, and the sign-out button."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from clinic.domain.shared.access import Permission
from clinic.presentation.web.access import current_actor, sign_out_token

PRIMARY_COLOUR = "#0f766e"
NAVIGATION = (
    ("Пациенты", "/", Permission.PATIENTS_READ),
    ("Импорт", "/patients/import", Permission.PATIENTS_MERGE),
    ("Дубликаты", "/patients/matches", Permission.PATIENTS_MERGE),
    ("Аналитика", "/analytics/patients", Permission.PATIENTS_READ_PSEUDONYMISED),
    ("Журнал действий", "/audit", Permission.AUDIT_READ),
)
ROLE_LABELS = {
    "admin": "администратор",
    "marketer": "маркетолог",
    "analyst": "аналитик",
    "call_centre": "колл-центр",
}


@contextmanager
def frame(title: str) -> Iterator[ui.label]:
    """Header and navigation, then the screen's content in a centred column under `title`
    (the label is yielded, for a screen whose title changes)."""
    actor = current_actor()
    ui.colors(primary=PRIMARY_COLOUR)
    with ui.header().classes("items-center gap-6 px-6 py-3"):
        ui.link("Clinic CDP", "/").classes("text-lg font-semibold text-white no-underline")
        for label, target, permission in NAVIGATION:
            if actor.can(permission):
                ui.link(label, target).classes("text-white no-underline opacity-90")
        ui.space()
        role = ROLE_LABELS.get(str(actor.role), str(actor.role))
        ui.label(f"{actor.username} · {role}").classes("text-white opacity-90").props(
            "data-testid=signed-in-user"
        )
        with ui.element("form").props('method=post action="/logout"'):
            ui.element("input").props(
                f'type=hidden name=csrf_token value="{sign_out_token(ui.context.client.request)}"'
            )
            ui.button("Выйти", icon="logout").props(
                "type=submit flat color=white data-testid=sign-out"
            )
    with ui.column().classes("w-full max-w-6xl mx-auto p-6 gap-4"):
        yield ui.label(title).classes("text-2xl font-semibold").props("data-testid=screen-title")
