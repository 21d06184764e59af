"""c. Read-your-writes: how soon a registered patient can be read back, projections running live.

Three measures per backend, each over fresh registrations made one at a time:
- `view`: from the command returning until the patient list has the row (polling the view);
- `after=`: how long `queries.get_patient(id, after=position)` takes (waits on the in-process
  board the projection runner posts to);
- baseline `after=, polling`: the same query through a waiter that cannot see the board, as in
  another process: it polls the tracking table (5 ms, doubling to 50 ms);
- `separate process`: the scaled-out path — projections run in a `clinic projections` process
  (woken by NOTIFY on PostgreSQL, polling every CLINIC_PROJECTION_POLL_INTERVAL on SQLite) and
  `get_patient(after=)` here polls the tracking table.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from bench.databases import installation, running
from bench.report import latency_summary, print_table, write_results
from clinic.application.patients.commands import RegisterPatient
from clinic.application.patients.dto import Registered
from clinic.application.patients.queries import PatientQueries
from clinic.application.patients.service import PatientsService
from clinic.application.patients.views import PatientListView
from clinic.infrastructure.demo.generator import generate_people
from clinic.infrastructure.projections.board import PositionBoard
from clinic.infrastructure.projections.waiter import SqlProjectionWaiter

TARGET_P95_MS = 150.0
VIEW_POLL_INTERVAL = 0.001
VIEW_TIMEOUT = 10.0
WARM_UP = 20

Measure = Callable[[Registered], float]


def run(backends: Sequence[str], *, samples: int, seed: int) -> dict[str, Any]:
    figures = {backend: _measure(backend, samples, seed) for backend in backends}
    _print(figures)
    write_results(
        "read_your_writes",
        {"samples": samples, "target_p95_ms": TARGET_P95_MS, "backends": figures},
    )
    return figures


def _measure(backend: str, samples: int, seed: int) -> dict[str, dict[str, float]]:
    people = _registrations(WARM_UP + 4 * samples, seed)
    with installation(backend) as settings, running(settings) as container:
        service: PatientsService = container.patients.service()
        view: PatientListView = container.patients.view()
        queries: PatientQueries = container.patients.queries()
        polling = PatientQueries(
            view,
            SqlProjectionWaiter(PositionBoard(), container.core.database().read_engine),
            clock=container.core.clock(),
        )
        container.projections().start()
        _sample(service, people, WARM_UP, lambda r: _until_in_view(view, r))
        return {
            "command": _command_latency(service, people, samples),
            "view": _sample(service, people, samples, lambda r: _until_in_view(view, r)),
            "after": _sample(service, people, samples, lambda r: _get_after(queries, r)),
            "after_polling": _sample(service, people, samples, lambda r: _get_after(polling, r)),
        } | {"separate_process": _separate_process(backend, samples, seed)}


def _separate_process(backend: str, samples: int, seed: int) -> dict[str, float]:
    """`get_patient(after=)` while the projections run in a `clinic projections` process."""
    people = _registrations(WARM_UP + samples, seed + 1)
    with installation(backend) as settings, running(settings) as container:
        env = {**os.environ, "CLINIC_DATABASE_URL": settings.database_url}
        command = [sys.executable, "-m", "clinic.presentation.cli.main", "projections"]
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        try:
            service: PatientsService = container.patients.service()
            queries: PatientQueries = container.patients.queries()
            _sample(service, people, WARM_UP, lambda r: _get_after(queries, r))
            return _sample(service, people, samples, lambda r: _get_after(queries, r))
        finally:
            process.terminate()
            process.wait(timeout=30)


def _registrations(count: int, seed: int) -> Iterator[RegisterPatient]:
    return (person.registration() for person in generate_people(count, seed))


def _command_latency(
    service: PatientsService, people: Iterator[RegisterPatient], samples: int
) -> dict[str, float]:
    """For scale: how long `register_patient` itself takes, the projections running."""
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        service.register_patient(next(people))
        timings.append(time.perf_counter() - started)
    return latency_summary(timings)


def _sample(
    service: PatientsService, people: Iterator[RegisterPatient], samples: int, measure: Measure
) -> dict[str, float]:
    return latency_summary(
        [measure(service.register_patient(next(people))) for _ in range(samples)]
    )


def _until_in_view(view: PatientListView, registered: Registered) -> float:
    started = time.perf_counter()
    while view.get(registered.patient_id) is None:
        if time.perf_counter() - started > VIEW_TIMEOUT:
            raise TimeoutError(f"patient {registered.patient_id} never reached the view")
        time.sleep(VIEW_POLL_INTERVAL)
    return time.perf_counter() - started


def _get_after(queries: PatientQueries, registered: Registered) -> float:
    started = time.perf_counter()
    queries.get_patient(registered.patient_id, after=registered.position)
    return time.perf_counter() - started


def _print(figures: dict[str, dict[str, dict[str, float]]]) -> None:
    labels = {
        "command": "register_patient itself",
        "view": "until in view (polled)",
        "after": "get_patient(after=)",
        "after_polling": "baseline: after=, polling",
        "separate_process": "after=, projections in a process",
    }
    rows = []
    for backend, measures in figures.items():
        for key, label in labels.items():
            m = measures[key]
            rows.append([f"{backend}: {label}", m["p50_ms"], m["p95_ms"], m["max_ms"]])
    print_table(
        f"c. Read-your-writes latency (ms), projections live; target p95 <= {TARGET_P95_MS:.0f}",
        ["measure", "p50", "p95", "max"],
        rows,
    )


if __name__ == "__main__":
    from bench.run_all import main

    main(["--only", "read_your_writes", *sys.argv[1:]])
