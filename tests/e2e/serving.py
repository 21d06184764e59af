"""The real `clinic serve` as a subprocess, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 60.0
SHUTDOWN_TIMEOUT = 30.0
DEMO_PATIENTS = 50
CLI = [sys.executable, "-m", "clinic.presentation.cli.main"]


@dataclass(frozen=True)
class RunningServer:
    url: str
    log: Path
    credentials: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else "(no log)"

    def demo_user(self, role: str) -> tuple[str, str]:
        """(username, password) of the demo user `clinic demo` added for `role`."""
        username = f"demo-{role.replace('_', '-')}"
        for line in self.credentials.read_text("utf-8").splitlines():
            name, _, password = line.partition(" ")
            if name == username:
                return username, password
        raise LookupError(f"no demo user for {role} in {self.credentials}")


def server_env(directory: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CLINIC_DATABASE_URL": f"sqlite:///{directory / 'clinic.db'}",
        "CLINIC_EMBEDDED_WORKER": "1",
        "CLINIC_LOG_FORMAT": "console",
        "CLINIC_LOG_LEVEL": "INFO",
    }


def load_demo_patients(env: dict[str, str], credentials: Path) -> None:
    """Demo patients, and a demo user per role whose passwords go to `credentials`."""
    result = subprocess.run(
        [*CLI, "demo", "--patients", str(DEMO_PATIENTS), "--credentials-file", str(credentials)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"`clinic demo` failed:\n{result.stdout}\n{result.stderr}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(server: RunningServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`clinic serve` exited with {process.returncode}:\n{server.log_text()}")
        if healthy(server.url):
            return
        time.sleep(0.25)
    pytest.fail(f"`clinic serve` not healthy after {STARTUP_TIMEOUT:.0f} s:\n{server.log_text()}")


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets `clinic serve` stop its worker itself; the group is killed only if it hangs."""
    process.terminate()
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
