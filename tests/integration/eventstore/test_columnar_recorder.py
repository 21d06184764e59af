"""The columnar PostgreSQL recorder passes the eventsourcing library's own application-recorder
test case (insert and select, notification ids in commit order under concurrent writers, an
integrity error leaves nothing behind), and the installation's event stores use it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.tests.persistence import ApplicationRecorderTestCase

from clinic.application.patients.commands import RegisterPatient
from clinic.application.shared.actor import Actor
from clinic.infrastructure.eventstore import ColumnarPostgresRecorder
from clinic.presentation.bootstrap.containers import ApplicationContainer
from tests.services import (
    create_postgres_database,
    drop_postgres_database,
    postgres_available,
    unavailable,
)


class TestColumnarRecorderAsTheLibraryTestsItsOwn(
    ApplicationRecorderTestCase[ColumnarPostgresRecorder]
):
    test_performance = None  # type: ignore[assignment]  # printed timings, nothing checked
    test_concurrent_throughput = None  # type: ignore[assignment]  # the same

    def setUp(self) -> None:
        error = postgres_available()
        if error is not None:
            unavailable("PostgreSQL", error)
        self.url = create_postgres_database(prefix="clinic_recorder")
        parts = urlsplit(self.url)
        self.datastore = PostgresDatastore(
            dbname=parts.path.lstrip("/"),
            host=parts.hostname or "127.0.0.1",
            port=str(parts.port or 5432),
            user=parts.username or "postgres",
            password=parts.password or "",
            pool_size=12,
            max_overflow=4,
        )

    def tearDown(self) -> None:
        self.datastore.close()
        drop_postgres_database(self.url)

    def create_recorder(self) -> ColumnarPostgresRecorder:
        recorder = ColumnarPostgresRecorder(self.datastore, events_table_name="patients_events")
        recorder.create_table()
        return recorder


@pytest.mark.parametrize("backend", ["postgres"])
def test_the_event_stores_on_postgresql_use_it(container: ApplicationContainer) -> None:
    recorder = container.patients.service().recorder
    assert isinstance(recorder, ColumnarPostgresRecorder)
    service = container.patients.service()
    [first, second] = service.register_patients(
        [
            RegisterPatient(surname="Иванова", given_name="Мария", phone="+79161234567"),
            RegisterPatient(surname="Петров", given_name="Иван", email="ivan@mail.ru"),
        ],
        Actor.operator(),
    )
    assert service.get_patient(first.patient_id).surname == "Иванова"
    assert service.get_patient(second.patient_id).email == "ivan@mail.ru"
    assert second.position > first.position
