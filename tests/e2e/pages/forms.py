"""Page object of a form's fields: found by test id `{prefix}-{name}`, with the message the
screen shows under each."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class FormFields:
    def __init__(self, page: Page, prefix: str) -> None:
        self.page = page
        self.prefix = prefix

    def field(self, name: str) -> Locator:
        return self.page.get_by_test_id(f"{self.prefix}-{name}")

    def fill(self, name: str, value: str) -> None:
        self.field(name).fill(value)

    def choose(self, name: str, option: str) -> None:
        """Picks `option` (as shown) in a drop-down field."""
        self.field(name).click()
        self.page.get_by_role("option", name=option, exact=True).click()

    def error(self, name: str) -> Locator:
        """The error message shown under a field (not its hint)."""
        return self._box(name).locator(".q-field__messages [role=alert]")

    def fields_in_error(self, names: tuple[str, ...]) -> set[str]:
        """Which of `names` are marked invalid right now."""
        return {name for name in names if "q-field--error" in self._box_classes(name)}

    def _box(self, name: str) -> Locator:
        return self.page.locator(".q-field").filter(has=self.field(name))

    def _box_classes(self, name: str) -> str:
        return self._box(name).get_attribute("class") or ""
