"""Identity resolution quality and speed on labelled person records.

`python -m bench.identity_resolution [--file PATH ...] [--merge W] [--suggest W] [--fit]`

Each record carries the id of the real person it describes (`cluster`). The Resolver's profiles
are scored pairwise (the definitions of ../shared/data/linkage/README.md):
precision = true pairs put in one profile / all pairs put in one profile,
recall = true pairs put in one profile / all true pairs. Blocking recall is the share of true
pairs that blocking makes candidates at all; "reachable" the share whose records are joined by a
chain of true candidate pairs (what a perfect scorer could find). Speed is records/s of
`Resolver.resolve` (normalisation, blocking, scoring, clustering) on one core, loading excluded,
by the wall clock and by the process's CPU time (steadier on a shared machine); and the CPU
time of `Resolver.decide` on a sample of candidate pairs (how the importer meets listed ones).
`--fit` also prints the field weights EM estimates from each file without its labels
(`estimation.fit_weights`: how `scoring.DEFAULT_WEIGHTS` were set).
Default files: fake_1000.csv and historical_figures_with_errors_50k.parquet; any CSV or parquet
with the same columns works (unique_id, cluster, first_name, surname, dob, and any of city,
birth_place, email, postcode_fake, gender, phone, patronymic, source, external_id, address).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from bench.report import machine, per_second, print_table, write_results
from clinic.domain.patients.matching.blocking import candidate_pairs
from clinic.domain.patients.matching.decisions import Thresholds
from clinic.domain.patients.matching.estimation import Population, fit_weights, sample_pairs
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.resolver import Resolution, Resolver
from clinic.domain.patients.matching.scoring import FIELDS, compare

LINKAGE = Path(__file__).resolve().parents[2] / "shared" / "data" / "linkage"
DEFAULT_FILES = (
    LINKAGE / "fake_1000.csv",
    LINKAGE / "historical_figures_with_errors_50k.parquet",
)
TARGET_PRECISION, TARGET_RECALL = 0.99, 0.95
DECIDE_SAMPLE, DECIDE_SEED = 20_000, 1
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
    files: Sequence[Path] = DEFAULT_FILES,
    thresholds: Thresholds | None = None,
    *,
    fitted: bool = False,
) -> dict[str, Any]:
    resolver = Resolver(thresholds=thresholds or Thresholds())
    figures = {
        path.name: _measure(resolver, path, fitted=fitted) for path in files if path.exists()
    }
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


def blocking_quality(
    resolver: Resolver, records: Sequence[MatchRecord], truth: dict[str, str]
) -> dict[str, float]:
    """Blocking recall (true pairs made candidates) and reachable recall (true pairs joined by a
    chain of true candidate pairs)."""
    features = _features(resolver, records)
    people = [truth[f.record_id] for f in features]
    parent = list(range(len(features)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    found = 0
    for i, j in candidate_pairs(features, resolver.max_block, resolver.window):
        if people[i] == people[j]:
            found += 1
            parent[root(i)] = root(j)
    true = sum(_pairs(count) for count in Counter(people).values())
    reachable = sum(
        _pairs(count) for count in Counter((people[i], root(i)) for i in parent).values()
    )
    return {
        "blocking_recall": round(found / true, 4) if true else 1.0,
        "reachable_recall": round(reachable / true, 4) if true else 1.0,
    }


def fit(resolver: Resolver, records: Sequence[MatchRecord]) -> dict[str, Any]:
    """The weights EM finds in `records` without labels, and its share of matching pairs."""
    features = _features(resolver, records)
    size = len(features)
    candidates = Counter(
        compare(features[i], features[j])[0]
        for i, j in candidate_pairs(features, resolver.max_block, resolver.window)
    )
    codes = {
        i * size + j for i, j in candidate_pairs(features, resolver.max_block, resolver.window)
    }
    sample = Counter(
        compare(features[i], features[j])[0]
        for i, j in sorted(sample_pairs(size))
        if i * size + j not in codes
    )
    population = Population(size, sum(candidates.values()))
    weights, share = fit_weights(FIELDS, candidates, sample, population)
    return {
        "match_share": share,
        "weights": {
            f: {lv: round(w, 2) for lv, w in levels.items()} for f, levels in weights.items()
        },
    }


def _measure(resolver: Resolver, path: Path, *, fitted: bool = False) -> dict[str, Any]:
    records, truth = load(path)
    started, cpu_started = time.perf_counter(), time.process_time()
    resolution = resolver.resolve(records)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    quality = pairwise_quality(resolution.clusters, truth)
    figures = {
        "records": len(records),
        "persons": len(set(truth.values())),
        **quality,
        **blocking_quality(resolver, records, truth),
        "profiles": len(resolution.clusters),
        "pairs_compared": resolution.pairs_compared,
        "merges": len(resolution.merges),
        "suggestions": len(resolution.suggestions),
        "true_suggestions": _true_suggestions(resolution, truth),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "records_per_s": per_second(len(records), seconds),
        "records_per_cpu_s": per_second(len(records), cpu_seconds),
        "pairs_per_s": per_second(resolution.pairs_compared, seconds),
        "decide_cpu_us": _decide_cpu_us(resolver, records),
        "meets_target": quality["precision"] >= TARGET_PRECISION
        and quality["recall"] >= TARGET_RECALL,
    }
    if fitted:
        figures["fit"] = fit(resolver, records)
    return figures


def _decide_cpu_us(
    resolver: Resolver, records: Sequence[MatchRecord], sample: int = DECIDE_SAMPLE
) -> float:
    """CPU µs per `Resolver.decide` on a sample of the candidate pairs, as the importer decides
    new records against the listed ones."""
    features = _features(resolver, records)
    pairs = sorted(candidate_pairs(features, resolver.max_block, resolver.window))
    chosen = random.Random(DECIDE_SEED).sample(pairs, min(sample, len(pairs)))
    started = time.process_time()
    for i, j in chosen:
        resolver.decide(features[i], features[j])
    return round((time.process_time() - started) / max(1, len(chosen)) * 1e6, 2)


def _features(resolver: Resolver, records: Sequence[MatchRecord]) -> list[Features]:
    return sorted((resolver.features(r) for r in records), key=lambda f: f.record_id)


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
        "file", "records", "precision", "recall", "F1", "blocking recall", "reachable",
        "pairs compared", "suggestions", "records/s", "records/cpu-s", "µs/decide", "target",
    )  # fmt: skip
    rows = [
        (
            name,
            f["records"],
            f"{f['precision']:.4f}",
            f"{f['recall']:.4f}",
            f"{f['f1']:.4f}",
            f"{f['blocking_recall']:.4f}",
            f"{f['reachable_recall']:.4f}",
            f["pairs_compared"],
            f["suggestions"],
            f["records_per_s"],
            f["records_per_cpu_s"],
            f["decide_cpu_us"],
            "met" if f["meets_target"] else "missed",
        )
        for name, f in figures.items()
    ]
    print_table(
        f"identity resolution (precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL})",
        header,
        rows,
    )
    for name, f in figures.items():
        if "fit" in f:
            share = f["fit"]["match_share"]
            print(
                f"\n{name}: weights EM finds without labels (share of matching pairs {share:.2e})"
            )
            for field, levels in f["fit"]["weights"].items():
                print(f"  {field:11} " + "  ".join(f"{lv} {w:+.1f}" for lv, w in levels.items()))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.identity_resolution", description=__doc__
    )
    parser.add_argument("--file", action="append", type=Path, help="a labelled CSV or parquet")
    parser.add_argument("--merge", type=float, default=Thresholds().merge)
    parser.add_argument("--suggest", type=float, default=Thresholds().suggest)
    parser.add_argument("--fit", action="store_true", help="also print the weights EM fits")
    options = parser.parse_args(argv)
    print(f"machine: {machine()}")
    thresholds = Thresholds(merge=options.merge, suggest=options.suggest)
    run(options.file or DEFAULT_FILES, thresholds, fitted=options.fit)


if __name__ == "__main__":
    main()
