"""A registered patient reaches the patient list on every backend."""

from __future__ import annotations

from clinic.application.patients.commands import RegisterPatient
from clinic.presentation.bootstrap.containers import ApplicationContainer


def test_registered_patient_is_found_by_phone_after_catch_up(
    container: ApplicationContainer,
) -> None:
    service = container.patients.service()
    registered = service.register_patient(
        RegisterPatient(surname="Петров", given_name="Иван", phone="8 (916) 555-44-33")
    )
    container.projections().catch_up()
    page = container.patients.queries().search_patients("+7 916 555-44")
    assert [p.id for p in page.items] == [registered.patient_id]
