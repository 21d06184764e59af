"""`clinic serve` starts its embedded worker with itself and leaves none behind when stopped."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.serving import CLI, RunningServer, free_port, server_env, wait_until_healthy

WORKER_START_TIMEOUT = 30.0
WORKER_EXIT_TIMEOUT = 20.0


def workers_in_group(group: int) -> list[int]:
    """Pids of `clinic ... worker` processes in the process group `group` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[2]) == group and b"worker" in cmdline:
            found.append(int(stat.parent.name))
    return found


def wait_for(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


@pytest.mark.e2e
@pytest.mark.xdist_group("e2e")
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
class TestServeLifecycle:
    def test_sigterm_stops_the_server_and_its_worker(self, tmp_path: Path) -> None:
        port = free_port()
        log = tmp_path / "serve.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [*CLI, "serve", "--port", str(port)],
                env=server_env(tmp_path),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_healthy(
                RunningServer(f"http://127.0.0.1:{port}", log, tmp_path / "users.txt"), process
            )
            assert wait_for(lambda: workers_in_group(process.pid), WORKER_START_TIMEOUT)

            process.terminate()
            process.wait(timeout=WORKER_EXIT_TIMEOUT)

            assert wait_for(lambda: not workers_in_group(process.pid), WORKER_EXIT_TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
            for pid in workers_in_group(process.pid):
                subprocess.run(["kill", "-9", str(pid)], check=False)
