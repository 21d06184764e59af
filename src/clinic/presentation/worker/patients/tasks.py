"""Background jobs of the patients context."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from celery import shared_task
from dependency_injector.wiring import Provide, inject


@shared_task(name="patients.run_import")
@inject
def run_import(import_id: str, imports: Any = Provide["patients.imports"]) -> dict[str, Any]:
    """Runs a requested patient import; delivered twice, it imports once (see PatientImports)."""
    summary = imports.run(UUID(import_id))
    return {"status": summary.status, "counts": summary.counts}
