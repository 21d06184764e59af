"""d. A large patient import end to end on PostgreSQL, against a plain COPY of the same rows.

`python -m bench.patient_import [--rows N] [--projections process|thread] [--profile]`
(default 1,000,000 rows; 20,000 is a quick run). A realistic CSV (see bench/import_file.py: ~10%
near-duplicates, a few % invalid rows) is streamed to a temporary file; then, on a fresh migrated
PostgreSQL installation, the import runs as a worker runs it — `PatientImports.request` + `run` —
so every row is validated, resolved, stored as events and projected. The projections run as a
scaled-out installation runs them, `clinic projections` in a process of its own (the default),
or in the importing process (`--projections thread`, as `clinic import patients` does). Our
figure is rows/s from the request until the patient list has caught up, with the import's
counts and the process's peak memory (RSS). Baseline in the same run: `COPY` of the same file
into an unindexed table of the template's columns, all text.
Targets (issue 4): >= 10,000 rows/s end to end, peak memory <= 1.5 GB.
"""

from __future__ import annotations

import cProfile
import csv
import io
import os
import pstats
import resource
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from bench.databases import POSTGRES, installation, running
from bench.import_file import write_import_file
from bench.report import per_second, print_table, write_results
from clinic.application.patients.import_columns import TEMPLATE_COLUMNS
from clinic.application.patients.importer import patient_id_for
from clinic.application.patients.projections import PatientListProjection
from clinic.application.shared.actor import Actor
from clinic.infrastructure.demo.generator import DEFAULT_SEED
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import ApplicationContainer

TARGET_ROWS_PER_SECOND = 10_000
TARGET_PEAK_MB = 1536
SOURCE = "mis"
COPY_TABLE = "bench_import_copy"
COPY_BLOCK_BYTES = 1024 * 1024
CATCH_UP_TIMEOUT = 3600.0
PROFILE_LINES = 30


PROCESS, THREAD = "process", "thread"
PROJECTIONS = (PROCESS, THREAD)
PROJECTIONS_READY_TIMEOUT = 60.0


