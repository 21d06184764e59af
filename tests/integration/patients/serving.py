"""The app `clinic serve` runs (projections embedded, no UI), served to a TestClient that
acts as an administrator (role checks have tests of their own)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi.testclient import TestClient

from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.asgi import create_app
from clinic.presentation.bootstrap.containers import (
    ApplicationContainer,
    build_container,
    close_container,
)
from tests.integration.auth import bearer_headers


@dataclass(frozen=True)
class Served:
    client: TestClient
    container: ApplicationContainer
    backend: str

    def head(self) -> int | None:
        """The patients event store's last notification id (None while empty)."""
        return self.container.patients.service().recorder.max_notification_id()


@contextmanager
def serving(settings: Settings, backend: str) -> Iterator[Served]:
    """The app of `clinic serve` (projections embedded, no UI) on `settings`."""
    container = build_container(settings.model_copy(update={"embedded_projections": True}))
    try:
        app = create_app(container, with_ui=False)
        with TestClient(app, raise_server_exceptions=False) as client:
            client.headers.update(bearer_headers(container, "admin"))
            yield Served(client, container, backend)
    finally:
        close_container(container)  # the lifespan closed it already unless start-up failed
