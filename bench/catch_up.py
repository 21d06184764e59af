"""b. Projection catch-up: the patient list built from N recorded events by our batching runner.

Our figure: `ProjectionRunner.catch_up()` (built as the projection host builds it) over N
pre-loaded registrations, events/s, twice: straight after the bulk load, and after the events
table's planner statistics are refreshed (ANALYZE; autovacuum does it within a minute or so in
a running installation, but a catch-up right after an import meets the stale statistics).
Baselines in the same run: the same runner with batch_size=1 (one transaction and one tracking
update per event, as the library's own ProjectionRunner does) over a smaller sample, and reading
+ decoding every notification with no writes at all (the upper bound for any runner here).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

from bench.databases import POSTGRES, installation, reclaim_space, refresh_statistics, running
from bench.report import per_second, print_table, write_results
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.service import PatientsService
from clinic.infrastructure.clock import SystemClock
from clinic.infrastructure.demo.generator import demo_registrations
from clinic.infrastructure.eventstore import create_application
from clinic.infrastructure.patients.sql_views import SqlPatientListWriter
from clinic.infrastructure.patients.tables import patient_list
from clinic.infrastructure.projections.board import PositionBoard
from clinic.infrastructure.projections.runner import ProjectionRunner
from clinic.infrastructure.projections.source import EventSource
from clinic.infrastructure.projections.tracking import advance, read_position
from clinic.infrastructure.settings import Settings

TARGET_EVENTS_PER_SECOND = 20_000
PROFILE_LINES = 25


def run(
    backends: Sequence[str],
    *,
    events: dict[str, int],
    sample: int,
    batch_size: int,
    seed: int,
    profile: bool = False,
) -> dict[str, Any]:
    figures = {
        backend: _measure(backend, events[backend], sample, batch_size, seed, profile)
        for backend in backends
    }
    _print(figures, batch_size)
    write_results("catch_up", {"batch_size": batch_size, "backends": figures})
    return figures


def _measure(
    backend: str, events: int, sample: int, batch_size: int, seed: int, profile: bool
) -> dict[str, Any]:
    with installation(backend) as settings, running(settings) as container:
        service: PatientsService = container.patients.service()
        engine: Engine = container.core.database().write_engine
        preload = _preload(service, events, seed)
        fresh = _catch_up(
            service, engine, batch_size, f"{backend}, fresh load" if profile else None
        )
        refresh_statistics(settings, service.name)
        _rewind(settings, engine)
        analyzed = _catch_up(
            service, engine, batch_size, f"{backend}, analyzed" if profile else None
        )
        _rewind(settings, engine)
        per_event = _one_transaction_per_event(service, engine, min(sample, events))
    unencrypted = _unencrypted_catch_up(backend, events, batch_size, seed)
    best = max(fresh["catch_up"], analyzed["catch_up"], unencrypted)
    return {
        "unencrypted": unencrypted,
        "events": events,
        "preload_events_per_s": preload,
        "fresh_load": fresh,
        "analyzed": analyzed,
        "one_txn_per_event_events_per_s": per_event,
        "one_txn_per_event_sample": min(sample, events),
        "speed_up": round(analyzed["catch_up"] / per_event, 2),
        "meets_target": best >= TARGET_EVENTS_PER_SECOND if backend == POSTGRES else None,
    }


def _unencrypted_catch_up(backend: str, events: int, batch_size: int, seed: int) -> float:
    """The same catch-up over events stored without personal-data sealing: the runner's own
    speed, and by difference the cost of opening every patient's sealed fields."""
    with installation(backend) as settings, running(settings) as container:
        plain = create_application(PatientsService, settings, clock=SystemClock())
        try:
            _preload(plain, events, seed)
            refresh_statistics(settings, plain.name)
            engine: Engine = container.core.database().write_engine
            return _catch_up(plain, engine, batch_size, None)["catch_up"]
        finally:
            plain.close()


def _runner(service: PatientsService, engine: Engine, batch_size: int) -> ProjectionRunner:
    """The patient list's runner, as `ProjectionHost` builds it."""
    return ProjectionRunner(
        PatientListProjection(),
        SqlPatientListWriter,
        EventSource(service),
        engine,
        PositionBoard(),
        batch_size=batch_size,
    )


def _catch_up(
    service: PatientsService, engine: Engine, batch_size: int, profile_title: str | None
) -> dict[str, float]:
    """Events/s of reading alone, then of a full catch-up from position 0."""
    read_only = _read_everything(EventSource(service), batch_size)
    runner = _runner(service, engine, batch_size)
    started = time.perf_counter()
    with _profiled(profile_title):
        applied = runner.catch_up()
    return {
        "read_and_decode": read_only,
        "catch_up": per_second(applied, time.perf_counter() - started),
    }


def _preload(service: PatientsService, events: int, seed: int) -> float:
    started = time.perf_counter()
    for batch in demo_registrations(events, seed=seed, batch_size=1000):
        service.register_patients(batch)
    return per_second(events, time.perf_counter() - started)


def _read_everything(source: EventSource, batch_size: int) -> float:
    topics = PatientListProjection.topics
    started = time.perf_counter()
    position, head, count = 0, source.head(), 0
    while position < head:
        page = source.read(position, batch_size, topics)
        position, count = page.reached, count + len(page.events)
    return per_second(count, time.perf_counter() - started)


def _rewind(settings: Settings, engine: Engine) -> None:
    """Empties the patient list and moves its tracking back to 0, as a rebuild does."""
    with engine.begin() as connection:
        position = read_position(connection, PatientListProjection.name) or 0
        SqlPatientListWriter(connection).reset()
        advance(connection, PatientListProjection.name, position, 0)
    reclaim_space(settings, patient_list.name)


def _one_transaction_per_event(service: PatientsService, engine: Engine, sample: int) -> float:
    runner = _runner(service, engine, batch_size=1)
    started = time.perf_counter()
    applied = sum(runner.run_batch() for _ in range(sample))
    return per_second(applied, time.perf_counter() - started)


@contextmanager
def _profiled(title: str | None) -> Iterator[None]:
    """cProfile around a block when given a title; prints where the time went."""
    if not title:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(
            PROFILE_LINES
        )
        print(f"\nprofile of {title} (by own time)\n{out.getvalue()}")


def _print(figures: dict[str, dict[str, Any]], batch_size: int) -> None:
    rows = [
        [
            f"{backend} ({f['events']:,} events)",
            f["fresh_load"]["catch_up"],
            f["analyzed"]["catch_up"],
            f["one_txn_per_event_events_per_s"],
            f["speed_up"],
            f["fresh_load"]["read_and_decode"],
            f["analyzed"]["read_and_decode"],
            f["unencrypted"],
            {True: "yes", False: "NO", None: "n/a"}[f["meets_target"]],
        ]
        for backend, f in figures.items()
    ]
    print_table(
        f"b. Projection catch-up (events/s), patient list, batch_size={batch_size}",
        [
            "backend",
            "ours: fresh load",
            "ours: analyzed",
            "1 txn/event",
            "ratio",
            "read only: fresh",
            "read only: analyzed",
            "ours: no PII sealing",
            "PG >= 20k/s",
        ],
        rows,
    )


if __name__ == "__main__":
    from bench.run_all import main

    main(["--only", "catch_up", *sys.argv[1:]])
