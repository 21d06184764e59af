"""Health checks of database, event stores and broker report, never raise."""

from __future__ import annotations

import time

import pytest

from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import build_container, close_container

EXPECTED_CHECKS = {"database", "event_store:patients", "event_store:audit", "broker"}


def health_with_broker(settings: Settings, broker_url: str | None) -> dict[str, str]:
    container = build_container(settings.model_copy(update={"broker_url": broker_url}))
    try:
        return container.health_checks().run()
    finally:
        close_container(container)


class TestHealthyInstallation:
    @pytest.mark.redis
    def test_with_redis_as_broker_reports_every_check_ok(
        self, settings: Settings, redis_url: str
    ) -> None:
        report = health_with_broker(settings, redis_url)

        assert report == dict.fromkeys(EXPECTED_CHECKS, "ok")

    def test_with_the_embedded_broker_reports_every_check_ok(self, settings: Settings) -> None:
        report = health_with_broker(settings, None)

        assert report == dict.fromkeys(EXPECTED_CHECKS, "ok")


@pytest.mark.timeout(60)
class TestUnreachableBroker:
    def test_is_reported_as_an_error_while_the_rest_stays_ok(self, settings: Settings) -> None:
        started = time.monotonic()
        report = health_with_broker(settings, "redis://127.0.0.1:1/0")

        assert report["broker"].startswith("error")
        assert report["database"] == report["event_store:patients"] == "ok"
        assert time.monotonic() - started < 20

    def test_an_unreachable_sql_broker_is_reported_as_an_error(self, settings: Settings) -> None:
        report = health_with_broker(settings, "sqla+postgresql+psycopg://clinic@127.0.0.1:1/none")

        assert report["broker"].startswith("error")
