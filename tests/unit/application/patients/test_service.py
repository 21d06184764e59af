from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.service import PatientsService
from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.patients.patient import Patient
from tests.unit.application.fakes import POPO, FixedClock

NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
MARIA = RegisterPatient(
    surname="иванова",
    given_name="Мария",
    patronymic="Петровна",
    sex="ж",
    birth_date="15.03.1985",
    phone="8 (916) 123-45-67",
    email="maria@Mail.RU",
)


@pytest.fixture
def service() -> Iterator[PatientsService]:
    service = PatientsService(FixedClock(NOW), env=POPO)
    yield service
    service.close()


def recorded_events(service: PatientsService) -> list[Any]:
    notifications = service.recorder.select_notifications(start=1, limit=10_000)
    return [service.mapper.to_domain_event(n) for n in notifications]


def person(surname: str, **fields: str) -> RegisterPatient:
    return RegisterPatient(surname=surname, given_name="Иван", **fields)


class TestRegisterPatient:
    def test_returns_the_new_id_and_the_position_of_its_event(
        self, service: PatientsService
    ) -> None:
        registered = service.register_patient(MARIA)
        assert registered.position == service.recorder.max_notification_id()
        [event] = recorded_events(service)
        assert event.originator_id == registered.patient_id

    def test_stores_the_normalised_data_registered_now(self, service: PatientsService) -> None:
        registered = service.register_patient(MARIA)
        patient = service.get_patient(registered.patient_id)
        assert (
            patient.surname,
            patient.given_name,
            patient.patronymic,
            patient.sex,
            patient.birth_date,
            patient.phone,
            patient.email,
            patient.registered_at,
            patient.status,
        ) == (
            "Иванова",
            "Мария",
            "Петровна",
            "F",
            date(1985, 3, 15),
            "+79161234567",
            "maria@mail.ru",
            NOW,
            "active",
        )

    def test_the_stored_event_is_a_registration(self, service: PatientsService) -> None:
        service.register_patient(MARIA)
        [event] = recorded_events(service)
        assert isinstance(event, Patient.Registered)
        assert event.birth_date == date(1985, 3, 15)

    def test_each_registration_gets_a_new_id_and_a_later_position(
        self, service: PatientsService
    ) -> None:
        first = service.register_patient(MARIA)
        second = service.register_patient(MARIA)
        assert first.patient_id != second.patient_id
        assert second.position > first.position

    def test_invalid_data_is_rejected_by_field_and_nothing_is_stored(
        self, service: PatientsService
    ) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.register_patient(person("", phone="12"))
        assert set(raised.value.errors) == {"surname", "phone"}
        assert service.recorder.max_notification_id() is None

    def test_the_future_is_judged_by_the_clock(self) -> None:
        before_birth = datetime(1985, 3, 14, 23, 59, tzinfo=UTC)
        service = PatientsService(FixedClock(before_birth), env=POPO)
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.register_patient(MARIA)
        assert set(raised.value.errors) == {"birth_date"}

    def test_saved_listeners_hear_the_new_position(self, service: PatientsService) -> None:
        heard: list[int] = []
        service.add_saved_listener(heard.append)
        registered = service.register_patient(MARIA)
        assert heard == [registered.position]


class TestRegisterPatients:
    def test_every_row_is_registered_in_order(self, service: PatientsService) -> None:
        rows = [person("Андреев"), person("Борисов"), person("Васильев")]
        registered = service.register_patients(rows)
        surnames = [service.get_patient(r.patient_id).surname for r in registered]
        assert surnames == ["Андреев", "Борисов", "Васильев"]

    def test_positions_are_distinct_and_the_last_is_the_head_of_the_log(
        self, service: PatientsService
    ) -> None:
        registered = service.register_patients([person("Андреев"), person("Борисов")])
        positions = [r.position for r in registered]
        assert len(set(positions)) == 2
        assert max(positions) == service.recorder.max_notification_id()

    def test_listeners_hear_once_per_write_with_the_last_position(
        self, service: PatientsService
    ) -> None:
        heard: list[int] = []
        service.add_saved_listener(heard.append)
        registered = service.register_patients([person("Андреев"), person("Борисов")])
        assert heard == [max(r.position for r in registered)]

    def test_one_invalid_row_stores_nothing(self, service: PatientsService) -> None:
        service.register_patient(MARIA)
        before = service.recorder.max_notification_id()
        rows = [person("Андреев"), person("Борисов", phone="12"), person("Васильев")]
        with pytest.raises(InvalidPersonalDataError):
            service.register_patients(rows)
        assert service.recorder.max_notification_id() == before

    def test_errors_are_keyed_by_row_index_and_field(self, service: PatientsService) -> None:
        rows = [
            person("Андреев"),
            person("Борисов", phone="12"),
            person("", email="nope"),
            person("Григорьев", sex="X"),
        ]
        with pytest.raises(InvalidPersonalDataError) as raised:
            service.register_patients(rows)
        assert set(raised.value.errors) == {"1.phone", "2.surname", "2.email", "3.sex"}

    def test_no_rows_register_no_one(self, service: PatientsService) -> None:
        assert service.register_patients([]) == []
        assert service.recorder.max_notification_id() is None
