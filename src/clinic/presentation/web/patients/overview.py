"""The overview tab: personal data, status and archive comment, and the form correcting the
personal data (only the fields changed are sent; nothing is saved when any is invalid)."""

from __future__ import annotations

from nicegui import ui

from clinic.application.patients.commands import CorrectPersonalData
from clinic.application.patients.profile import PatientProfile
from clinic.presentation.web.patients import labels
from clinic.presentation.web.patients.forms import REFUSALS, PersonalDataFields, busy
from clinic.presentation.web.patients.sections import ProfileChanges

CORRECTABLE = (
    "surname", "given_name", "patronymic", "sex", "birth_date",
    "city", "address", "postcode", "time_zone",
)  # fmt: skip


class OverviewSection:
    def __init__(self, changes: ProfileChanges) -> None:
        self._changes = changes
        self._profile: PatientProfile | None = None
        self.editor = PersonalDataDialog(changes)
        self.fields = ui.column().classes("gap-1").props("data-testid=patient-overview")
        self.edit = ui.button("Изменить данные", icon="edit", on_click=self._open_editor)
        self.edit.props("outline data-testid=edit-patient")

    def show(self, profile: PatientProfile) -> None:
        self._profile = profile
        self.fields.clear()
        with self.fields:
            for name, (label, value) in _overview(profile).items():
                with ui.row().classes("gap-4 items-start"):
                    ui.label(label).classes("w-48 text-gray-500")
                    ui.label(value).classes("whitespace-pre-line").props(
                        f"data-testid=overview-{name}"
                    )
        self.edit.set_visibility(self._changes.allowed)

    def _open_editor(self) -> None:
        if self._profile is not None:
            self.editor.open(self._profile)


class PersonalDataDialog:
    """Corrects personal data; each field the domain rejects shows its message under it."""

    def __init__(self, changes: ProfileChanges) -> None:
        self._changes = changes
        self._profile: PatientProfile | None = None
        self._initial: dict[str, str | None] = {}
        with ui.dialog() as self.dialog, ui.card().classes("w-full max-w-md"):
            self.dialog.props("data-testid=edit-dialog")
            ui.label("Личные данные").classes("text-lg font-semibold")
            self.form = PersonalDataFields(CORRECTABLE, "edit", self._save)
            with ui.row().classes("w-full justify-end"):
                ui.button("Отмена", on_click=self.dialog.close).props(
                    "flat data-testid=edit-cancel"
                )
                self.submit = ui.button("Сохранить", on_click=self._save)
                self.submit.props("data-testid=edit-submit")

    def open(self, profile: PatientProfile) -> None:
        """Opens with the profile's current values."""
        self._profile = profile
        self._initial = _typed(profile)
        self.form.fill(self._initial)
        self.dialog.open()

    async def _save(self) -> None:
        if self._profile is None:
            return
        changes = {
            name: value
            for name, value in self.form.values().items()
            if value != self._initial.get(name)
        }
        if not changes:
            self.dialog.close()
            return
        command = CorrectPersonalData(self._profile.id, changes)
        with busy(self.submit) as free:
            if not free:
                return
            try:
                await self._changes.apply(lambda s, a: s.correct_personal_data(command, by=a))
            except REFUSALS as error:
                self.form.errors.show_refusal(error)
                return
        self.dialog.close()
        ui.notify("Данные сохранены", type="positive")


def _typed(profile: PatientProfile) -> dict[str, str | None]:
    """The profile's values as a person would type them."""
    return {
        "surname": profile.surname,
        "given_name": profile.given_name,
        "patronymic": profile.patronymic,
        "sex": profile.sex,
        "birth_date": profile.birth_date.strftime("%d.%m.%Y") if profile.birth_date else None,
        "city": profile.city,
        "address": profile.address,
        "postcode": profile.postcode,
        "time_zone": profile.time_zone,
    }


def _overview(profile: PatientProfile) -> dict[str, tuple[str, str]]:
    missing = labels.MISSING
    shown = {
        "full_name": ("ФИО", profile.full_name or "данные удалены"),
        "sex": ("Пол", labels.SEX_LABELS.get(profile.sex or "", missing)),
        "birth_date": ("Дата рождения", labels.day(profile.birth_date)),
        "city": ("Город", profile.city or missing),
        "address": ("Адрес", profile.address or missing),
        "postcode": ("Индекс", profile.postcode or missing),
        "time_zone": ("Часовой пояс", profile.time_zone or missing),
        "status": ("Статус", labels.STATUS_LABELS.get(profile.status, profile.status)),
        "registered_at": ("Зарегистрирован", labels.moment(profile.registered_at)),
    }
    if profile.archive_comment:
        shown["archive_comment"] = ("Почему в архиве", profile.archive_comment)
    return shown
