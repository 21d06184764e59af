"""Runs every benchmark: `python -m bench.run_all [--events N] [--only catch_up] ...`.

Each figure is printed next to a baseline measured in the same run, on SQLite (a temporary
directory) and PostgreSQL (a database created and dropped here; `CLINIC_BENCH_POSTGRES_URL`
names the server, default postgres@127.0.0.1:5432). JSON results go to bench/results/.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from bench import (
    catch_up,
    identity_resolution,
    patient_import,
    patient_list,
    read_your_writes,
    registration,
)
from bench.databases import BACKENDS, POSTGRES, postgres_unreachable
from bench.report import machine
from clinic.infrastructure.demo.generator import DEFAULT_SEED
from clinic.infrastructure.settings import Settings

BENCHMARKS = (
    "registration", "catch_up", "read_your_writes", "identity", "import", "patient_list",
)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    options = _parser().parse_args(argv)
    backends = _reachable(options.backends.split(","))
    only = options.only.split(",")
    started = time.perf_counter()
    print(f"backends: {', '.join(backends)}; seed {options.seed}; machine: {machine()}")
    if "registration" in only:
        registration.run(
            backends, single=options.single, batched=options.batched, seed=options.seed
        )
    if "catch_up" in only:
        catch_up.run(
            backends,
            events=dict.fromkeys(backends, options.events),
            sample=options.sample,
            batch_size=options.batch_size,
            seed=options.seed,
            profile=options.profile,
        )
    if "read_your_writes" in only:
        read_your_writes.run(backends, samples=options.samples, seed=options.seed)
    if "identity" in only:
        identity_resolution.run()  # no database: the domain's Resolver on labelled files
    if "import" in only and POSTGRES in backends:
        patient_import.run(
            options.rows,
            seed=options.seed,
            profile=options.profile,
            projections=options.projections,
        )
    if "patient_list" in only and POSTGRES in backends:  # the target's backend
        patient_list.run(
            [POSTGRES], patients=options.patients, samples=options.list_samples, seed=options.seed
        )
    print(f"\nall benchmarks: {time.perf_counter() - started:.0f} s; machine after: {machine()}")
    print("JSON results in bench/results/")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__)
    parser.add_argument("--backends", default=",".join(BACKENDS), help="sqlite,postgres")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=",".join(BENCHMARKS))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--single", type=int, default=1000, help="a. registrations one per save")
    parser.add_argument(
        "--batched", type=int, default=20_000, help="a. registrations 1000 per save"
    )
    parser.add_argument(
        "--events", type=int, default=100_000, help="b. events pre-loaded, then caught up"
    )
    parser.add_argument(
        "--sample", type=int, default=2000, help="b. events applied one transaction each"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=Settings.model_fields["projection_batch_size"].default,
        help="b. projection batch size (default: the settings' default)",
    )
    parser.add_argument("--samples", type=int, default=300, help="c. latency samples")
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="d. rows of the imported file (PostgreSQL)"
    )
    parser.add_argument(
        "--projections",
        choices=patient_import.PROJECTIONS,
        default=patient_import.PROCESS,
        help="d. projections in a process of their own or in the importing one",
    )
    parser.add_argument(
        "--patients", type=int, default=1_000_000, help="e. patients in the list (PostgreSQL)"
    )
    parser.add_argument(
        "--list-samples", type=int, default=50, help="e. samples per kind of list query"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="b. print a cProfile of each catch-up; d. of the importing thread",
    )
    return parser


def _reachable(backends: list[str]) -> list[str]:
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        sys.exit(f"unknown backends: {', '.join(sorted(unknown))}")
    if POSTGRES in backends and (reason := postgres_unreachable()):
        print(f"PostgreSQL skipped: {reason}")
        return [b for b in backends if b != POSTGRES]
    return backends


if __name__ == "__main__":
    main()
