"""Without a broker configured, jobs go through an embedded SQL broker (kombu's sqlalchemy
transport): a SQLite file beside the database, or the PostgreSQL database itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import ApplicationContainer
from clinic.presentation.worker.projections.tasks import catch_up
from tests.integration.projections.support import every_event_store_head, read_model, register
from tests.integration.worker.support import celery_of, running_worker


class TestEmbeddedBrokerLocation:
    def test_on_sqlite_is_a_sqlite_file_beside_the_database(self, tmp_path: Path) -> None:
        settings = Settings(database_url=f"sqlite:///{tmp_path / 'clinic.db'}")

        url = settings.celery_broker_url

        assert url.startswith("sqla+sqlite:///")
        broker_file = Path(url.removeprefix("sqla+sqlite:///"))
        assert broker_file.parent == tmp_path
        assert broker_file != tmp_path / "clinic.db"

    def test_on_postgresql_is_the_database_itself(self) -> None:
        settings = Settings(database_url="postgresql://clinic@db.internal:5433/clinic")

        assert (
            settings.celery_broker_url == "sqla+postgresql+psycopg://clinic@db.internal:5433/clinic"
        )

    def test_a_configured_broker_replaces_it(self, tmp_path: Path) -> None:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'clinic.db'}",
            broker_url="redis://127.0.0.1:6379/3",
        )

        assert settings.celery_broker_url == "redis://127.0.0.1:6379/3"


@pytest.mark.timeout(120)
class TestJobThroughTheEmbeddedBroker:
    def test_round_trips_through_a_real_worker(
        self, container: ApplicationContainer, tmp_path: Path
    ) -> None:
        assert container.celery().conf.broker_url.startswith("sqla+")
        registered = register(container, 40)
        app = celery_of(container, result_backend=f"db+sqlite:///{tmp_path / 'results.db'}")

        result = catch_up.delay()  # queued before any worker runs: the broker keeps it
        with running_worker(app):
            applied = result.get(timeout=30)

        assert applied == every_event_store_head(container)
        assert set(read_model(container)) == {r.patient_id for r in registered}
