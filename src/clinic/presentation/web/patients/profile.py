"""The unified profile screen: the patient's status with archive and restore, then one tab
per part of the profile. Every change is read back before it is shown (read-your-writes)."""

from __future__ import annotations

from typing import Any

from nicegui import run, ui

from clinic.application.patients.profile import PatientProfile
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import ReadModelLagError
from clinic.domain.patients.values import PatientStatus
from clinic.domain.shared.access import Permission
from clinic.presentation.web.patients import labels
from clinic.presentation.web.patients.consents import ConsentsSection
from clinic.presentation.web.patients.contacts import ContactPointsSection
from clinic.presentation.web.patients.forms import CommentDialog
from clinic.presentation.web.patients.history import HistorySection
from clinic.presentation.web.patients.merges import MergesSection
from clinic.presentation.web.patients.overview import OverviewSection
from clinic.presentation.web.patients.relations import RelationsSection
from clinic.presentation.web.patients.sections import (
    Command,
    ProfileSection,
    ProfileTab,
    Sections,
    changeable,
)
from clinic.presentation.web.patients.sources import SourceRecordsSection
from clinic.presentation.web.patients.tags import TagsSection

ERASED_TITLE = "Пациент (данные удалены)"
STATUS_COLOURS = {
    "active": "positive",
    "archived": "grey-7",
    "merged": "info",
    "erased": "negative",
}
PROFILE_TABS: list[ProfileTab] = [
    ProfileTab("overview", "Обзор", OverviewSection),
    ProfileTab(
        "contacts",
        "Контакты и согласия",
        lambda changes: Sections(ContactPointsSection(changes), ConsentsSection(changes)),
    ),
    ProfileTab("relations", "Представитель и подопечные", RelationsSection),
    ProfileTab("tags", "Метки", TagsSection),
    ProfileTab("sources", "Источники", SourceRecordsSection),
    ProfileTab("history", "История изменений", HistorySection),
    ProfileTab("merges", "Объединения", MergesSection, Permission.PATIENTS_MERGE),
]
"""The profile's tabs, in order; a new part of the profile (the matches to review, visits)
is one more entry here, with the permission its data needs."""


class ProfileScreen:
    """Shows one patient's profile and applies the changes its tabs make."""

    def __init__(
        self,
        profile: PatientProfile,
        *,
        title: ui.label,
        profiles: Any,
        queries: Any,
        service: Any,
        actor: Actor,
    ) -> None:
        self._profile = profile
        self._title = title
        self._profiles = profiles
        self._queries = queries
        self._service = service
        self._actor = actor
        self.status_dialog = CommentDialog("status-dialog")
        with ui.row().classes("w-full items-center gap-2"):
            self.status = ui.badge().props("data-testid=patient-status")
            ui.space()
            self.archive = ui.button("В архив", icon="archive", on_click=self._ask_archive)
            self.archive.props("outline data-testid=archive-patient")
            self.restore = ui.button("Восстановить", icon="unarchive", on_click=self._ask_restore)
            self.restore.props("outline data-testid=restore-patient")
        self.sections = self._tabs([t for t in PROFILE_TABS if actor.can(t.permission)])
        self._show(profile)

    @property
    def allowed(self) -> bool:
        return self._actor.can(Permission.PATIENTS_WRITE) and changeable(self._profile)

    async def apply(self, command: Command) -> None:
        position = await run.io_bound(command, self._service, self._actor)
        try:
            await run.io_bound(self._queries.wait_for, position)
        except ReadModelLagError:
            ui.notify("Сохранено; список пациентов обновится чуть позже", type="warning")
        await self._reload()

    def _tabs(self, tabs: list[ProfileTab]) -> list[ProfileSection]:
        sections: list[ProfileSection] = []
        with ui.tabs().classes("w-full").props("align=left data-testid=profile-tabs") as header:
            for tab in tabs:
                ui.tab(tab.name, tab.label).props(f"data-testid=tab-{tab.name}")
        with ui.tab_panels(header, value=tabs[0].name, animated=False).classes("w-full"):
            for tab in tabs:
                with ui.tab_panel(tab.name).props(f"data-testid=panel-{tab.name}"):
                    sections.append(tab.build(self))
        return sections

    async def _reload(self) -> None:
        profile = await run.io_bound(self._profiles.profile, self._profile.id, self._actor)
        if profile is not None:  # None: shutting down
            self._show(profile)

    def _show(self, profile: PatientProfile) -> None:
        self._profile = profile
        self._title.text = profile.full_name or ERASED_TITLE
        self.status.text = labels.STATUS_LABELS.get(profile.status, profile.status)
        self.status.props(f"color={STATUS_COLOURS.get(profile.status, 'grey-7')}")
        self.archive.set_visibility(self.allowed and profile.status == PatientStatus.ACTIVE)
        self.restore.set_visibility(self.allowed and profile.status == PatientStatus.ARCHIVED)
        for section in self.sections:
            section.show(profile)

    def _ask_archive(self) -> None:
        patient_id = self._profile.id
        self.status_dialog.ask(
            "Перенести пациента в архив?",
            "В архив",
            lambda comment: self.apply(lambda s, a: s.archive_patient(patient_id, comment, by=a)),
            hint="Обязательно: почему пациент уходит в архив",
        )

    def _ask_restore(self) -> None:
        patient_id = self._profile.id
        self.status_dialog.ask(
            "Восстановить пациента из архива?",
            "Восстановить",
            lambda comment: self.apply(
                lambda s, a: s.restore_patient(patient_id, comment or None, by=a)
            ),
            hint="Необязательно",
        )
