"""Page object of the sign-in form."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class SignInPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self, path: str = "/login") -> SignInPage:
        self.page.goto(path)
        self.page.get_by_test_id("sign-in-form").wait_for()
        return self

    def sign_in(self, username: str, password: str) -> None:
        self.page.get_by_test_id("sign-in-username").fill(username)
        self.page.get_by_test_id("sign-in-password").fill(password)
        self.page.get_by_test_id("sign-in-submit").click()

    @property
    def error(self) -> Locator:
        return self.page.get_by_test_id("sign-in-error")
