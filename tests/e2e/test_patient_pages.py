"""The patient screens in a real browser against the real server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.clinic_api import ClinicApi
from tests.e2e.pages.patients import PatientListPage, PatientRow
from tests.e2e.people import shown_mobile, unique_mobile, unique_surname
from tests.e2e.serving import RunningServer

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PAGE_SIZE = 25


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
            phone=shown_mobile(digits),
            email=f"{surname.lower()}@example.ru".replace("ё", "е"),
        )
        patients.expect_notification("Пациент зарегистрирован")
        expect(patients.table).to_contain_text(surname)

        [by_surname] = patients.search(surname)
        assert by_surname.full_name == f"{surname} Мария Петровна"
        assert (by_surname.sex, by_surname.birth_date) == ("Ж", "15.03.1985")
        assert by_surname.phone == shown_mobile(digits)

        by_phone = patients.search(f"8 (916) {digits[:3]} {digits[3:5]} {digits[5:]}")
        assert [row.full_name for row in by_phone] == [by_surname.full_name]

    def test_the_profile_shows_the_registered_patient_with_the_place_given(
        self, patients: PatientListPage
    ) -> None:
        surname, digits = unique_surname("Карточкин"), unique_mobile()
        patients.register(
            surname=surname,
            given_name="Олег",
            sex="М",
            phone=f"8916{digits}",
            city="Казань",
            address="ул. Баумана, 1",
            postcode="420 111",
        )
        patients.expect_notification("Пациент зарегистрирован")

        profile = patients.open_patient(f"{surname} Олег")

        expect(profile.title).to_have_text(f"{surname} Олег")
        expect(profile.status).to_have_text("активен")
        expect(profile.overview("city")).to_have_text("Казань")
        expect(profile.overview("postcode")).to_have_text("420111")
        profile.tab("contacts")
        expect(profile.contacts).to_contain_text(shown_mobile(digits))


class TestInvalidRegistration:
    def test_invalid_phone_is_named_under_its_field_and_nothing_is_stored(
        self, patients: PatientListPage
    ) -> None:
        found_before = patients.found()
        surname = unique_surname("Ошибкина")

        dialog = patients.register(surname=surname, given_name="Анна", phone="12345")

        expect(dialog.error("phone")).to_contain_text("Неверный номер телефона")
        assert dialog.fields_in_error() == {"phone"}
        dialog.cancel()
        assert patients.search(surname) == []
        patients.expect_found("Найдено пациентов: 0")
        patients.search("")
        patients.expect_found(found_before)

    def test_every_invalid_field_is_named_at_once(self, patients: PatientListPage) -> None:
        dialog = patients.register(
            surname=unique_surname("Ошибкин"),
            given_name="Иван",
            birth_date="31.02.1990",
            postcode="12",
        )

        expect(dialog.error("birth_date")).to_contain_text("Дата в формате ДД.ММ.ГГГГ")
        expect(dialog.error("postcode")).to_contain_text("Индекс — шесть цифр")
        assert dialog.fields_in_error() == {"birth_date", "postcode"}


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


class TestBulkArchive:
    def test_ticked_patients_are_archived_after_a_confirmation_with_their_count_and_a_comment(
        self, patients: PatientListPage, server: RunningServer
    ) -> None:
        surname = unique_surname("Архивова")
        names = [f"{surname} {given}" for given in ("Анна", "Вера", "Ольга")]
        with ClinicApi(server) as api:
            for name in names:
                api.register(surname=surname, given_name=name.split()[-1])
        assert len(patients.search(surname)) == 3

        patients.tick(*names)
        expect(patients.selected_count).to_have_text("Выбрано: 3")
        dialog = patients.bulk("archive")
        expect(dialog.question).to_have_text("Архивировать 3 пациентов?")
        dialog.confirm(comment="")
        expect(dialog.error()).to_contain_text("Обязательное поле")
        assert {row.status for row in patients.rows()} == {"активен"}

        dialog.confirm(comment="Переехали в другой город")
        dialog.expect_closed()
        patients.expect_notification("Архивировано пациентов: 3")
        expect(patients.table).to_contain_text("в архиве")
        assert {row.status for row in patients.rows()} == {"в архиве"}
        expect(patients.selected_count).to_have_text("Выбрано: 0")

    def test_ticked_archived_patients_are_restored(
        self, patients: PatientListPage, server: RunningServer
    ) -> None:
        surname = unique_surname("Возвратова")
        with ClinicApi(server) as api:
            ids = [api.register(surname=surname, given_name=g) for g in ("Анна", "Вера")]
            api.archive(ids, "Ошибка регистратора")
        patients.search(surname)
        expect(patients.table).to_contain_text("в архиве")

        patients.tick(f"{surname} Анна")
        dialog = patients.bulk("restore")
        expect(dialog.question).to_have_text("Восстановить 1 пациента?")
        dialog.confirm()

        dialog.expect_closed()
        expect(patients.row(f"{surname} Анна")).to_contain_text("активен")
        expect(patients.row(f"{surname} Вера")).to_contain_text("в архиве")


class TestFilters:
    @pytest.fixture
    def family(self, server: RunningServer) -> tuple[str, str]:
        """Three patients of a new surname, two of them (Анна, Вера) with a new tag, Анна
        with a marketing SMS consent: (surname, tag)."""
        surname, tag = unique_surname("Фильтрова"), unique_surname("метка-").lower()
        with ClinicApi(server) as api:
            anna = api.register(
                surname=surname, given_name="Анна", sex="F", birth_date="1950-05-01"
            )
            api.register(surname=surname, given_name="Борис", sex="M", birth_date="1990-05-01")
            vera = api.register(
                surname=surname, given_name="Вера", sex="F", birth_date="2000-05-01"
            )
            for patient_id in (anna, vera):
                api.tag(patient_id, tag)
            api.grant_consent(anna, "sms", "marketing", "manual", "Анкета")
        return surname, tag

    def test_each_filter_narrows_the_list_and_its_count(
        self, patients: PatientListPage, family: tuple[str, str]
    ) -> None:
        surname, tag = family
        assert len(patients.search(surname)) == 3

        assert names(patients.filter(sex="Ж")) == ["Анна", "Вера"]
        assert names(patients.filter(age_from="30")) == ["Анна"]
        patients.expect_found("Найдено пациентов: 1")
        assert names(patients.filter(age_from="", consent="SMS · маркетинг")) == ["Анна"]
        assert names(patients.filter(consent="любое", tag=tag.upper())) == ["Анна", "Вера"]
        assert names(patients.filter(sex="любой", sort="сначала младшие")) == ["Вера", "Анна"]

    def test_a_reversed_age_range_is_named_under_its_field_and_the_rows_stay(
        self, patients: PatientListPage, family: tuple[str, str]
    ) -> None:
        surname, _ = family
        patients.search(surname)
        patients.filter(age_from="50")

        patients.set_filter("age_to", "20")

        expect(patients.filters.error("age_to")).to_have_text("Конец диапазона раньше его начала")
        assert names(patients.rows()) == ["Анна"]

    def test_everyone_found_is_archived_after_a_confirmation_with_their_count(
        self, patients: PatientListPage, family: tuple[str, str]
    ) -> None:
        _, tag = family
        assert len(patients.filter(tag=tag)) == 2

        patients.choose_everyone_found()
        expect(patients.selected_count).to_have_text("Выбрано: 2")
        dialog = patients.bulk("archive")
        expect(dialog.question).to_have_text("Архивировать 2 пациентов?")
        dialog.confirm(comment="Акция закончилась")

        dialog.expect_closed()
        patients.expect_notification("Архивировано пациентов: 2")
        assert {row.status for row in patients.filter(status="в архиве")} == {"в архиве"}
        patients.expect_found("Найдено пациентов: 2")


def names(rows: list[PatientRow]) -> list[str]:
    """The given names of the rows, in order."""
    return [row.full_name.split()[1] for row in rows]
