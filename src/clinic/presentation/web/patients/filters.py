"""The patient list's filters and sort; a bad filter (an age range upside down) is named under
its field and the list keeps what it showed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from clinic.application.patients.list_filter import PatientListFilter, PatientSort
from clinic.presentation.web.patients.forms import FieldErrors
from clinic.presentation.web.patients.labels import CHANNEL_LABELS, PURPOSE_LABELS

FILTER_DEBOUNCE_MS = 400
ANY = ""
STATUS_OPTIONS = {ANY: "любой", "active": "активен", "archived": "в архиве", "merged": "объединён"}
SEX_OPTIONS = {ANY: "любой", "F": "Ж", "M": "М"}
CONSENT_OPTIONS = {ANY: "любое"} | {
    f"{channel}:{purpose}": f"{channel_label} · {purpose_label}"
    for channel, channel_label in CHANNEL_LABELS.items()
    for purpose, purpose_label in PURPOSE_LABELS.items()
}
SORT_OPTIONS = {
    PatientSort.NAME.value: "по ФИО",
    PatientSort.NEWEST_FIRST.value: "сначала новые",
    PatientSort.REGISTERED_AT.value: "сначала давние",
    PatientSort.BIRTH_DATE.value: "сначала старшие",
    PatientSort.YOUNGEST_FIRST.value: "сначала младшие",
}
Changed = Callable[[], Awaitable[None]]


class PatientFilters:
    """Test ids `filter-{name}`; every change of a filter or the sort calls `on_change`."""

    def __init__(self, on_change: Changed) -> None:
        self._on_change = on_change
        self.fields: dict[str, ValidationElement[Any]] = {}
        with ui.row().classes("w-full items-start gap-2"):
            self._select("status", "Статус", STATUS_OPTIONS)
            self._select("sex", "Пол", SEX_OPTIONS, width="w-28")
            self._number("age_from", "Возраст от")
            self._number("age_to", "до")
            self._text("city", "Город")
            self._text("tag", "Метка")
            self._text("source", "Источник")
            self._select("consent", "Согласие", CONSENT_OPTIONS, width="w-56")
            self._day("registered_from", "Зарегистрирован с")
            self._day("registered_to", "по")
            self.sort = ui.select(
                SORT_OPTIONS, value=PatientSort.NAME.value, label="Порядок", on_change=on_change
            )
            self.sort.classes("w-44").props("outlined dense data-testid=filter-sort")
        self.errors = FieldErrors(self.fields, "filter-errors")

    def chosen(self) -> PatientListFilter:
        """The filters as given; InvalidInputError or InvalidFieldError names bad ones."""
        return PatientListFilter.parse(**self.given())

    def given(self) -> dict[str, Any]:
        """The filters given, as typed (ages as whole numbers)."""
        typed = {
            name: f.value.strip() if isinstance(f.value, str) else f.value
            for name, f in self.fields.items()
        }
        given = {name: value for name, value in typed.items() if value not in (None, ANY)}
        for age in ("age_from", "age_to"):
            if age in given and float(given[age]).is_integer():
                given[age] = int(given[age])
        return given

    @property
    def order(self) -> PatientSort:
        return PatientSort(self.sort.value)

    def _select(self, name: str, label: str, options: dict[str, str], width: str = "w-36") -> None:
        select = ui.select(options, value=ANY, label=label, on_change=self._on_change)
        self.fields[name] = select.classes(width).props(f"outlined dense data-testid=filter-{name}")

    def _number(self, name: str, label: str) -> None:
        field = ui.number(label, min=0, precision=0, on_change=self._on_change).classes("w-28")
        self.fields[name] = field.props(
            f"outlined dense stack-label debounce={FILTER_DEBOUNCE_MS} data-testid=filter-{name}"
        )

    def _text(self, name: str, label: str) -> None:
        field = ui.input(label, on_change=self._on_change).classes("w-36")
        self.fields[name] = field.props(
            f"outlined dense clearable debounce={FILTER_DEBOUNCE_MS} data-testid=filter-{name}"
        )

    def _day(self, name: str, label: str) -> None:
        field = ui.input(label, on_change=self._on_change).classes("w-44")
        self.fields[name] = field.props(
            f"type=date outlined dense stack-label data-testid=filter-{name}"
        )
