"""The Celery application: embedded SQLite broker by default, Redis or RabbitMQ when configured."""

from __future__ import annotations

from celery import Celery

from clinic.infrastructure.settings import Settings

TASK_MODULES = [
    "clinic.presentation.worker.projections.tasks",
    "clinic.presentation.worker.patients.tasks",
]


def create_celery(settings: Settings) -> Celery:
    settings.ensure_directories()
    broker = settings.celery_broker_url
    app = Celery("clinic", broker=broker, include=TASK_MODULES)
    app.conf.update(
        task_acks_late=True,  # a job a worker dies in is delivered again; every job is idempotent
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        timezone="UTC",
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    # No `polling_interval` transport option for the embedded broker: kombu's SQLAlchemy
    # transport hands every transport option to create_engine(), which rejects it.
    return app
