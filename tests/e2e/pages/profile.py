"""Page object of the unified patient profile: its tabs, the edit form, the contact, consent
and tag forms, and archive/restore."""

from __future__ import annotations

from uuid import UUID

from playwright.sync_api import Locator, Page, expect

from tests.e2e.pages.forms import FormFields

CORRECTABLE = (
    "surname", "given_name", "patronymic", "sex", "birth_date",
    "city", "address", "postcode", "time_zone",
)  # fmt: skip


class EditDialog:
    """The personal data form."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.form = FormFields(page, "edit")

    def fill(self, *, sex: str | None = None, **typed: str) -> EditDialog:
        for name, value in typed.items():
            self.form.fill(name, value)
        if sex is not None:
            self.form.choose("sex", sex)
        return self

    def save(self) -> None:
        self.page.get_by_test_id("edit-submit").click()

    def error(self, name: str) -> Locator:
        return self.form.error(name)

    def fields_in_error(self) -> set[str]:
        return self.form.fields_in_error(CORRECTABLE)

    def cancel(self) -> None:
        self.page.get_by_test_id("edit-cancel").click()
        self.expect_closed()

    def expect_closed(self) -> None:
        expect(self.page.get_by_test_id("edit-submit")).to_be_hidden()


class StatusDialog:
    """The confirmation of archiving or restoring the patient, with its comment."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.form = FormFields(page, "status-dialog")

    def confirm(self, comment: str = "") -> None:
        self.form.fill("comment", comment)
        self.page.get_by_test_id("status-dialog-confirm").click()

    def error(self) -> Locator:
        return self.form.error("comment")

    def cancel(self) -> None:
        self.page.get_by_test_id("status-dialog-cancel").click()
        expect(self.page.get_by_test_id("status-dialog-confirm")).to_be_hidden()

    def expect_closed(self) -> None:
        expect(self.page.get_by_test_id("status-dialog-confirm")).to_be_hidden()


class ProfilePage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.title = page.get_by_test_id("screen-title")
        self.status = page.get_by_test_id("patient-status")
        self.contacts = page.get_by_test_id("contacts")
        self.consents = page.get_by_test_id("consents")
        self.tags = page.get_by_test_id("tags")
        self.history = page.get_by_test_id("history")
        self.contact_form = FormFields(page, "contact")
        self.consent_form = FormFields(page, "consent")
        self.tag_form = FormFields(page, "tag")

    def open(self, patient_id: UUID) -> ProfilePage:
        self.page.goto(f"/patients/{patient_id}")
        return self.loaded()

    def loaded(self) -> ProfilePage:
        """Waits until the UI's connection is up and the overview is shown."""
        self.page.wait_for_function("window.did_handshake === true")
        expect(self.page.get_by_test_id("patient-overview")).to_be_visible()
        return self

    def tab(self, name: str) -> Locator:
        """Opens a tab (overview, contacts, relations, tags, sources, history); its panel."""
        self.page.get_by_test_id(f"tab-{name}").click()
        panel = self.page.get_by_test_id(f"panel-{name}")
        expect(panel).to_be_visible()
        return panel

    def overview(self, field: str) -> Locator:
        """The value shown for `field` on the overview tab."""
        return self.page.get_by_test_id(f"overview-{field}")

    def edit(self, **fields: str) -> EditDialog:
        """Opens the personal data form on the overview, fills it and saves."""
        self.tab("overview")
        self.page.get_by_test_id("edit-patient").click()
        dialog = EditDialog(self.page)
        dialog.fill(**fields).save()
        return dialog

    def add_contact(self, kind: str, value: str) -> None:
        """On the contacts tab: `kind` as shown (Телефон, Email, Telegram, WhatsApp)."""
        self.contact_form.choose("kind", kind)
        self.contact_form.fill("value", value)
        self.page.get_by_test_id("contact-add").click()

    def remove_contact(self, shown: str) -> None:
        row = self.contacts.locator("tbody tr").filter(has_text=shown)
        row.get_by_role("button", name="Удалить").click()

    def grant_consent(self, channel: str, purpose: str, source: str, evidence: str) -> None:
        """On the contacts tab, each choice as shown."""
        self.consent_form.choose("channel", channel)
        self.consent_form.choose("purpose", purpose)
        self.consent_form.choose("source", source)
        self.consent_form.fill("evidence", evidence)
        self.page.get_by_test_id("consent-grant").click()

    def withdraw_consent(self, channel: str) -> None:
        row = self.consents.locator("tbody tr").filter(has_text=channel)
        row.get_by_role("button", name="Отозвать").click()

    def add_tag(self, tag: str) -> None:
        self.tag_form.fill("input", tag)
        self.page.get_by_test_id("tag-add").click()

    def tag_names(self) -> Locator:
        return self.tags.locator(".q-chip__content")

    def remove_tag(self, tag: str) -> None:
        chip = self.tags.locator(".q-chip").filter(has_text=tag)
        chip.locator(".q-chip__icon--remove").click()

    def archive(self) -> StatusDialog:
        self.page.get_by_test_id("archive-patient").click()
        return StatusDialog(self.page)

    def restore(self) -> StatusDialog:
        self.page.get_by_test_id("restore-patient").click()
        return StatusDialog(self.page)

    def history_rows(self) -> list[list[str]]:
        """(when, who, what, details) of each change, newest first."""
        self.tab("history")
        return [
            row.locator("td").all_inner_texts() for row in self.history.locator("tbody tr").all()
        ]

    def changes(self) -> list[str]:
        return [what for _, _, what, _ in self.history_rows()]
