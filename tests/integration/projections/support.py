"""Helpers of the projection and worker tests: patients to register, read model and positions.

The patient list is the real projection under test; the read model is compared as whole rows
(search keys included), so a double-applied, skipped or half-written event shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, delete, func, select, update

from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.dto import Registered
from clinic.application.patients.projections import PatientListProjection
from clinic.application.shared.projections import ReadModelWriter
from clinic.infrastructure.patients.sql_views import SqlPatientListWriter
from clinic.infrastructure.patients.tables import patient_list
from clinic.infrastructure.projections.board import PositionBoard
from clinic.infrastructure.projections.runner import ProjectionRunner
from clinic.infrastructure.projections.source import EventSource
from clinic.infrastructure.projections.tables import projection_tracking
from clinic.presentation.bootstrap.containers import ApplicationContainer

PROJECTION = PatientListProjection.name
_LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"

Rows = dict[UUID, tuple[Any, ...]]
ContainerFactory = Callable[..., ApplicationContainer]


def spelled(number: int) -> str:
    """`number` in letters (names may hold no digits): 0 → "а", 27 → "ба"."""
    letters = ""
    while True:
        number, digit = divmod(number, len(_LETTERS))
        letters = _LETTERS[digit] + letters
        if number == 0:
            return letters


def registrations(count: int, start: int = 0) -> list[RegisterPatient]:
    """`count` valid registrations, each with a name of its own."""
    return [
        RegisterPatient(
            surname="Петров" + spelled(i),
            given_name="Иван",
            patronymic="Сергеевич" if i % 2 else None,
            sex="M" if i % 3 else None,
            birth_date=f"19{50 + i % 50:02d}-0{1 + i % 9}-1{i % 10}",
            phone=f"+7 916 {i % 1000:03d}-{i % 100:02d}-{(i // 100) % 100:02d}" if i % 4 else None,
            email=f"patient{i}@example.org" if i % 5 else None,
        )
        for i in range(start, start + count)
    ]


def register(container: ApplicationContainer, count: int, per_save: int = 1000) -> list[Registered]:
    """Registers `count` patients through the patients service, `per_save` per write."""
    service = container.patients.service()
    registered: list[Registered] = []
    for start in range(0, count, per_save):
        registered += service.register_patients(registrations(min(per_save, count - start), start))
    return registered


def read_model(container: ApplicationContainer) -> Rows:
    """Every row of the patient list, every column, keyed by patient id."""
    with container.core.database().read_engine.connect() as connection:
        return {row.id: tuple(row) for row in connection.execute(select(patient_list))}


def row_count(container: ApplicationContainer) -> int:
    with container.core.database().read_engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(patient_list)).scalar_one())


def tracked_position(container: ApplicationContainer) -> int | None:
    """The patient list's position in the tracking table (None: no row yet)."""
    query = select(projection_tracking.c.position).where(
        projection_tracking.c.projection == PROJECTION
    )
    with container.core.database().read_engine.connect() as connection:
        position: int | None = connection.execute(query).scalar_one_or_none()
    return position


def event_store_head(container: ApplicationContainer) -> int:
    return container.patients.service().recorder.max_notification_id() or 0


def every_event_store_head(container: ApplicationContainer) -> int:
    """What catching up every projection from empty moves past: each projection reads its own
    context's whole store (registering patients also writes audit entries)."""
    applications = container.applications()
    return sum(
        applications[runner.projection.application].recorder.max_notification_id() or 0
        for runner in container.projections().runners.values()
    )


def corrupt(
    container: ApplicationContainer, delete_ids: list[UUID], rename_ids: list[UUID]
) -> None:
    """Damages the read model behind the projection's back: rows lost, rows changed."""
    with container.core.database().write_engine.begin() as connection:
        connection.execute(delete(patient_list).where(patient_list.c.id.in_(delete_ids)))
        connection.execute(
            update(patient_list)
            .where(patient_list.c.id.in_(rename_ids))
            .values(surname="Испорченный", name_key="испорченный")
        )


def forget_read_model(container: ApplicationContainer) -> None:
    """Back to a never-projected read model: no rows, no tracking row."""
    with container.core.database().write_engine.begin() as connection:
        SqlPatientListWriter(connection).reset()
        connection.execute(
            delete(projection_tracking).where(projection_tracking.c.projection == PROJECTION)
        )


def build_runner(
    container: ApplicationContainer,
    *,
    batch_size: int,
    writer_factory: Callable[[Connection], ReadModelWriter] = SqlPatientListWriter,
    source: Any = None,
    board: PositionBoard | None = None,
) -> ProjectionRunner:
    """A patient-list runner of its own on the container's event store and database."""
    return ProjectionRunner(
        PatientListProjection(),
        writer_factory,
        source or EventSource(container.patients.service()),
        container.core.database().write_engine,
        board or PositionBoard(),
        batch_size=batch_size,
    )


class WriterCrashedError(Exception):
    """Raised by `CrashingWriter` in the middle of a batch."""


class CrashingWriter:
    """The real patient-list writer that writes each row at once and crashes before row `at`.

    Rows before the crash really are in the batch's transaction, so they stay only if the batch
    is not rolled back.
    """

    def __init__(self, connection: Connection, at: int) -> None:
        self._inner = SqlPatientListWriter(connection)
        self._at = at
        self.written = 0

    @classmethod
    def factory(cls, at: int) -> Callable[[Connection], CrashingWriter]:
        return lambda connection: cls(connection, at)

    def add_patient(self, patient: Any, **source: Any) -> None:
        if self.written >= self._at:
            raise WriterCrashedError(f"crashed after {self.written} rows")
        self._inner.add_patient(patient, **source)
        self._inner.flush()
        self.written += 1

    def flush(self) -> None:
        self._inner.flush()

    def reset(self) -> None:
        self._inner.reset()
