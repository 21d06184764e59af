"""Runs a Celery worker for this installation (`clinic worker`)."""

from __future__ import annotations

from clinic.presentation.bootstrap.containers import build_container, close_container


def run_worker(concurrency: int = 2, loglevel: str = "INFO") -> None:
    container = build_container()
    celery = container.celery()
    try:
        celery.worker_main(
            ["worker", f"--concurrency={concurrency}", "--pool=threads", f"--loglevel={loglevel}"]
        )
    finally:
        close_container(container)
