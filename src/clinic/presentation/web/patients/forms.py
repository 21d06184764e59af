"""Building blocks of the patient forms: fields that show the domain's message under them, the
personal data fields, and the comment dialog that confirms archiving and restoring."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from clinic.application.patients.errors import MatchCountChangedError
from clinic.domain.patients.errors import PatientNotChangeableError, PatientsNotChangeableError
from clinic.domain.shared.errors import InvalidFieldError, InvalidInputError
from clinic.presentation.web.messages import field_errors
from clinic.presentation.web.patients.labels import FIELD_LABELS, SEX_LABELS, TIME_ZONES
from clinic.presentation.web.patients.sections import Command, ProfileChanges

FIELD_HINTS = {
    "birth_date": "ДД.ММ.ГГГГ",
    "phone": "+7 916 123-45-67",
    "email": "name@example.ru",
    "postcode": "101000",
}
NOT_CHANGEABLE = "Профиль объединён с другим или удалён: изменить его нельзя"
Submit = Callable[[], Awaitable[None]]


def error_label(test_id: str) -> ui.label:
    label = ui.label().classes("text-negative text-sm").props(f"data-testid={test_id}")
    label.set_visibility(False)
    return label


def set_error(label: ui.label, message: str | None) -> None:
    label.text = message or ""
    label.set_visibility(bool(message))


class FieldErrors:
    """Shows each invalid field's message under its field, and any other in one line."""

    def __init__(self, fields: Mapping[str, ValidationElement[Any]], test_id: str) -> None:
        self._fields = fields
        self._others = error_label(test_id)

    def show(self, errors: Mapping[str, str]) -> None:
        for name, field in self._fields.items():
            field.error = errors.get(name)
        others = [
            f"{FIELD_LABELS.get(name, name)}: {message}"
            for name, message in errors.items()
            if name not in self._fields
        ]
        set_error(self._others, "; ".join(others))

    def clear(self) -> None:
        self.show({})

    def show_refusal(self, error: Exception) -> None:
        """A command refused: field by field when the input was invalid, else in one line."""
        if isinstance(error, INVALID_INPUT):
            self.show(field_errors(error))
        else:
            self.clear()
            set_error(self._others, refusal_message(error))


def refusal_message(error: Exception) -> str:
    if isinstance(error, PatientNotChangeableError | PatientsNotChangeableError):
        return NOT_CHANGEABLE
    if isinstance(error, MatchCountChangedError):
        return (
            f"Сейчас найдено пациентов: {error.matched}, а не {error.expected}. "
            "Никто не изменён: проверьте список и подтвердите снова"
        )
    return str(error)


INVALID_INPUT = (InvalidInputError, InvalidFieldError)
REFUSALS = (
    *INVALID_INPUT,
    PatientNotChangeableError,
    PatientsNotChangeableError,
    MatchCountChangedError,
)
"""What a command refuses with when a person can fix it or should know why."""


@contextmanager
def busy(button: ui.button) -> Iterator[bool]:
    """Disables `button` while a command runs; yields False when it was already running (a
    second click or an Enter), and the caller does nothing."""
    if not button.enabled:
        yield False
        return
    button.disable()
    try:
        yield True
    finally:
        button.enable()


class PersonalDataFields:
    """Inputs for some personal data fields (test ids `{prefix}-{field}`); the domain checks
    what is typed."""

    def __init__(self, names: tuple[str, ...], prefix: str, on_submit: Submit) -> None:
        self._prefix = prefix
        self.fields: dict[str, ValidationElement[Any]] = {}
        for name in names:
            self.fields[name] = self._field(name, on_submit)
        self.errors = FieldErrors(self.fields, f"{prefix}-errors")

    def values(self) -> dict[str, str | None]:
        """What each field holds, trimmed; None when blank."""
        return {name: (str(f.value or "")).strip() or None for name, f in self.fields.items()}

    def fill(self, values: Mapping[str, str | None]) -> None:
        for name, field in self.fields.items():
            value = values.get(name)
            if isinstance(field, ui.select):
                if value and isinstance(field.options, list) and value not in field.options:
                    field.set_options([*field.options, value])
                field.value = value
            else:
                field.value = value or ""
        self.errors.clear()

    def _field(self, name: str, on_submit: Submit) -> ValidationElement[Any]:
        label = FIELD_LABELS[name]
        test_id = f"data-testid={self._prefix}-{name}"
        if name == "sex":
            sex = ui.select(SEX_LABELS, label=label, clearable=True).classes("w-32")
            return sex.props(f"outlined dense {test_id}")
        if name == "time_zone":
            zone = ui.select(list(TIME_ZONES), label=label, clearable=True).classes("w-full")
            return zone.props(f"outlined dense {test_id}")
        field = ui.input(label, placeholder=FIELD_HINTS.get(name)).classes("w-full")
        field.props(f"outlined dense stack-label {test_id}")
        field.on("keydown.enter", on_submit)
        return field


class CommentDialog:
    """Asks to confirm a change of status with a comment; the command's refusal (a comment is
    required to archive) is shown in the dialog, which stays open."""

    def __init__(self, test_id: str) -> None:
        self._confirmed: Callable[[str], Awaitable[None]] | None = None
        with ui.dialog() as self.dialog, ui.card().classes("w-full max-w-md"):
            self.dialog.props(f"data-testid={test_id}")
            self.question = ui.label().classes("text-lg font-semibold")
            self.question.props(f"data-testid={test_id}-question")
            self.comment = ui.textarea("Комментарий").classes("w-full")
            self.comment.props(f"outlined autogrow data-testid={test_id}-comment")
            self.errors = FieldErrors({"comment": self.comment}, f"{test_id}-errors")
            with ui.row().classes("w-full justify-end"):
                ui.button("Отмена", on_click=self.dialog.close).props(
                    f"flat data-testid={test_id}-cancel"
                )
                self.confirm = ui.button(on_click=self._confirm)
                self.confirm.props(f"data-testid={test_id}-confirm")

    def ask(
        self,
        question: str,
        action: str,
        on_confirmed: Callable[[str], Awaitable[None]],
        *,
        hint: str = "",
    ) -> None:
        """Opens with `question`; `on_confirmed(comment)` runs the command."""
        self.question.text = question
        self.confirm.text = action
        self.comment.value = ""
        self.comment.props["hint"] = hint
        self.errors.clear()
        self._confirmed = on_confirmed
        self.dialog.open()

    async def _confirm(self) -> None:
        if self._confirmed is None:
            return
        with busy(self.confirm) as free:
            if not free:
                return
            try:
                await self._confirmed(self.comment.value or "")
            except REFUSALS as error:
                self.errors.show_refusal(error)
                return
        self.dialog.close()


async def apply_or_notify(changes: ProfileChanges, command: Command) -> bool:
    """Applies a command started without a form (a delete button): a refusal is a notice.
    False when refused."""
    try:
        await changes.apply(command)
    except REFUSALS as error:
        ui.notify(_refusal_notice(error), type="negative")
        return False
    return True


def _refusal_notice(error: Exception) -> str:
    if isinstance(error, INVALID_INPUT):
        return "; ".join(field_errors(error).values())
    return refusal_message(error)


def action_column(event: str, icon: str, label: str) -> str:
    """A table cell template with a button emitting `event` with the row, for rows whose
    `actionable` is true."""
    return (
        '<q-td :props="props"><q-btn v-if="props.row.actionable" flat dense round '
        f'icon="{icon}" aria-label="{label}" title="{label}" '
        f"@click=\"() => $parent.$emit('{event}', props.row)\" /></q-td>"
    )
