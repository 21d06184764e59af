"""The columnar PostgreSQL recorder passes the eventsourcing library's own application-recorder
test case (insert and select, notification ids in commit order under concurrent writers, an
integrity error leaves nothing behind), and the installation's event stores use it."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
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


class TestLargeBatches(TestColumnarRecorderAsTheLibraryTestsItsOwn):
    """What the library's own tests do not try: a write of tens of megabytes (ten thousand
    archive events with long comments), which in psycopg's pipeline mode never returns."""

    test_insert_select = None  # type: ignore[assignment]  # run above
    test_concurrent_no_conflicts = None  # type: ignore[assignment]

    def test_a_batch_of_24_mb_is_written_whole_in_order(self) -> None:
        recorder = self.create_recorder()
        batch = [StoredEvent(uuid4(), 1, "clinic:Large", os.urandom(2000)) for _ in range(12_000)]
        written: list[Sequence[int] | None] = []
        writer = threading.Thread(
            target=lambda: written.append(recorder.insert_events(batch)), daemon=True
        )
        writer.start()
        writer.join(timeout=120)
        assert not writer.is_alive(), "the write hangs"
        [ids] = written
        assert ids is not None
        assert list(ids) == list(range(1, len(batch) + 1))
        stored = recorder.select_notifications(start=None, limit=len(batch))
        assert [(n.originator_id, n.state) for n in stored] == [
            (e.originator_id, e.state) for e in batch
        ]


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