def run(
    rows: int, *, seed: int = DEFAULT_SEED, profile: bool = False, projections: str = PROCESS
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="clinic-bench-import-") as directory:
        path = Path(directory) / "patients.csv"
        started = time.perf_counter()
        truth = Path(directory) / "repeats.csv"
        facts = write_import_file(path, rows, seed, truth)
        print(f"import: wrote {facts.rows:,} rows ({facts.bytes / 2**20:,.0f} MB) in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        with installation(POSTGRES) as settings:
            figures = _import(
                _with_imports_dir(settings, Path(directory)), path, profile, projections
            )
            figures["merge_quality"] = _merge_quality(settings, path, truth)
            figures["copy_rows_per_second"] = _copy(settings, path, facts.rows)
    figures["ratio_to_copy"] = round(
        figures["rows_per_second"] / figures["copy_rows_per_second"], 4
    )
    figures |= {"rows": rows, "seed": seed, "projections": projections, "file": asdict(facts)}
    _print(figures)
    write_results("patient_import", figures)
    return figures


def _with_imports_dir(settings: Settings, directory: Path) -> Settings:
    return Settings(
        database_url=settings.database_url,
        embedded_projections=False,
        embedded_worker=False,
        imports_dir=directory / "imports",
    )


def _import(settings: Settings, path: Path, profile: bool, projections: str) -> dict[str, Any]:
    with (
        running(settings) as container,
        _projections(settings, container, projections) as projections_peak,
        _peak_rss() as peak,
    ):
        started = time.perf_counter()
        with _profiled(profile):
            summary = _request_and_run(container, path)
        imported = time.perf_counter() - started
        _caught_up(container)
        elapsed = time.perf_counter() - started
        listed = _count(settings, "patient_list")
        projections_peak_mb = projections_peak()
    counts = dict(summary.counts)
    return {
        "status": summary.status,
        "seconds": round(elapsed, 1),
        "seconds_until_run_returned": round(imported, 1),
        "rows_per_second": per_second(counts.get("read", 0), elapsed),
        "counts": counts,
        "patient_list_rows": listed,
        "peak_rss_mb": peak(),
        "projections_peak_rss_mb": projections_peak_mb,
    }


@contextmanager
def _projections(
    settings: Settings, container: ApplicationContainer, where: str
) -> Iterator[Callable[[], int | None]]:
    """The projections following the event stores: in this process's threads, or `clinic
    projections` in its own process, started (and caught up with nothing) before the clock
    starts; yields a function giving that process's peak memory in MB."""
    if where == THREAD:
        container.projections().start()  # as `clinic import patients` does
        yield lambda: None
        return
    environment = os.environ | {
        "CLINIC_DATABASE_URL": settings.database_url,
        "CLINIC_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-c", "from clinic.presentation.cli.main import app; app()"]
    process = subprocess.Popen(  # our own CLI, no shell
        [*command, "projections"], env=environment, stdout=subprocess.PIPE, text=True
    )
    try:
        _await_following(process)
        yield lambda: _peak_kb(process.pid) // 1024
    finally:
        process.terminate()
        process.wait(timeout=30)


def _await_following(process: subprocess.Popen[str]) -> None:
    """Returns once `clinic projections` says what it follows (its runners have started)."""
    if process.stdout is None:
        raise RuntimeError("no output from clinic projections")
    ready, _, _ = select.select([process.stdout], [], [], PROJECTIONS_READY_TIMEOUT)
    line = process.stdout.readline() if ready else ""
    if not line.startswith("following:"):
        process.kill()
        raise RuntimeError(f"clinic projections did not start: {line!r}")


def _peak_kb(pid: int) -> int:
    """A live process's peak resident set (VmHWM), in kB; 0 where /proc is missing."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _request_and_run(container: ApplicationContainer, path: Path) -> Any:
    imports = container.patients.imports()
    with path.open("rb") as file:
        requested = imports.request(
            file, source=SOURCE, by=Actor.operator(), file_name=path.name, enqueue=False
        )
    return imports.run(requested.id)


def _caught_up(container: ApplicationContainer) -> None:
    """Returns once the patient list has applied every event recorded so far."""
    head = container.patients.service().recorder.max_notification_id() or 0
    container.core.waiter().wait(PatientListProjection.name, head, CATCH_UP_TIMEOUT)


def _copy(settings: Settings, path: Path, rows: int) -> float:
    """COPY of the file's bytes (the server parses the CSV) into an unindexed text table."""
    columns = sql.SQL(", ").join(map(sql.Identifier, TEMPLATE_COLUMNS))
    create = sql.SQL("CREATE TABLE {} ({})").format(
        sql.Identifier(COPY_TABLE),
        sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in TEMPLATE_COLUMNS),
    )
    copy = sql.SQL(
        "COPY {} ({}) FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')"
    ).format(sql.Identifier(COPY_TABLE), columns)
    with psycopg.connect(settings.database_url) as connection:
        connection.execute(create)
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor, cursor.copy(copy) as stream, path.open("rb") as file:
            while block := file.read(COPY_BLOCK_BYTES):
                stream.write(block)
        connection.commit()
        seconds = time.perf_counter() - started
        copied = connection.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(COPY_TABLE))).fetchone()  # fmt: skip
    if copied is None or copied[0] != rows:
        raise RuntimeError(f"COPY loaded {copied} rows, expected {rows}")
    return per_second(rows, seconds)


