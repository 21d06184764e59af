"""Health checks of everything the process depends on."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from celery import Celery
from sqlalchemy import Engine, text

from clinic.application.shared.eventsourced import ContextApplication

log = logging.getLogger(__name__)


class HealthChecks:
    def __init__(
        self, engine: Engine, applications: Mapping[str, ContextApplication], celery: Celery
    ) -> None:
        self._engine = engine
        self._applications = applications
        self._celery = celery

    def run(self) -> dict[str, str]:
        results = {"database": self._check(self._database)}
        for name, application in self._applications.items():
            results[f"event_store:{name}"] = self._check(application.recorder.max_notification_id)
        results["broker"] = self._check(self._broker)
        return results

    def _database(self) -> None:
        with self._engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def _broker(self) -> None:
        with self._celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            if str(self._celery.conf.broker_url).startswith("sqla+"):
                # kombu's SQL transport connects lazily: make it touch its tables.
                queue = self._celery.conf.task_default_queue
                connection.default_channel.queue_declare(queue=queue, passive=False)

    @staticmethod
    def _check(probe: object) -> str:
        try:
            probe()  # type: ignore[operator]
        except Exception as error:  # noqa: BLE001 - any failure means unhealthy
            log.warning("health check failed", extra={"error": repr(error)})
            return f"error: {type(error).__name__}"
        return "ok"
