"""The unified patient profile in a real browser against the real server: each tab, and each
change made from it."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.clinic_api import ClinicApi
from tests.e2e.pages.profile import ProfilePage
from tests.e2e.pages.sign_in import SignInPage
from tests.e2e.people import shown_mobile, unique_mobile, unique_surname
from tests.e2e.serving import RunningServer

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture
def api(server: RunningServer) -> Iterator[ClinicApi]:
    with ClinicApi(server) as api:
        yield api


@pytest.fixture
def patient(api: ClinicApi) -> tuple[UUID, str]:
    """A new patient: id and full name."""
    surname = unique_surname("Профилева")
    patient_id = api.register(surname=surname, given_name="Анна", sex="F", birth_date="15.03.1985")
    return patient_id, f"{surname} Анна"


@pytest.fixture
def profile(page: Page, patient: tuple[UUID, str]) -> ProfilePage:
    return ProfilePage(page).open(patient[0])


class TestProfileTabs:
    def test_each_tab_shows_its_part_of_the_profile(self, page: Page, api: ClinicApi) -> None:
        surname, digits = unique_surname("Семейная"), unique_mobile()
        mother = api.register(surname=surname, given_name="Мария", phone=f"8916{digits}")
        child = api.register(
            surname=surname,
            given_name="Ева",
            sex="F",
            birth_date="2018-06-01",
            email=f"eva{digits}@example.ru",
        )
        api.link_representative(child, mother)
        api.link_source_record(child, "mis", "MIS-42")
        api.tag(child, "VIP")
        api.grant_consent(child, "email", "marketing", "paper_form", "Анкета № 7")

        profile = ProfilePage(page).open(child)

        expect(profile.title).to_have_text(f"{surname} Ева")
        expect(profile.overview("birth_date")).to_have_text("01.06.2018")
        expect(profile.overview("sex")).to_have_text("Ж")
        expect(profile.status).to_have_text("активен")
        profile.tab("contacts")
        expect(profile.contacts).to_contain_text(f"eva{digits}@example.ru")
        consent = profile.consents.locator("tbody tr")
        for shown in ("Email", "маркетинг", "дано", "бумажная анкета", "Анкета № 7"):
            expect(consent).to_contain_text(shown)
        profile.tab("tags")
        expect(profile.tag_names()).to_have_text(["vip"])
        sources = profile.tab("sources")
        expect(sources).to_contain_text("МИС")
        expect(sources).to_contain_text("MIS-42")
        changes = profile.changes()
        assert changes[:3] == ["Дано согласие", "Добавлена метка", "Связана запись источника"]
        assert changes[-1] == "Регистрация"
        assert {who for _, who, _, _ in profile.history_rows()[:4]} == {"demo-admin"}

        relations = profile.tab("relations")
        relations.get_by_role("link", name=f"{surname} Мария").click()
        expect(profile.title).to_have_text(f"{surname} Мария")
        profile.loaded().tab("relations")
        expect(page.get_by_test_id("dependants")).to_contain_text(f"{surname} Ева")
        profile.tab("contacts")
        expect(profile.contacts).to_contain_text(shown_mobile(digits))


class TestEditPersonalData:
    def test_an_invalid_birth_date_is_named_under_its_field_and_nothing_is_saved(
        self, profile: ProfilePage
    ) -> None:
        dialog = profile.edit(birth_date="31.02.1990", city="Тверь")

        expect(dialog.error("birth_date")).to_contain_text("Дата в формате ДД.ММ.ГГГГ")
        assert dialog.fields_in_error() == {"birth_date"}
        dialog.cancel()
        expect(profile.overview("birth_date")).to_have_text("15.03.1985")
        expect(profile.overview("city")).to_have_text("—")
        assert profile.changes() == ["Регистрация"]

    def test_a_corrected_birth_date_is_saved_and_shown_with_its_change(
        self, profile: ProfilePage
    ) -> None:
        dialog = profile.edit(birth_date="31.02.1990")
        expect(dialog.error("birth_date")).to_be_visible()

        dialog.fill(birth_date="28.02.1990", city="Тверь").save()

        dialog.expect_closed()
        expect(profile.overview("birth_date")).to_have_text("28.02.1990")
        expect(profile.overview("city")).to_have_text("Тверь")
        [_, who, what, details] = profile.history_rows()[0]
        assert (who, what) == ("demo-admin", "Исправлены личные данные")
        assert details == "Дата рождения, Город: Тверь"

    def test_a_required_name_cannot_be_cleared(self, profile: ProfilePage) -> None:
        dialog = profile.edit(given_name="")

        expect(dialog.error("given_name")).to_contain_text("Обязательное поле")
        dialog.cancel()
        expect(profile.overview("full_name")).to_contain_text("Анна")


class TestContactPoints:
    def test_a_phone_typed_in_the_8_form_is_shown_in_international_form(
        self, profile: ProfilePage
    ) -> None:
        digits = unique_mobile()
        profile.tab("contacts")

        profile.add_contact("Телефон", f"8 (916) {digits[:3]}-{digits[3:5]}-{digits[5:]}")

        row = profile.contacts.locator("tbody tr").filter(has_text=shown_mobile(digits))
        expect(row).to_contain_text("Телефон")
        expect(row).to_contain_text("вручную")
        expect(profile.contact_form.field("value")).to_have_value("")

    def test_an_invalid_phone_is_named_under_its_field_and_a_contact_can_be_removed(
        self, profile: ProfilePage
    ) -> None:
        profile.tab("contacts")
        profile.add_contact("Телефон", "12345")
        expect(profile.contact_form.error("value")).to_contain_text("Неверный номер телефона")
        expect(profile.contacts).to_contain_text("Контактов нет")

        profile.add_contact("Email", "Anna@Example.RU")
        expect(profile.contacts).to_contain_text("Anna@example.ru")
        profile.remove_contact("Anna@example.ru")
        expect(profile.contacts).to_contain_text("Контактов нет")
        assert profile.changes()[:2] == ["Удалён контакт", "Добавлен контакт"]


class TestConsents:
    def test_a_granted_consent_shows_its_source_and_evidence_and_can_be_withdrawn(
        self, profile: ProfilePage
    ) -> None:
        profile.tab("contacts")

        profile.grant_consent("SMS", "маркетинг", "бумажная анкета", "Анкета № 15")

        row = profile.consents.locator("tbody tr").filter(has_text="SMS")
        for shown in ("маркетинг", "дано", "бумажная анкета", "Анкета № 15"):
            expect(row).to_contain_text(shown)
        profile.withdraw_consent("SMS")
        expect(row).to_contain_text("отозвано")
        expect(row).to_contain_text("вручную")


class TestTags:
    def test_a_tag_is_added_normalised_and_removed(self, profile: ProfilePage) -> None:
        profile.tab("tags")

        profile.add_tag("  Контрастная  КТ ")
        expect(profile.tag_names()).to_have_text(["контрастная кт"])

        profile.remove_tag("контрастная кт")
        expect(profile.tags).to_have_text("Меток нет")
        assert profile.changes()[:2] == ["Снята метка", "Добавлена метка"]


class TestArchive:
    def test_archiving_needs_a_comment_and_restoring_makes_the_patient_active(
        self, profile: ProfilePage
    ) -> None:
        dialog = profile.archive()
        dialog.confirm(comment="   ")
        expect(dialog.error()).to_contain_text("Обязательное поле")
        dialog.cancel()
        expect(profile.status).to_have_text("активен")

        profile.archive().confirm(comment="Дубликат карты из регистратуры")
        expect(profile.status).to_have_text("в архиве")
        expect(profile.overview("archive_comment")).to_have_text("Дубликат карты из регистратуры")

        profile.restore().confirm()
        expect(profile.status).to_have_text("активен")
        expect(profile.overview("archive_comment")).to_have_count(0)
        assert profile.changes()[:2] == ["Восстановлен из архива", "В архив"]


class TestReadOnlyProfile:
    def test_a_marketer_sees_the_profile_but_no_form_that_changes_it(
        self, anonymous_page: Page, server: RunningServer, patient: tuple[UUID, str]
    ) -> None:
        SignInPage(anonymous_page).open().sign_in(*server.demo_user("marketer"))
        anonymous_page.wait_for_url("**/")
        profile = ProfilePage(anonymous_page).open(patient[0])

        expect(profile.title).to_have_text(patient[1])
        for hidden in ("edit-patient", "archive-patient"):
            expect(anonymous_page.get_by_test_id(hidden)).to_be_hidden()
        profile.tab("contacts")
        expect(anonymous_page.get_by_test_id("contact-add")).to_be_hidden()
        expect(anonymous_page.get_by_test_id("consent-grant")).to_be_hidden()
        profile.tab("tags")
        expect(anonymous_page.get_by_test_id("tag-add")).to_be_hidden()
