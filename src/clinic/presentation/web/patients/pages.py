"""Patient screens: the searchable patient list, registration of a patient, the patient card."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from nicegui import run, ui

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.dto import PatientPage, PatientSummary
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import NotFoundError, ReadModelLagError
from clinic.domain.shared.access import Permission
from clinic.domain.shared.errors import InvalidInputError
from clinic.domain.shared.phone import Phone
from clinic.presentation.web.access import guarded, page_actor, require_page_permission
from clinic.presentation.web.layout import frame
from clinic.presentation.web.messages import field_errors
from clinic.presentation.web.paging import CursorPager

PAGE_SIZE = 25
SEARCH_DEBOUNCE_MS = 300
MISSING = "—"
SEX_LABELS = {"F": "Ж", "M": "М"}
STATUS_LABELS = {
    "active": "активен",
    "archived": "в архиве",
    "merged": "объединён",
    "erased": "удалён",
}
COLUMNS = [
    {"name": name, "label": label, "field": name, "align": "left"}
    for name, label in (
        ("full_name", "ФИО"),
        ("sex", "Пол"),
        ("birth_date", "Дата рождения"),
        ("phone", "Телефон"),
        ("email", "Email"),
        ("status", "Статус"),
    )
]
NAME_FIELDS = {"surname": "Фамилия", "given_name": "Имя", "patronymic": "Отчество"}
CONTACT_FIELDS = {"birth_date": "Дата рождения", "phone": "Телефон", "email": "Email"}
FIELD_HINTS = {"birth_date": "ДД.ММ.ГГГГ", "phone": "+7 916 123-45-67", "email": "name@example.ru"}


def register() -> None:
    """Adds the patient screens to the UI's routes."""
    ui.page("/", title="Пациенты — Clinic CDP")(guarded(patient_list_page))
    ui.page("/patients/{patient_id}", title="Пациент — Clinic CDP")(guarded(patient_card_page))


PSEUDONYMISED_HOME = "/analytics/patients"


@inject
async def patient_list_page(
    request: Request,
    queries: Any = Depends(Provide["patients.queries"]),
    service: Any = Depends(Provide["patients.service"]),
) -> Response | None:
    """The patient list with search as you type, paging and a button to register a patient.
    Who may see only pseudonymised data (analysts) is sent to their own patient view."""
    actor = page_actor(request)
    if not actor.can(Permission.PATIENTS_READ) and actor.can(
        Permission.PATIENTS_READ_PSEUDONYMISED
    ):
        return RedirectResponse(PSEUDONYMISED_HOME, status_code=303)
    require_page_permission(request, Permission.PATIENTS_READ)
    with frame("Пациенты"):
        patients = PatientList(queries)
        if actor.can(Permission.PATIENTS_WRITE):
            registration = RegistrationDialog(
                service, queries, actor, on_registered=patients.show_patient
            )
            with patients.toolbar:
                ui.button("Новый пациент", icon="person_add", on_click=registration.open).props(
                    "data-testid=new-patient"
                )
    await patients.load()
    return None


@inject
async def patient_card_page(
    request: Request, patient_id: str, queries: Any = Depends(Provide["patients.queries"])
) -> None:
    """One patient's card (the view is recorded in the audit trail), or a not-found message."""
    actor = require_page_permission(request, Permission.PATIENTS_READ)
    patient = await _find_patient(queries, patient_id, actor)
    if patient is None:
        ui.context.client.status_code = 404
        with frame("Пациент не найден"):
            ui.label("Такого пациента нет в списке.").props("data-testid=patient-not-found")
            ui.link("← К списку пациентов", "/").classes("text-primary")
        return
    with frame(patient.full_name):
        with ui.card().props("data-testid=patient-card"):
            for label, value in _card_fields(patient).items():
                with ui.row().classes("gap-4"):
                    ui.label(label).classes("w-40 text-gray-500")
                    ui.label(value)
        ui.link("← К списку пациентов", "/").classes("text-primary")


class PatientList:
    """The patient table, a page at a time; the cursors of earlier pages are kept to go back."""

    def __init__(self, queries: Any) -> None:
        self._queries = queries
        self._latest_request = 0
        with ui.row().classes("w-full items-center gap-4") as self.toolbar:
            self.search = (
                ui.input(placeholder="Фамилия, имя, телефон или email", on_change=self._searched)
                .props(f"outlined dense clearable debounce={SEARCH_DEBOUNCE_MS}")
                .props("data-testid=patient-search")
                .classes("grow")
            )
            self.total = ui.label().classes("text-gray-600").props("data-testid=patient-count")
        self.table = ui.table(rows=[], columns=COLUMNS, row_key="id").classes("w-full")
        self.table.props(
            "flat bordered dense no-data-label='Никого не найдено' data-testid=patients"
        )
        self.table.add_slot(
            "body-cell-full_name",
            '<q-td :props="props"><a :href="\'/patients/\' + props.row.id" '
            'class="text-primary">{{ props.value }}</a></q-td>',
        )
        self.pager = CursorPager(self.load, test_id_prefix="")

    async def load(self) -> None:
        """Shows the page at the last kept cursor for what the search field holds."""
        self._latest_request += 1
        request = self._latest_request
        query = self.search.value or ""
        page = await run.io_bound(
            self._queries.search_patients, query, limit=PAGE_SIZE, cursor=self.pager.cursor
        )
        total = await run.io_bound(self._queries.count_patients)
        if page is None or total is None or request != self._latest_request:
            return  # shutting down, or a newer search has already replaced this one
        self._show(page, query, total)

    async def show_patient(self, patient: PatientSummary) -> None:
        """Searches for a patient by full name, so a newly registered one is in view."""
        if self.search.value == patient.full_name:
            await self._searched()
        else:
            self.search.value = patient.full_name  # its change handler reloads the table

    def _show(self, page: PatientPage, query: str, total: int) -> None:
        self.table.rows = [_row(patient) for patient in page.items]
        # Tests wait on these attributes to know which search and page the table shows.
        self.table.props["data-query"] = query
        self.table.props["data-page"] = str(self.pager.number)
        self.total.text = f"Всего пациентов: {total:,}".replace(",", " ")
        self.pager.shown(page.next_cursor)

    async def _searched(self) -> None:
        await self.pager.restart()


