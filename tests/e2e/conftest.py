"""E2E fixtures: the real `clinic serve` (projections and embedded worker) and headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.pages.sign_in import SignInPage
from tests.e2e.serving import (
    CLI,
    RunningServer,
    free_port,
    load_demo_patients,
    server_env,
    stop,
    wait_until_healthy,
)
from tests.services import services_required

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_executable() -> str | None:
    """Chromium from CLINIC_CHROMIUM or the PATH; Playwright's own browsers are not installed."""
    candidate = os.environ.get("CLINIC_CHROMIUM") or shutil.which("chromium")
    return candidate if candidate and Path(candidate).is_file() else None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        message = "chromium is not installed (apt-get install chromium)"
        if services_required():
            pytest.fail(message + " (services are required: CLINIC_REQUIRE_SERVICES/CI)")
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """`clinic serve` on a free loopback port over a fresh SQLite database with demo patients."""
    directory = tmp_path_factory.mktemp("e2e")
    env = server_env(directory)
    credentials = directory / "demo-users.txt"
    load_demo_patients(env, credentials)
    port = free_port()
    log = directory / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its worker child shares the group, so a hung stop kills both
        )
    running = RunningServer(f"http://127.0.0.1:{port}", log, credentials)
    try:
        wait_until_healthy(running, process)
        yield running
    finally:
        stop(process)


@pytest.fixture
def anonymous_page(browser: Browser, server: RunningServer) -> Iterator[Page]:
    """A fresh browser tab that has not signed in."""
    context = browser.new_context(
        base_url=server.url, locale="ru-RU", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page(anonymous_page: Page, server: RunningServer) -> Page:
    """A browser tab signed in as the demo administrator."""
    SignInPage(anonymous_page).open().sign_in(*server.demo_user("admin"))
    anonymous_page.wait_for_url("**/")
    return anonymous_page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed e2e test carries the server's log in its report."""
    report = yield
    server = getattr(item, "funcargs", {}).get("server")
    if report.failed and isinstance(server, RunningServer):
        report.sections.append(("clinic serve log", server.log_text()))
    return report
