"""The patient screens in a real browser against the real server."""

from __future__ import annotations

import random
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages.patients import PatientListPage

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PAGE_SIZE = 25
CYRILLIC = "абвгдежзиклмнопрстуфхцчшэюя"


def unique_surname(stem: str) -> str:
    """A surname no demo patient has: `stem` plus letters derived from a fresh uuid."""
    suffix = "".join(CYRILLIC[byte % len(CYRILLIC)] for byte in uuid.uuid4().bytes[:6])
    return f"{stem}{suffix}"


def unique_mobile() -> str:
    """Seven random digits after a Moscow mobile code."""
    return "".join(random.choices("0123456789", k=7))


@pytest.fixture
def patients(page: Page) -> PatientListPage:
    return PatientListPage(page).open()


class TestRegisterPatient:
    def test_registered_patient_is_found_by_surname_and_by_phone_typed_otherwise(
        self, patients: PatientListPage
    ) -> None:
        surname, digits = unique_surname("Проверкина"), unique_mobile()
        patients.register(
            surname=surname,
            given_name="Мария",
            patronymic="Петровна",
            sex="Ж",
            birth_date="15.03.1985",
            phone=f"+7 916 {digits[:3]}-{digits[3:5]}-{digits[5:]}",
            email=f"{surname.lower()}@example.ru".replace("ё", "е"),
        )
        patients.expect_notification("Пациент зарегистрирован")
        expect(patients.table).to_contain_text(surname)

        [by_surname] = patients.search(surname)
        assert by_surname.full_name == f"{surname} Мария Петровна"
        assert (by_surname.sex, by_surname.birth_date) == ("Ж", "15.03.1985")
        assert by_surname.phone == f"+7 916 {digits[:3]}-{digits[3:5]}-{digits[5:]}"

        by_phone = patients.search(f"8 (916) {digits[:3]} {digits[3:5]} {digits[5:]}")
        assert [row.full_name for row in by_phone] == [by_surname.full_name]

    def test_the_card_shows_the_registered_patient(self, patients: PatientListPage) -> None:
        surname, digits = unique_surname("Карточкин"), unique_mobile()
        patients.register(surname=surname, given_name="Олег", sex="М", phone=f"8916{digits}")
        patients.expect_notification("Пациент зарегистрирован")

        card = patients.open_patient(f"{surname} Олег")

        expect(card).to_contain_text(f"+7 916 {digits[:3]}-{digits[3:5]}-{digits[5:]}")
        expect(card).to_contain_text("активен")


class TestInvalidRegistration:
    def test_invalid_phone_is_named_under_its_field_and_nothing_is_stored(
        self, patients: PatientListPage
    ) -> None:
        total_before = patients.total()
        surname = unique_surname("Ошибкина")

        dialog = patients.register(surname=surname, given_name="Анна", phone="12345")

        expect(dialog.error("phone")).to_contain_text("Неверный номер телефона")
        assert dialog.fields_in_error() == {"phone"}
        dialog.cancel()
        assert patients.search(surname) == []
        assert patients.total() == total_before


class TestPaging:
    def test_next_page_shows_other_demo_patients_and_back_returns(
        self, patients: PatientListPage
    ) -> None:
        first = patients.rows()
        second = patients.next_page()
        back = patients.previous_page()

        assert len(first) == PAGE_SIZE
        assert second
        assert not {row.full_name for row in first} & {row.full_name for row in second}
        assert back == first
        assert first[0].status == "активен"
