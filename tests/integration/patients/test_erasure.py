"""Right to erasure: after `erase_patient` a patient's name, phone and e-mail are nowhere."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

import psycopg
import pytest

from clinic.application.patients.commands import RegisterPatient
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import ApplicationContainer

LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"


def unique_person() -> RegisterPatient:
    suffix = "".join(secrets.choice(LETTERS) for _ in range(8))
    digits = f"{secrets.randbelow(10**7):07d}"
    return RegisterPatient(
        surname=f"Стёркина{suffix}",
        given_name=f"Ада{suffix}",
        phone=f"+7 916 {digits[:3]}-{digits[3:5]}-{digits[5:]}",
        email=f"erase.{suffix.encode().hex()}@example.ru",
        birth_date="12.04.1961",
    )


def needles(person: RegisterPatient) -> set[str]:
    digits = "".join(ch for ch in person.phone or "" if ch.isdigit())
    return {person.surname or "", person.given_name or "", person.email or "", digits}


def everything_stored(settings: Settings) -> str:
    """Every value of every table of the installation's databases, as one text."""
    if settings.is_sqlite:
        return "\n".join(_sqlite_dump(path) for path in settings.sqlite_path.parent.glob("*.db"))
    return _postgres_dump(settings.database_url)


def _sqlite_dump(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        tables = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        rows = [row for table in tables for row in connection.execute(f'SELECT * FROM "{table}"')]  # noqa: S608
    return "\n".join(_text(value) for row in rows for value in row)


def _postgres_dump(url: str) -> str:
    with psycopg.connect(url) as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        rows = [
            row
            for table in tables
            for row in connection.execute(f'SELECT t::text, t.* FROM "{table}" t')  # noqa: S608
        ]
    return "\n".join(_text(value) for row in rows for value in row)


def _text(value: object) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def found(person: RegisterPatient, stored: str) -> set[str]:
    return {needle for needle in needles(person) if needle in stored}


class TestErasePatient:
    @pytest.fixture
    def erased_and_kept(
        self, container: ApplicationContainer
    ) -> tuple[RegisterPatient, RegisterPatient]:
        service = container.patients.service()
        erased, kept = unique_person(), unique_person()
        [registered, _] = service.register_patients([erased, kept])
        container.projections().catch_up()
        service.erase_patient(registered.patient_id)
        container.projections().catch_up()
        self.erased_id = registered.patient_id
        return erased, kept

    def test_name_phone_and_email_appear_in_no_table_afterwards(
        self,
        settings: Settings,
        container: ApplicationContainer,
        erased_and_kept: tuple[RegisterPatient, RegisterPatient],
    ) -> None:
        erased, kept = erased_and_kept
        stored = everything_stored(settings)
        assert found(erased, stored) == set()
        # The kept patient's row is still in the read model: the scan does see personal data.
        assert found(kept, stored) == needles(kept)

    def test_the_event_store_never_holds_personal_data_in_clear(
        self, container: ApplicationContainer
    ) -> None:
        person = unique_person()
        container.patients.service().register_patient(person)
        service = container.patients.service()
        notifications = service.recorder.select_notifications(start=None, limit=100)
        raw = "\n".join(_text(n.state) for n in notifications)
        assert found(person, raw) == set()

    def test_the_patient_still_loads_with_its_personal_data_gone(
        self,
        container: ApplicationContainer,
        erased_and_kept: tuple[RegisterPatient, RegisterPatient],
    ) -> None:
        patient = container.patients.service().get_patient(self.erased_id)
        assert patient.is_erased
        assert (patient.surname, patient.phone, patient.email, patient.birth_date) == (
            None,
            None,
            None,
            None,
        )

    def test_a_rebuild_after_erasure_lists_only_the_kept_patient(
        self,
        container: ApplicationContainer,
        erased_and_kept: tuple[RegisterPatient, RegisterPatient],
    ) -> None:
        erased, kept = erased_and_kept
        container.projections().rebuild("patient_list")
        queries = container.patients.queries()
        assert queries.search_patients(erased.surname or "").items == []
        assert [p.given_name for p in queries.search_patients(kept.surname or "").items] == [
            kept.given_name
        ]

    def test_erasing_twice_is_harmless(
        self,
        container: ApplicationContainer,
        erased_and_kept: tuple[RegisterPatient, RegisterPatient],
    ) -> None:
        service = container.patients.service()
        head = service.recorder.max_notification_id()
        assert service.erase_patient(self.erased_id) is None
        assert service.recorder.max_notification_id() == head
