"""Read-model jobs run by a real Celery worker on Redis, wired to the test's container."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import (
    ApplicationContainer,
    build_container,
    close_container,
)
from clinic.presentation.worker.projections.tasks import catch_up, rebuild_read_model
from tests.integration.projections.support import (
    corrupt,
    event_store_head,
    every_event_store_head,
    read_model,
    register,
    tracked_position,
)
from tests.integration.worker.support import celery_of, running_worker

TASK_TIMEOUT = 30


@pytest.fixture
def redis_container(settings: Settings, redis_url: str) -> Iterator[ApplicationContainer]:
    """The real composition root with Redis as broker; the task modules are wired to it."""
    container = build_container(settings.model_copy(update={"broker_url": redis_url}))
    yield container
    close_container(container)


@pytest.mark.redis
@pytest.mark.timeout(120)
class TestRebuildReadModelJob:
    def test_restores_a_damaged_read_model_and_returns_the_events_replayed(
        self, redis_container: ApplicationContainer, redis_url: str
    ) -> None:
        registered = register(redis_container, 300)
        redis_container.projections().catch_up()
        expected = read_model(redis_container)
        ids = [r.patient_id for r in registered]
        corrupt(redis_container, delete_ids=ids[:40], rename_ids=ids[100:110])
        app = celery_of(redis_container, result_backend=redis_url)

        with running_worker(app):
            replayed = rebuild_read_model.delay("patient_list").get(timeout=TASK_TIMEOUT)

        assert replayed == event_store_head(redis_container)
        assert read_model(redis_container) == expected

    def test_run_twice_gives_the_same_rows(
        self, redis_container: ApplicationContainer, redis_url: str
    ) -> None:
        register(redis_container, 120)
        redis_container.projections().catch_up()
        expected = read_model(redis_container)
        app = celery_of(redis_container, result_backend=redis_url)

        with running_worker(app):
            first = rebuild_read_model.delay("patient_list").get(timeout=TASK_TIMEOUT)
            second = rebuild_read_model.delay("patient_list").get(timeout=TASK_TIMEOUT)

        assert first == second == event_store_head(redis_container)
        assert read_model(redis_container) == expected
        assert tracked_position(redis_container) == event_store_head(redis_container)


@pytest.mark.redis
@pytest.mark.timeout(120)
class TestCatchUpJob:
    def test_applies_the_events_recorded_while_no_projection_ran(
        self, redis_container: ApplicationContainer, redis_url: str
    ) -> None:
        registered = register(redis_container, 80)
        app = celery_of(redis_container, result_backend=redis_url)

        with running_worker(app):
            applied = catch_up.delay().get(timeout=TASK_TIMEOUT)
            again = catch_up.delay().get(timeout=TASK_TIMEOUT)

        assert (applied, again) == (every_event_store_head(redis_container), 0)
        assert set(read_model(redis_container)) == {r.patient_id for r in registered}
