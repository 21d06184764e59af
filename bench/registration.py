"""a. Patient registration through the application layer, against plain executemany.

Our figures: `PatientsService.register_patient` (one save per patient) and `register_patients`
(1000 patients per save), events/s. Baselines, in the same database: the same stored events
(ids, versions, topics, state bytes) inserted with the driver's `executemany`, one row per
transaction and 1000 rows per transaction, into a table shaped like the library's. The
"domain only" figure is validation + aggregate + event encoding with no database at all.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import psycopg
from eventsourcing.persistence import StoredEvent

from bench.databases import SQLITE, events_file, installation, running
from bench.report import per_second, print_table, write_results
from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.service import PatientsService
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.values import PersonalData
from clinic.infrastructure.clock import SystemClock
from clinic.infrastructure.demo.generator import demo_registrations
from clinic.infrastructure.eventstore import create_application
from clinic.infrastructure.settings import Settings

BATCH = 1000
BASELINE_TABLE = "bench_baseline_events"

# Shaped like the library's events tables (eventsourcing.sqlite / eventsourcing.postgres).
_SQLITE_TABLE = (
    f"CREATE TABLE {BASELINE_TABLE} (originator_id TEXT, originator_version INTEGER, "
    "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
)
_POSTGRES_TABLE = (
    f"CREATE TABLE {BASELINE_TABLE} (originator_id uuid NOT NULL, "
    "originator_version bigint NOT NULL, topic text, state bytea, notification_id bigserial, "
    "PRIMARY KEY (originator_id, originator_version))",
    f"CREATE UNIQUE INDEX {BASELINE_TABLE}_notification_id_idx "
    f"ON {BASELINE_TABLE} (notification_id ASC)",
)
_SQLITE_INSERT = f"INSERT INTO {BASELINE_TABLE} VALUES (?, ?, ?, ?)"
_POSTGRES_INSERT = (
    f"INSERT INTO {BASELINE_TABLE} (originator_id, originator_version, topic, state) "
    "VALUES (%s, %s, %s, %s)"
)

Rows = Sequence[tuple[Any, ...]]
Inserter = Callable[[Rows, int], None]


def run(backends: Sequence[str], *, single: int, batched: int, seed: int) -> dict[str, Any]:
    figures = {backend: _measure(backend, single, batched, seed) for backend in backends}
    _print(figures, single, batched)
    write_results("registration", {"single": single, "batched": batched, "backends": figures})
    return figures


def _measure(backend: str, single: int, batched: int, seed: int) -> dict[str, float]:
    commands = [c for batch in demo_registrations(single + 2 * batched, seed=seed) for c in batch]
    one_by_one = commands[:single]
    in_batches, unencrypted = commands[single : single + batched], commands[single + batched :]
    with installation(backend) as settings, running(settings) as container:
        service: PatientsService = container.patients.service()
        started = time.perf_counter()
        stored = _encode_without_storing(service, in_batches)
        domain_only = per_second(len(in_batches), time.perf_counter() - started)
        figures = {
            "register_patient": _time(len(one_by_one), lambda: _register_each(service, one_by_one)),
            "register_patients": _time(len(in_batches), lambda: _register_all(service, in_batches)),
            "domain_only": domain_only,
            "register_patients_unencrypted": _unencrypted_rate(settings, unencrypted),
        }
        figures.update(_baselines(backend, settings, stored, single))
    return figures


def _unencrypted_rate(settings: Settings, commands: Sequence[RegisterPatient]) -> float:
    """The same batched registration with no personal-data vault: the cost of encryption."""
    plain = create_application(PatientsService, settings, clock=SystemClock())
    try:
        return _time(len(commands), lambda: _register_all(plain, commands))
    finally:
        plain.close()


def _register_each(service: PatientsService, commands: Sequence[RegisterPatient]) -> None:
    for command in commands:
        service.register_patient(command)


def _register_all(service: PatientsService, commands: Sequence[RegisterPatient]) -> None:
    for start in range(0, len(commands), BATCH):
        service.register_patients(commands[start : start + BATCH])


def _encode_without_storing(
    service: PatientsService, commands: Sequence[RegisterPatient]
) -> list[StoredEvent]:
    """What a registration costs before the database: validate, create, encode."""
    now = datetime.now(UTC)
    stored: list[StoredEvent] = []
    for start in range(0, len(commands), BATCH):
        patients = [
            Patient.register(uuid4(), PersonalData.parse(today=now.date(), **c.fields()), now)
            for c in commands[start : start + BATCH]
        ]
        if service.vault is not None:  # sealing needs the subjects' keys, made as a save makes them
            service.vault.prepare(p.id for p in patients)
        for patient in patients:
            stored.extend(service.mapper.to_stored_event(e) for e in patient.collect_events())
    return stored


def _baselines(
    backend: str, settings: Settings, stored: list[StoredEvent], single: int
) -> dict[str, float]:
    if backend == SQLITE:
        # the library keeps UUIDs in SQLite as 32 hex digits
        rows: Rows = [(str(e.originator_id).replace("-", ""), *_columns(e)) for e in stored]
        inserter = _sqlite_inserter(settings)
    else:
        rows = [(e.originator_id, *_columns(e)) for e in stored]
        inserter = _postgres_inserter(settings)
    with inserter as insert:
        return {
            "executemany_1_per_txn": _time(single, lambda: insert(rows[:single], 1)),
            "executemany_1000_per_txn": _time(
                len(rows) - single, lambda: insert(rows[single:], BATCH)
            ),
        }


def _columns(event: StoredEvent) -> tuple[int, str, bytes]:
    return event.originator_version, event.topic, event.state


@contextmanager
def _sqlite_inserter(settings: Settings) -> Iterator[Inserter]:
    """Into the events file itself, connected as the library connects (WAL, autocommit)."""
    connection = sqlite3.connect(events_file(settings, PatientsService.name), isolation_level=None)
    connection.execute(_SQLITE_TABLE)

    def insert(rows: Rows, per_transaction: int) -> None:
        for start in range(0, len(rows), per_transaction):
            connection.execute("BEGIN")
            connection.executemany(_SQLITE_INSERT, rows[start : start + per_transaction])
            connection.execute("COMMIT")

    try:
        yield insert
    finally:
        connection.close()


@contextmanager
def _postgres_inserter(settings: Settings) -> Iterator[Inserter]:
    with psycopg.connect(settings.database_url, autocommit=True) as connection:
        for statement in _POSTGRES_TABLE:
            connection.execute(statement)

        def insert(rows: Rows, per_transaction: int) -> None:
            with connection.cursor() as cursor:
                for start in range(0, len(rows), per_transaction):
                    with connection.transaction():
                        cursor.executemany(_POSTGRES_INSERT, rows[start : start + per_transaction])

        yield insert


def _time(count: int, action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return per_second(count, time.perf_counter() - started)


def _print(figures: dict[str, dict[str, float]], single: int, batched: int) -> None:
    rows = []
    for backend, f in figures.items():
        rows.append(
            [
                f"{backend}: one per save ({single:,})",
                f["register_patient"],
                f["executemany_1_per_txn"],
                f["register_patient"] / f["executemany_1_per_txn"],
            ]
        )
        rows.append(
            [
                f"{backend}: 1000 per save ({batched:,})",
                f["register_patients"],
                f["executemany_1000_per_txn"],
                f["register_patients"] / f["executemany_1000_per_txn"],
            ]
        )
        rows.append([f"{backend}: domain only, no store", f["domain_only"], "", ""])
        rows.append(
            [
                f"{backend}: 1000 per save, no encryption",
                f["register_patients_unencrypted"],
                "",
                f"encrypted/plain {f['register_patients'] / f['register_patients_unencrypted']:.2f}",  # noqa: E501
            ]
        )
    print_table(
        "a. Registration (events/s): application layer vs plain executemany of the same rows",
        ["case", "ours", "executemany", "ours/baseline"],
        rows,
    )


if __name__ == "__main__":
    from bench.run_all import main

    main(["--only", "registration", *sys.argv[1:]])
