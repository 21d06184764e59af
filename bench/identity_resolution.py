"""Identity resolution quality and speed on labelled person records.

`python -m bench.identity_resolution [--file PATH ...] [--merge W] [--suggest W]`

Each record carries the id of the real person it describes (`cluster`). The Resolver's profiles
are scored pairwise (the definitions of ../shared/data/linkage/README.md):
precision = true pairs put in one profile / all pairs put in one profile,
recall = true pairs put in one profile / all true pairs. Speed is records/s of `Resolver.resolve`
(normalisation, blocking, scoring, clustering) on one core, loading excluded.
Default files: fake_1000.csv and historical_figures_with_errors_50k.parquet; any CSV or parquet
with the same columns works (unique_id, cluster, first_name, surname, dob, and any of city,
birth_place, email, postcode_fake, gender, phone, patronymic, source, external_id, address).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from bench.report import machine, per_second, print_table, write_results
from clinic.domain.patients.matching.decisions import Thresholds
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.resolver import Resolution, Resolver

LINKAGE = Path(__file__).resolve().parents[2] / "shared" / "data" / "linkage"
DEFAULT_FILES = (
    LINKAGE / "fake_1000.csv",
    LINKAGE / "historical_figures_with_errors_50k.parquet",
)
TARGET_PRECISION, TARGET_RECALL = 0.99, 0.95
_COLUMNS = {  # file column → MatchRecord field; the first present wins
    "first_name": "given_name",
    "surname": "surname",
    "patronymic": "patronymic",
    "gender": "sex",
    "sex": "sex",
    "city": "city",
    "birth_place": "city",
    "postcode_fake": "postcode",
    "postcode": "postcode",
    "address": "address",
    "source": "source",
    "external_id": "external_id",
}


def run(
    files: Sequence[Path] = DEFAULT_FILES, thresholds: Thresholds | None = None
) -> dict[str, Any]:
    resolver = Resolver(thresholds=thresholds or Thresholds())
    figures = {path.name: _measure(resolver, path) for path in files if path.exists()}
    missing = [str(path) for path in files if not path.exists()]
    if missing:
        print(f"identity: skipped missing files: {', '.join(missing)}")
    _print(figures)
    write_results(
        "identity_resolution",
        {
            "thresholds": {
                "merge": resolver.thresholds.merge,
                "suggest": resolver.thresholds.suggest,
            },
            "files": figures,
        },
    )
    return figures


def load(path: Path) -> tuple[list[MatchRecord], dict[str, str]]:
    """Records of a labelled file and the true person of each record id."""
    frame = (
        pl.read_parquet(path)
        if path.suffix == ".parquet"
        else pl.read_csv(path, infer_schema=False)
    )
    frame = frame.with_columns(pl.all().cast(pl.String))
    records, truth = [], {}
    for row in frame.iter_rows(named=True):
        record_id = row["unique_id"]
        truth[record_id] = row["cluster"]
        records.append(_record(row))
    return records, truth


def pairwise_quality(clusters: Sequence[Sequence[str]], truth: dict[str, str]) -> dict[str, Any]:
    """Pairwise precision, recall and F1 of `clusters` against the true persons."""
    predicted = sum(_pairs(len(cluster)) for cluster in clusters)
    correct = sum(
        _pairs(count)
        for cluster in clusters
        for count in Counter(truth[record_id] for record_id in cluster).values()
    )
    true = sum(_pairs(count) for count in Counter(truth.values()).values())
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "pairs_predicted": predicted,
        "pairs_true": true,
        "pairs_correct": correct,
    }


def _measure(resolver: Resolver, path: Path) -> dict[str, Any]:
    records, truth = load(path)
    started = time.perf_counter()
    resolution = resolver.resolve(records)
    seconds = time.perf_counter() - started
    quality = pairwise_quality(resolution.clusters, truth)
    return {
        "records": len(records),
        "persons": len(set(truth.values())),
        **quality,
        "profiles": len(resolution.clusters),
        "pairs_compared": resolution.pairs_compared,
        "merges": len(resolution.merges),
        "suggestions": len(resolution.suggestions),
        "true_suggestions": _true_suggestions(resolution, truth),
        "seconds": round(seconds, 2),
        "records_per_s": per_second(len(records), seconds),
        "pairs_per_s": per_second(resolution.pairs_compared, seconds),
        "meets_target": quality["precision"] >= TARGET_PRECISION
        and quality["recall"] >= TARGET_RECALL,
    }


def _true_suggestions(resolution: Resolution, truth: dict[str, str]) -> int:
    return sum(
        1 for s in resolution.suggestions if truth[s.record_ids[0]] == truth[s.record_ids[1]]
    )


def _record(row: dict[str, Any]) -> MatchRecord:
    fields: dict[str, Any] = {}
    for column, name in _COLUMNS.items():
        if row.get(column) and name not in fields:
            fields[name] = row[column]
    return MatchRecord(
        record_id=row["unique_id"],
        birth_date=_date(row.get("dob")),
        phones=tuple(_values(row.get("phone"))),
        emails=tuple(_values(row.get("email"))),
        **fields,
    )


def _date(raw: str | None) -> date | None:
    """ISO dates; impossible ones (the data has `1856-86-18`) count as missing."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None


def _values(raw: str | None) -> Iterator[str]:
    if raw:
        yield from (value.strip() for value in raw.split(";") if value.strip())


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def _print(figures: dict[str, dict[str, Any]]) -> None:
    header = (
        "file", "records", "precision", "recall", "F1", "pairs compared", "suggestions",
        "records/s", "target",
    )  # fmt: skip
    rows = [
        (
            name,
            f["records"],
            f"{f['precision']:.4f}",
            f"{f['recall']:.4f}",
            f"{f['f1']:.4f}",
            f["pairs_compared"],
            f["suggestions"],
            f["records_per_s"],
            "met" if f["meets_target"] else "missed",
        )
        for name, f in figures.items()
    ]
    print_table(
        f"identity resolution (precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL})",
        header,
        rows,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.identity_resolution", description=__doc__
    )
    parser.add_argument("--file", action="append", type=Path, help="a labelled CSV or parquet")
    parser.add_argument("--merge", type=float, default=Thresholds().merge)
    parser.add_argument("--suggest", type=float, default=Thresholds().suggest)
    options = parser.parse_args(argv)
    print(f"machine: {machine()}")
    run(options.file or DEFAULT_FILES, Thresholds(merge=options.merge, suggest=options.suggest))


if __name__ == "__main__":
    main()
