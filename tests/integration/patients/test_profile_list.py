"""The patient list follows profile changes in SQL: status, corrected names, primary contacts."""

from __future__ import annotations

from clinic.application.patients.commands import (
    AddContactPoint,
    CorrectPersonalData,
    RegisterPatient,
    RemoveContactPoint,
)
from tests.integration.patients.serving import Served


class TestPatientListFollowsProfileChanges:
    def test_status_names_and_primary_contacts_are_kept_current_and_searchable(
        self, served: Served
    ) -> None:
        service = served.container.patients.service()
        queries = served.container.patients.queries()
        patient_id = service.register_patient(
            RegisterPatient(surname="Сменова", given_name="Ольга", phone="+79161234567")
        ).patient_id
        service.correct_personal_data(CorrectPersonalData(patient_id, {"surname": "Новикова"}))
        service.add_contact_point(AddContactPoint(patient_id, "phone", "+79031112233"))
        service.add_contact_point(AddContactPoint(patient_id, "email", "olga@mail.ru"))
        service.remove_contact_point(RemoveContactPoint(patient_id, "phone", "+79161234567"))
        position = service.archive_patient(patient_id, "moved away")

        row = queries.get_patient(patient_id, after=position)

        assert (row.surname, row.phone, row.email, row.status) == (
            "Новикова",
            "+79031112233",
            "olga@mail.ru",
            "archived",
        )
        assert [p.id for p in queries.search_patients("новикова ольга").items] == [patient_id]
        assert [p.id for p in queries.search_patients("8903111").items] == [patient_id]
        assert queries.search_patients("8916123").items == []
