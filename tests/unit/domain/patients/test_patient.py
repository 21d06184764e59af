from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from clinic.domain.patients.patient import Patient
from clinic.domain.patients.values import PersonalData

NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)


def personal_data(**overrides: str) -> PersonalData:
    raw = {
        "surname": "Иванова",
        "given_name": "Мария",
        "patronymic": "Петровна",
        "sex": "F",
        "birth_date": "15.03.1985",
        "phone": "8 (916) 123-45-67",
        "email": "maria@mail.ru",
    }
    return PersonalData.parse(today=NOW.date(), **(raw | overrides))


class TestRegisterPatient:
    def test_registering_records_one_registered_event_with_the_data(self) -> None:
        patient_id = uuid4()
        patient = Patient.register(patient_id, personal_data(), NOW)

        [registered] = patient.collect_events()
        assert isinstance(registered, Patient.Registered)
        assert registered.originator_id == patient_id
        assert registered.originator_version == 1
        assert (
            registered.surname,
            registered.given_name,
            registered.patronymic,
            registered.sex,
            registered.birth_date,
            registered.phone,
            registered.email,
            registered.registered_at,
        ) == (
            "Иванова",
            "Мария",
            "Петровна",
            "F",
            date(1985, 3, 15),
            "+79161234567",
            "maria@mail.ru",
            NOW,
        )

    def test_a_registered_patient_is_active_with_the_data(self) -> None:
        patient = Patient.register(uuid4(), personal_data(), NOW)
        assert patient.status == "active"
        assert (patient.surname, patient.given_name, patient.phone, patient.birth_date) == (
            "Иванова",
            "Мария",
            "+79161234567",
            date(1985, 3, 15),
        )
        assert patient.registered_at == NOW

    def test_absent_optional_data_is_recorded_as_none(self) -> None:
        data = PersonalData.parse(today=NOW.date(), surname="Петров", given_name="Иван")
        [registered] = Patient.register(uuid4(), data, NOW).collect_events()
        assert (
            registered.patronymic,
            registered.sex,
            registered.birth_date,
            registered.phone,
            registered.email,
        ) == (None, None, None, None, None)

    def test_replaying_the_event_rebuilds_the_same_patient(self) -> None:
        patient = Patient.register(uuid4(), personal_data(sex="М"), NOW)
        [registered] = patient.collect_events()
        rebuilt = registered.mutate(None)
        assert isinstance(rebuilt, Patient)
        assert rebuilt.id == patient.id
        assert rebuilt.sex == "M"
        assert rebuilt.__dict__ == patient.__dict__
