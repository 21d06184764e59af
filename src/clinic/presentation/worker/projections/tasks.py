"""Background jobs on read models."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from dependency_injector.wiring import Provide, inject


@shared_task(name="projections.rebuild_read_model")
@inject
def rebuild_read_model(projection: str, maintenance: Any = Provide["projections"]) -> int:
    """Replays every event into `projection`'s read model; running it twice gives the same rows."""
    return int(maintenance.rebuild(projection))


@shared_task(name="projections.catch_up")
@inject
def catch_up(maintenance: Any = Provide["projections"]) -> int:
    """Applies events recorded but not yet projected (e.g. after projections were stopped)."""
    return int(maintenance.catch_up())
