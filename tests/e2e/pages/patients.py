"""Page objects of the patient list: the table, the registration dialog, bulk archive/restore."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from tests.e2e.pages.forms import FormFields
from tests.e2e.pages.profile import ProfilePage

TEXT_FIELDS = (
    "surname", "given_name", "patronymic", "birth_date", "phone", "email",
    "city", "address", "postcode",
)  # fmt: skip
SELECTION_CELL = ".q-table--col-auto-width"
DROP_DOWN_FILTERS = ("status", "sex", "consent", "sort")


@dataclass(frozen=True)
class PatientRow:
    """One row of the patient table, as displayed."""

    full_name: str
    sex: str
    birth_date: str
    phone: str
    email: str
    city: str
    status: str


class RegistrationDialog:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.form = FormFields(page, "register")

    def fill(self, *, sex: str | None = None, **typed: str) -> RegistrationDialog:
        """Types into the text fields named (TEXT_FIELDS); `sex` is the option, Ж or М."""
        for name, value in typed.items():
            self.form.fill(name, value)
        if sex is not None:
            self.form.choose("sex", sex)
        return self

    def submit(self) -> None:
        self.page.get_by_test_id("register-submit").click()

    def error(self, name: str) -> Locator:
        return self.form.error(name)

    def fields_in_error(self) -> set[str]:
        """The fields marked invalid right now."""
        return self.form.fields_in_error((*TEXT_FIELDS, "sex"))

    def cancel(self) -> None:
        self.page.get_by_test_id("register-cancel").click()
        expect(self.page.get_by_test_id("register-submit")).to_be_hidden()


class BulkDialog:
    """The confirmation of a bulk archive or restore, with its comment."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.form = FormFields(page, "bulk-dialog")
        self.question = page.get_by_test_id("bulk-dialog-question")

    def confirm(self, comment: str = "") -> None:
        self.form.fill("comment", comment)
        self.page.get_by_test_id("bulk-dialog-confirm").click()

    def error(self) -> Locator:
        return self.form.error("comment")

    def expect_closed(self) -> None:
        expect(self.page.get_by_test_id("bulk-dialog-confirm")).to_be_hidden()


class PatientListPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.table = page.get_by_test_id("patients")
        self.search_input = page.get_by_test_id("patient-search")
        self.selected_count = page.get_by_test_id("selected-count")
        self.filters = FormFields(page, "filter")

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

    def filter(self, **filters: str) -> list[PatientRow]:
        """Sets filters (drop-downs by the option shown, the rest typed; ages and days as
        text, days as YYYY-MM-DD) and waits until the table shows the result."""
        for name, value in filters.items():
            shown = self.table.get_attribute("data-filter") or ""
            self.set_filter(name, value)
            expect(self.table).not_to_have_attribute("data-filter", shown)
        return self.rows()

    def set_filter(self, name: str, value: str) -> None:
        """Sets one filter without waiting for the table (which keeps its rows when the filter
        is refused)."""
        if name in DROP_DOWN_FILTERS:
            self.filters.choose(name, value)
        else:
            self.filters.fill(name, value)

    def found(self) -> str:
        return self.page.get_by_test_id("patient-count").inner_text()

    def expect_found(self, text: str) -> None:
        """Waits for the count above the table (it may come a moment after the rows)."""
        expect(self.page.get_by_test_id("patient-count")).to_have_text(text)

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

    def rows(self) -> list[PatientRow]:
        return [
            PatientRow(*row.locator(f"td:not({SELECTION_CELL})").all_inner_texts())
            for row in self.table.locator("tbody tr").all()
        ]

    def row(self, full_name: str) -> Locator:
        return self.table.locator("tbody tr").filter(has_text=full_name)

    def tick(self, *full_names: str) -> None:
        """Ticks the rows of these patients."""
        for full_name in full_names:
            self.row(full_name).get_by_role("checkbox").click()

    def choose_everyone_found(self) -> None:
        self.page.get_by_test_id("bulk-all-found").click()

    def bulk(self, action: str) -> BulkDialog:
        """Presses the bulk `archive` or `restore` button; its dialog asks to confirm."""
        self.page.get_by_test_id(f"bulk-{action}").click()
        return BulkDialog(self.page)

    def open_patient(self, full_name: str) -> ProfilePage:
        """Follows the patient's name to their profile."""
        self.table.get_by_role("link", name=full_name).click()
        return ProfilePage(self.page).loaded()

    def expect_notification(self, text: str) -> None:
        expect(self.page.locator(".q-notification").filter(has_text=text)).to_be_visible()

    def _turn_page(self, button: str, step: int) -> list[PatientRow]:
        expected = self.page_number() + step
        self.page.get_by_test_id(button).click()
        expect(self.table).to_have_attribute("data-page", str(expected))
        return self.rows()
