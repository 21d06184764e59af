"""Patient imports run by a real Celery worker on Redis, as `POST /patients/imports` queues them."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest

from clinic.application.shared.actor import Actor
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import (
    ApplicationContainer,
    build_container,
    close_container,
)
from clinic.presentation.worker.patients.tasks import run_import
from tests.integration.worker.support import celery_of, running_worker

TASK_TIMEOUT = 60
FILE = (
    "external_id;surname;given_name;phone\r\n"
    "A1;Иванова;Мария;89161234567\r\n"
    "A2;Петров;Иван;89037654321\r\n"
    "A3;;;\r\n"
).encode()


@pytest.fixture
def redis_container(settings: Settings, redis_url: str) -> Iterator[ApplicationContainer]:
    container = build_container(settings.model_copy(update={"broker_url": redis_url}))
    container.projections().start()  # an import waits for the list after each chunk
    yield container
    close_container(container)


@pytest.mark.redis
@pytest.mark.timeout(120)
class TestImportJob:
    def test_a_queued_import_is_run_by_the_worker_and_running_it_again_imports_once(
        self, redis_container: ApplicationContainer, redis_url: str
    ) -> None:
        imports = redis_container.patients.imports()
        queued = imports.request(io.BytesIO(FILE), source="mis", by=Actor.operator(), enqueue=False)
        app = celery_of(redis_container, result_backend=redis_url)

        with running_worker(app):
            first = run_import.delay(str(queued.id)).get(timeout=TASK_TIMEOUT)
            again = run_import.delay(str(queued.id)).get(timeout=TASK_TIMEOUT)

        assert first["status"] == "finished"
        assert (first["counts"]["created"], first["counts"]["rejected"]) == (2, 1)
        assert again == first  # delivered twice: the finished import is left as it is
        found = redis_container.patients.queries().search_patients("Иванова").items
        assert [p.phone for p in found] == ["+79161234567"]

    def test_the_api_queue_reaches_the_worker(
        self, redis_container: ApplicationContainer, redis_url: str
    ) -> None:
        app = celery_of(redis_container, result_backend=redis_url)
        imports = redis_container.patients.imports()

        with running_worker(app):
            queued = imports.request(io.BytesIO(FILE), source="mis", by=Actor.operator())
            for _ in range(TASK_TIMEOUT * 10):
                if imports.get(queued.id, Actor.operator()).status == "finished":
                    break
                time.sleep(0.1)

        assert imports.get(queued.id, Actor.operator()).counts["created"] == 2
