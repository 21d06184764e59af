"""Page objects of the patient screens: the patient list, the registration dialog, the card."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

TEXT_FIELDS = ("surname", "given_name", "patronymic", "birth_date", "phone", "email")


@dataclass(frozen=True)
class PatientRow:
    """One row of the patient table, as displayed."""

    full_name: str
    sex: str
    birth_date: str
    phone: str
    email: str
    status: str


class RegistrationDialog:
    def __init__(self, page: Page) -> None:
        self.page = page

    def fill(
        self,
        *,
        surname: str,
        given_name: str,
        patronymic: str = "",
        sex: str | None = None,
        birth_date: str = "",
        phone: str = "",
        email: str = "",
    ) -> RegistrationDialog:
        """Types into every field; `sex` is the button's label, Ж or М."""
        typed = (surname, given_name, patronymic, birth_date, phone, email)
        for name, value in zip(TEXT_FIELDS, typed, strict=True):
            self.field(name).fill(value)
        if sex is not None:
            self.page.get_by_test_id("register-sex").get_by_role("button", name=sex).click()
        return self

    def submit(self) -> None:
        self.page.get_by_test_id("register-submit").click()

    def field(self, name: str) -> Locator:
        return self.page.get_by_test_id(f"register-{name}")

    def error(self, name: str) -> Locator:
        """The message shown under a field."""
        return self._box(name).locator(".q-field__messages")

    def fields_in_error(self) -> set[str]:
        """The text fields marked invalid right now."""
        return {name for name in TEXT_FIELDS if "q-field--error" in self._box_classes(name)}

    def _box(self, name: str) -> Locator:
        return self.page.locator(".q-field").filter(has=self.field(name))

    def _box_classes(self, name: str) -> str:
        return self._box(name).get_attribute("class") or ""

    def cancel(self) -> None:
        self.page.get_by_role("button", name="Отмена").click()
        expect(self.page.get_by_test_id("register-submit")).to_be_hidden()


class PatientListPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.table = page.get_by_test_id("patients")
        self.search_input = page.get_by_test_id("patient-search")

    def open(self) -> PatientListPage:
        """Loads `/` and waits until the UI's connection is up and the first page is shown."""
        self.page.goto("/")
        self.page.wait_for_function("window.did_handshake === true")
        expect(self.table).to_have_attribute("data-page", "1")
        return self

    def search(self, text: str) -> list[PatientRow]:
        """Types `text` and waits until the table shows the results of exactly that search."""
        self.search_input.fill(text)
        expect(self.table).to_have_attribute("data-query", text)
        return self.rows()

    def register(self, **fields: str) -> RegistrationDialog:
        """Opens the form, fills it and submits it (see `RegistrationDialog.fill`)."""
        self.page.get_by_test_id("new-patient").click()
        dialog = RegistrationDialog(self.page)
        dialog.fill(**fields).submit()
        return dialog

    def next_page(self) -> list[PatientRow]:
        return self._turn_page("next-page", +1)

    def previous_page(self) -> list[PatientRow]:
        return self._turn_page("previous-page", -1)

    def page_number(self) -> int:
        return int(self.table.get_attribute("data-page") or 0)

    def total(self) -> str:
        return self.page.get_by_test_id("patient-count").inner_text()

    def rows(self) -> list[PatientRow]:
        return [
            PatientRow(*row.locator("td").all_inner_texts())
            for row in self.table.locator("tbody tr").all()
        ]

    def open_patient(self, full_name: str) -> Locator:
        """Follows the patient's name to the card and returns the card."""
        self.table.get_by_role("link", name=full_name).click()
        card = self.page.get_by_test_id("patient-card")
        expect(card).to_be_visible()
        return card

    def expect_notification(self, text: str) -> None:
        expect(self.page.locator(".q-notification").filter(has_text=text)).to_be_visible()

    def _turn_page(self, button: str, step: int) -> list[PatientRow]:
        expected = self.page_number() + step
        self.page.get_by_test_id(button).click()
        expect(self.table).to_have_attribute("data-page", str(expected))
        return self.rows()
