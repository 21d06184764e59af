"""The ASGI application `clinic serve` runs: API + NiceGUI UI + embedded projections."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from clinic.presentation.api.app import create_api
from clinic.presentation.bootstrap.containers import (
    WEB_MODULES,
    ApplicationContainer,
    build_container,
    close_container,
)
from clinic.presentation.bootstrap.processes import EmbeddedWorker

log = logging.getLogger(__name__)


def create_app(
    container: ApplicationContainer | None = None,
    *,
    with_ui: bool = True,
    with_worker: bool = False,
) -> FastAPI:
    """Builds the app. Projections start with it when `CLINIC_EMBEDDED_PROJECTIONS` is on, and
    a worker subprocess when `with_worker` (what `clinic serve` asks for by default)."""
    container = container or build_container()
    settings = container.core.settings()
    worker = EmbeddedWorker() if with_worker else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.embedded_projections:
            container.projections().start()
            log.info(
                "projections following",
                extra={"projections": sorted(container.projections().runners)},
            )
        if worker is not None:
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            close_container(container)

    app = create_api(
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        lifespan=lifespan,
    )
    app.state.container = container
    if with_ui:
        from clinic.presentation.web.app import mount_ui

        container.wire(modules=WEB_MODULES)
        mount_ui(
            app,
            storage_secret=settings.secret_key.get_secret_value(),
            authenticator=container.identity.authenticator(),
            secure_cookies=settings.cookie_secure,
        )
    return app
