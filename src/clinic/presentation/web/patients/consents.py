"""Consents of the profile per channel and purpose, with their source, time and evidence;
recording one and withdrawing one."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from nicegui.events import GenericEventArguments

from clinic.application.patients.commands import GrantConsent, WithdrawConsent
from clinic.application.patients.profile import PatientProfile, ProfileConsent
from clinic.presentation.web.patients import labels
from clinic.presentation.web.patients.forms import (
    REFUSALS,
    FieldErrors,
    action_column,
    apply_or_notify,
    busy,
)
from clinic.presentation.web.patients.sections import ProfileChanges

COLUMNS = [
    {"name": name, "label": label, "field": name, "align": "left"}
    for name, label in (
        ("channel", "Канал"),
        ("purpose", "Цель"),
        ("state", "Согласие"),
        ("source", "Источник"),
        ("at", "Когда"),
        ("evidence", "Подтверждение"),
        ("actions", ""),
    )
]
RECORDED_SOURCES = ("manual", "paper_form", "website", "phone_call")
"""Where a person at the desk learns of a consent."""


class ConsentsSection:
    def __init__(self, changes: ProfileChanges) -> None:
        self._changes = changes
        self._patient_id: Any = None
        ui.label("Согласия").classes("text-lg font-semibold mt-4")
        self.table = ui.table(rows=[], columns=COLUMNS, row_key="key").classes("w-full")
        self.table.props("flat bordered dense no-data-label='Согласий нет' data-testid=consents")
        self.table.add_slot("body-cell-actions", action_column("withdraw", "block", "Отозвать"))
        self.table.on("withdraw", self._withdraw)
        with ui.row().classes("w-full items-start gap-2") as self.form:
            self.channel = self._select(labels.CHANNEL_LABELS, "sms", "Канал", "consent-channel")
            self.purpose = self._select(labels.PURPOSE_LABELS, "service", "Цель", "consent-purpose")
            sources = {name: labels.SOURCE_LABELS[name] for name in RECORDED_SOURCES}
            self.source = self._select(sources, "manual", "Источник", "consent-source")
            self.evidence = ui.input("Подтверждение", placeholder="Анкета № 15 от 01.02.2025")
            self.evidence.classes("grow").props("outlined dense stack-label")
            self.evidence.props("data-testid=consent-evidence")
            self.grant = ui.button("Записать согласие", icon="check", on_click=self._grant)
            self.grant.props("data-testid=consent-grant")
        self.errors = FieldErrors(
            {
                "channel": self.channel,
                "purpose": self.purpose,
                "source": self.source,
                "evidence": self.evidence,
            },
            "consent-errors",
        )

    def show(self, profile: PatientProfile) -> None:
        self._patient_id = profile.id
        allowed = self._changes.allowed
        self.table.rows = [_row(consent, allowed=allowed) for consent in profile.consents]
        self.form.set_visibility(allowed)

    def _select(self, options: dict[str, str], value: str, label: str, test_id: str) -> ui.select:
        select = ui.select(options, value=value, label=label).classes("w-48")
        return select.props(f"outlined dense data-testid={test_id}")

    async def _grant(self) -> None:
        command = GrantConsent(
            self._patient_id,
            channel=self.channel.value or "",
            purpose=self.purpose.value or "",
            source=self.source.value or "",
            evidence=self.evidence.value or None,
        )
        with busy(self.grant) as free:
            if not free:
                return
            try:
                await self._changes.apply(lambda s, a: s.grant_consent(command, by=a))
            except REFUSALS as error:
                self.errors.show_refusal(error)
                return
        self.errors.clear()
        self.evidence.value = ""

    async def _withdraw(self, event: GenericEventArguments) -> None:
        row = event.args
        command = WithdrawConsent(self._patient_id, row["channel_code"], row["purpose_code"])
        await apply_or_notify(self._changes, lambda s, a: s.withdraw_consent(command, by=a))


def _row(consent: ProfileConsent, *, allowed: bool) -> dict[str, Any]:
    return {
        "key": f"{consent.channel}:{consent.purpose}",
        "channel_code": consent.channel,
        "purpose_code": consent.purpose,
        "channel": labels.CHANNEL_LABELS.get(consent.channel, consent.channel),
        "purpose": labels.PURPOSE_LABELS.get(consent.purpose, consent.purpose),
        "state": "дано" if consent.granted else "отозвано",
        "source": labels.source(consent.source),
        "at": labels.moment(consent.at),
        "evidence": consent.evidence or labels.MISSING,
        "actionable": allowed and consent.granted,
    }