class RegistrationDialog:
    """Registers one patient; the fields the domain rejects show its message underneath."""

    def __init__(
        self,
        service: Any,
        queries: Any,
        actor: Actor,
        on_registered: Callable[[PatientSummary], Awaitable[None]],
    ) -> None:
        self._service = service
        self._queries = queries
        self._actor = actor
        self._on_registered = on_registered
        with ui.dialog() as self.dialog, ui.card().classes("w-full max-w-md"):
            self.dialog.props("data-testid=register-dialog")
            ui.label("Новый пациент").classes("text-lg font-semibold")
            self.inputs = {name: self._input(name, label) for name, label in NAME_FIELDS.items()}
            with ui.row().classes("items-center gap-4"):
                ui.label("Пол")
                self.sex = ui.toggle(SEX_LABELS, clearable=True).props("data-testid=register-sex")
            self.sex_error = _error_label("register-sex-error")
            self.inputs |= {
                name: self._input(name, label) for name, label in CONTACT_FIELDS.items()
            }
            self.other_errors = _error_label("register-errors")
            with ui.row().classes("w-full justify-end"):
                ui.button("Отмена", on_click=self.dialog.close).props("flat")
                self.submit = ui.button("Зарегистрировать", on_click=self._register)
                self.submit.props("data-testid=register-submit")

    def open(self) -> None:
        """Opens an empty form."""
        for field in self.inputs.values():
            field.value = ""
        self.sex.value = None
        self._show_errors({})
        self.dialog.open()

    def _input(self, name: str, label: str) -> ui.input:
        field = ui.input(label, placeholder=FIELD_HINTS.get(name)).classes("w-full")
        field.props(f"outlined dense stack-label data-testid=register-{name}")
        field.on("keydown.enter", self._register)
        return field

    async def _register(self) -> None:
        if not self.submit.enabled:
            return  # Enter pressed while a registration is under way
        self.submit.disable()
        try:
            patient = await self._register_and_read_back(self._command())
        except InvalidInputError as error:
            self._show_errors(field_errors(error))
            return
        except ReadModelLagError:
            self.dialog.close()
            ui.notify("Пациент зарегистрирован; в списке он появится чуть позже", type="warning")
            return
        finally:
            self.submit.enable()
        if patient is None:
            return
        self.dialog.close()
        ui.notify("Пациент зарегистрирован", type="positive")
        await self._on_registered(patient)

    async def _register_and_read_back(self, command: RegisterPatient) -> PatientSummary | None:
        registered = await run.io_bound(self._service.register_patient, command, by=self._actor)
        if registered is None:
            return None
        return await run.io_bound(
            self._queries.get_patient, registered.patient_id, after=registered.position
        )

    def _command(self) -> RegisterPatient:
        typed = {name: (field.value or "").strip() or None for name, field in self.inputs.items()}
        return RegisterPatient(**typed, sex=self.sex.value)

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name, field in self.inputs.items():
            field.error = errors.get(name)
        _set_error(self.sex_error, errors.get("sex"))
        shown = {*self.inputs, "sex"}
        others = [f"{name}: {message}" for name, message in errors.items() if name not in shown]
        _set_error(self.other_errors, "; ".join(others))


async def _find_patient(queries: Any, patient_id: str, viewer: Actor) -> PatientSummary | None:
    try:
        return await run.io_bound(queries.view_patient, UUID(patient_id), viewer)
    except (ValueError, NotFoundError):
        return None


def _error_label(test_id: str) -> ui.label:
    label = ui.label().classes("text-negative text-sm").props(f"data-testid={test_id}")
    label.set_visibility(False)
    return label


def _set_error(label: ui.label, message: str | None) -> None:
    label.text = message or ""
    label.set_visibility(bool(message))


def _row(patient: PatientSummary) -> dict[str, str]:
    return {
        "id": str(patient.id),
        "full_name": patient.full_name,
        "sex": SEX_LABELS.get(patient.sex or "", MISSING),
        "birth_date": patient.birth_date.strftime("%d.%m.%Y") if patient.birth_date else MISSING,
        "phone": Phone(patient.phone).display if patient.phone else MISSING,
        "email": patient.email or MISSING,
        "status": STATUS_LABELS.get(patient.status, patient.status),
    }


def _card_fields(patient: PatientSummary) -> dict[str, str]:
    row = _row(patient)
    return {
        "ФИО": row["full_name"],
        "Пол": row["sex"],
        "Дата рождения": row["birth_date"],
        "Телефон": row["phone"],
        "Email": row["email"],
        "Статус": row["status"],
        "Зарегистрирован": patient.registered_at.strftime("%d.%m.%Y %H:%M UTC"),
    }
