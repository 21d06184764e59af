"""The registration dialog: one new patient, with the domain's messages under bad fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import run, ui

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.dto import PatientSummary
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import ReadModelLagError
from clinic.domain.shared.errors import InvalidInputError
from clinic.presentation.web.patients.forms import PersonalDataFields, busy

REGISTERED_FIELDS = (
    "surname", "given_name", "patronymic", "sex", "birth_date", "phone", "email",
    "city", "address", "postcode",
)  # fmt: skip


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
            self.form = PersonalDataFields(REGISTERED_FIELDS, "register", self._register)
            with ui.row().classes("w-full justify-end"):
                ui.button("Отмена", on_click=self.dialog.close).props(
                    "flat data-testid=register-cancel"
                )
                self.submit = ui.button("Зарегистрировать", on_click=self._register)
                self.submit.props("data-testid=register-submit")

    def open(self) -> None:
        """Opens an empty form."""
        self.form.fill({})
        self.dialog.open()

    async def _register(self) -> None:
        with busy(self.submit) as free:
            if not free:
                return  # Enter pressed while a registration is under way
            try:
                patient = await self._register_and_read_back(self._command())
            except InvalidInputError as error:
                self.form.errors.show_refusal(error)
                return
            except ReadModelLagError:
                self.dialog.close()
                ui.notify(
                    "Пациент зарегистрирован; в списке он появится чуть позже", type="warning"
                )
                return
        if patient is None:
            return  # shutting down
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
        return RegisterPatient(**self.form.values())