def _merge_quality(settings: Settings, path: Path, truth: Path) -> dict[str, Any]:
    """Pairwise precision and recall of the merges against the file's truth: a near-duplicate
    and the row it repeats are one person, every other two rows are two. Rows the import
    rejected are left out; a suggested pair counts as not merged."""
    with truth.open(encoding="utf-8", newline="") as file:
        original_of = dict(csv.reader(file))
    with psycopg.connect(settings.database_url) as connection:
        listed = {row[0] for row in connection.execute("SELECT id FROM patient_list")}
        survivor_of = dict(
            connection.execute(
                "SELECT id, merged_into FROM patient_list WHERE merged_into IS NOT NULL"
            ).fetchall()
        )
    profiles: Counter[UUID] = Counter()
    people: Counter[str] = Counter()
    both: Counter[tuple[str, UUID]] = Counter()
    with path.open(encoding="utf-8-sig", newline="") as file:
        for row in csv.DictReader(file, delimiter=";"):
            external_id = row["external_id"]
            patient_id = patient_id_for(SOURCE, external_id)
            if patient_id not in listed:
                continue  # rejected
            while patient_id in survivor_of:
                patient_id = survivor_of[patient_id]
            person = original_of.get(external_id, external_id)
            profiles[patient_id] += 1
            people[person] += 1
            both[person, patient_id] += 1
    merged, true, right = _pairs(profiles), _pairs(people), _pairs(both)
    return {
        "precision": round(right / merged, 4) if merged else 1.0,
        "recall": round(right / true, 4) if true else 1.0,
        "merged_pairs": merged,
        "true_pairs": true,
    }


def _pairs(groups: Counter[Any]) -> int:
    return sum(size * (size - 1) // 2 for size in groups.values())


def _count(settings: Settings, table: str) -> int:
    with psycopg.connect(settings.database_url) as connection:
        found = connection.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()
    return int(found[0]) if found else 0


@contextmanager
def _peak_rss(interval: float = 0.25) -> Iterator[Any]:
    """The largest resident set of this process while inside, in MB: sampled from /proc where
    there is one (the file generation before is left out), else the lifetime's maxrss."""
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(interval):
            peak[0] = max(peak[0], _rss_kb())

    sampler = threading.Thread(target=sample, name="rss-sampler", daemon=True)
    sampler.start()
    try:
        yield lambda: round(max(peak[0], _rss_kb()) / 1024)
    finally:
        stop.set()
        sampler.join()


def _rss_kb() -> int:
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * resource.getpagesize() // 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux


@contextmanager
def _profiled(enabled: bool) -> Iterator[None]:
    """cProfile of the importing thread (the projection runs in another thread, unprofiled)."""
    if not enabled:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(PROFILE_LINES)
            print(out.getvalue())


def _peaks(figures: dict[str, Any]) -> str:
    """Peak memory of the importing process (and of the projections' one, if separate)."""
    separate = figures.get("projections_peak_rss_mb")
    return f"{figures['peak_rss_mb']}" + (f" + {separate}" if separate else "")


def _print(figures: dict[str, Any]) -> None:
    counts = figures["counts"]
    rate, copy = figures["rows_per_second"], figures["copy_rows_per_second"]
    print_table(
        f"d. Patient import, PostgreSQL ({figures['rows']:,} rows): end to end vs COPY",
        ["case", "rows/s", "seconds", "peak MB", "target"],
        [
            [
                f"import: validate, resolve, store, project ({figures['projections']})",
                rate,
                figures["seconds"],
                _peaks(figures),
                f">= {TARGET_ROWS_PER_SECOND:,} rows/s, <= {TARGET_PEAK_MB:,} MB",
            ],
            ["COPY into an unindexed table", copy, round(figures["rows"] / copy, 1), "", ""],
            [f"ours / COPY: {figures['ratio_to_copy']:.3f}", "", "", "", ""],
        ],
    )
    facts, quality = figures["file"], figures["merge_quality"]
    print(
        f"  merges against the file's truth: precision {quality['precision']:.4f}, recall "
        f"{quality['recall']:.4f} ({quality['merged_pairs']:,} pairs merged, "
        f"{quality['true_pairs']:,} true pairs)"
    )
    print(
        f"  file: {facts['people']:,} people, {facts['duplicates']:,} near-duplicates, "
        f"{facts['invalid']:,} invalid rows\n"
        f"  counts: {', '.join(f'{k} {v:,}' for k, v in counts.items())}; "
        f"patient list: {figures['patient_list_rows']:,} rows; status {figures['status']}"
    )


if __name__ == "__main__":
    from bench.run_all import main

    main(["--only", "import", "--backends", POSTGRES, *sys.argv[1:]])
