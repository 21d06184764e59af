"""Helpers of the worker tests: the container's Celery app and a real worker in this process."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from celery import Celery
from celery.contrib.testing.worker import start_worker

from clinic.presentation.bootstrap.containers import ApplicationContainer


def celery_of(container: ApplicationContainer, result_backend: str) -> Celery:
    """The container's Celery app with a result backend, on a queue no other test uses."""
    app = container.celery()
    app.conf.result_backend = result_backend
    app.conf.task_default_queue = f"clinic-test-{uuid.uuid4().hex}"
    return app


@contextmanager
def running_worker(app: Celery) -> Iterator[None]:
    """A real Celery worker (solo pool) consuming `app`'s broker in a thread of this process."""
    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
    ):
        yield
