"""Companion processes `clinic serve` starts and stops with itself (the embedded worker)."""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
STOP_TIMEOUT = 15.0


class EmbeddedWorker:
    """A `clinic worker` subprocess. Stopped on the server's shutdown; and because uvicorn
    re-raises SIGTERM after shutting down (skipping `finally` blocks), the kernel also
    terminates it if the server process dies first (PR_SET_PDEATHSIG on Linux)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "clinic.presentation.cli.main", "worker"]
        self._process = subprocess.Popen(command, preexec_fn=_die_with_parent)  # noqa: S603, PLW1509 - our own fixed command
        log.info("embedded worker started", extra={"pid": self._process.pid})

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        log.info("embedded worker stopped")


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
