"""Journeys through the sign-in: each role lands where its permissions allow, and no further."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages.sign_in import SignInPage
from tests.e2e.serving import RunningServer

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_a_wrong_password_is_refused_with_a_message(
    anonymous_page: Page, server: RunningServer
) -> None:
    username, _ = server.demo_user("marketer")
    sign_in = SignInPage(anonymous_page).open()
    sign_in.sign_in(username, "not the password")
    expect(sign_in.error).to_have_text("Неверное имя пользователя или пароль")
    expect(anonymous_page.get_by_test_id("patients")).to_have_count(0)


def test_a_screen_asks_for_sign_in_and_returns_to_it_afterwards(
    anonymous_page: Page, server: RunningServer
) -> None:
    anonymous_page.goto("/audit")
    expect(anonymous_page).to_have_url(re.compile(r"/login\?next=%2Faudit$"))
    SignInPage(anonymous_page).sign_in(*server.demo_user("admin"))
    expect(anonymous_page).to_have_url(re.compile(r"/audit$"))


def test_the_signed_in_user_is_shown_and_can_sign_out(page: Page) -> None:
    expect(page.get_by_test_id("signed-in-user")).to_contain_text("demo-admin")
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))


def test_the_call_centre_sees_patients_but_not_the_audit_trail(
    anonymous_page: Page, server: RunningServer
) -> None:
    SignInPage(anonymous_page).open().sign_in(*server.demo_user("call_centre"))
    expect(anonymous_page.get_by_test_id("patients")).to_be_visible()
    expect(anonymous_page.get_by_role("link", name="Журнал действий")).to_have_count(0)
    anonymous_page.goto("/audit")
    expect(anonymous_page.get_by_test_id("forbidden")).to_be_visible()


def test_the_analyst_is_sent_to_the_pseudonymised_view(
    anonymous_page: Page, server: RunningServer
) -> None:
    SignInPage(anonymous_page).open().sign_in(*server.demo_user("analyst"))
    expect(anonymous_page).to_have_url(re.compile(r"/analytics/patients$"))
    expect(anonymous_page.get_by_role("link", name="Пациенты", exact=True)).to_have_count(0)
