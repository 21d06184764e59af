"""E2E fixtures: the real `clinic serve` (projections and embedded worker) and headless Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.services import services_required

STARTUP_TIMEOUT = 60.0
SHUTDOWN_TIMEOUT = 30.0
DEMO_PATIENTS = 50
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CLI = [sys.executable, "-m", "clinic.presentation.cli.main"]


@dataclass(frozen=True)
class RunningServer:
    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else "(no log)"


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
    env = _server_env(directory)
    _load_demo_patients(env)
    port = _free_port()
    log = directory / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its worker child shares the group, so a hung stop kills both
        )
    running = RunningServer(f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_healthy(running, process)
        yield running
    finally:
        _stop(process)


@pytest.fixture
def page(browser: Browser, server: RunningServer) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server.url, locale="ru-RU", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


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


def _server_env(directory: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CLINIC_DATABASE_URL": f"sqlite:///{directory / 'clinic.db'}",
        "CLINIC_EMBEDDED_WORKER": "1",
        "CLINIC_LOG_FORMAT": "console",
        "CLINIC_LOG_LEVEL": "INFO",
    }


def _load_demo_patients(env: dict[str, str]) -> None:
    result = subprocess.run(
        [*CLI, "demo", "--patients", str(DEMO_PATIENTS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"`clinic demo` failed:\n{result.stdout}\n{result.stderr}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(server: RunningServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`clinic serve` exited with {process.returncode}:\n{server.log_text()}")
        if _healthy(server.url):
            return
        time.sleep(0.25)
    pytest.fail(f"`clinic serve` not healthy after {STARTUP_TIMEOUT:.0f} s:\n{server.log_text()}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets `clinic serve` stop its worker itself; the group is killed only if it hangs."""
    process.terminate()
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
