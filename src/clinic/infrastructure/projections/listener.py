"""Wakes projections when another process saves events (PostgreSQL LISTEN/NOTIFY).

The library's PostgreSQL recorder NOTIFYs a channel per application on every insert; without this
listener a projection in a separate process would only see new events at its next poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)
STOP_CHECK_INTERVAL = 0.2


class PostgresNotificationListener:
    def __init__(self, conninfo: str, channel: str, on_notify: Callable[[], None]) -> None:
        self._conninfo = conninfo
        self._channel = channel
        self._on_notify = on_notify
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._listen, name=f"listen-{channel}", daemon=True)

    def start(self, ready_timeout: float = 5.0) -> None:
        """Starts listening; returns once LISTEN is in place, so no later commit goes unheard."""
        self._thread.start()
        self._listening.wait(ready_timeout)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _listen(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                    self._listening.set()
                    self._on_notify()  # anything committed while (re)connecting
                    while not self._stopping.is_set():
                        for _ in connection.notifies(timeout=STOP_CHECK_INTERVAL):
                            self._on_notify()
            except psycopg.Error:
                log.warning("notification listener lost its connection; reconnecting")
                self._stopping.wait(1.0)
