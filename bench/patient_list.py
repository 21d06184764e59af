"""e. The patient list at scale: latency of the list's searches, filters, sorts and pages.

`make bench` runs it on PostgreSQL, whose target it is (`run(["sqlite"], ...)` works too). The
read model is filled directly, not through the event store (the catch-up benchmark measures
that path): the demo generator's people, with statuses, sources, tags and consents drawn as a
clinic chain's would be, written by the projection's own `SqlPatientListWriter` (COPY on
PostgreSQL) in batches, then VACUUM ANALYZE as autovacuum would after a bulk load.

Each query kind then runs `samples` times, its parameters drawn from the people loaded (real
surname prefixes, phones, e-mails, cities), through `PatientQueries` as the API calls it: the
first page of 50, and for some kinds the page after it (from the first page's cursor). The
target is p95 <= 50 ms at 1,000,000 patients on PostgreSQL. Counts (the figure a bulk change
confirms) are reported beside them. `--patients 50000` makes a quick run.
"""

from __future__ import annotations

import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any
from uuid import UUID

import psycopg
from sqlalchemy import Engine

from bench.databases import POSTGRES, installation, running
from bench.report import latency_summary, per_second, print_table, write_results
from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.list_filter import PatientListFilter, PatientSort
from clinic.application.patients.queries import ANYONE, PatientQueries
from clinic.infrastructure.db import insert_rows
from clinic.infrastructure.demo.distributions import Weighted
from clinic.infrastructure.demo.generator import DemoPerson, generate_people
from clinic.infrastructure.patients.sql_views import SqlPatientListWriter
from clinic.infrastructure.patients.tables import patient_consents, patient_sources, patient_tags
from clinic.infrastructure.settings import Settings

TARGET_P95_MS = 50.0
PAGE = 50
BATCH = 20_000
WARM_UP = 3
KEPT_PEOPLE = 5_000
"""People kept in memory to draw query parameters from."""
REGISTERED_SINCE = datetime(2021, 1, 1, tzinfo=UTC)
REGISTRATION_DAYS = 5 * 365

STATUSES: Weighted[str] = Weighted(("active", "archived", "merged"), (90, 8, 2))
SOURCES: Weighted[str] = Weighted(
    ("manual", "import:mis", "website", "import:xlsx"), (45, 40, 10, 5)
)
TAG_SHARES = {"vip": 0.03, "корпоративный": 0.12, "льготник": 0.08, "contraindication:x-ray": 0.01}
CONSENT_SHARES = {
    ("sms", "service"): 0.85,
    ("sms", "marketing"): 0.45,
    ("email", "marketing"): 0.25,
    ("telegram", "marketing"): 0.12,
    ("whatsapp", "service"): 0.20,
}
NO_BIRTH_DATE_SHARE = 0.05
NO_CITY_SHARE = 0.05
WEBSITE_RECORD_SHARE = 0.05


@dataclass
class Loaded:
    """What the benchmark knows of the people it loaded, to ask realistic questions."""

    count: int = 0
    people: list[DemoPerson] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    records: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def run(backends: Sequence[str], *, patients: int, samples: int, seed: int) -> dict[str, Any]:
    figures = {backend: _measure(backend, patients, samples, seed) for backend in backends}
    _print(figures, patients)
    write_results(
        "patient_list",
        {
            "patients": patients,
            "samples": samples,
            "target_p95_ms": TARGET_P95_MS,
            "backends": figures,
        },
    )
    return figures


def _measure(backend: str, patients: int, samples: int, seed: int) -> dict[str, Any]:
    with installation(backend) as settings, running(settings) as container:
        loaded = _fill(container.core.database().write_engine, patients, seed)
        _analyze(settings)
        queries: PatientQueries = container.patients.queries()
        kinds = {
            name: latency_summary(_timings(timing, draw, queries, samples, seed, loaded))
            for name, timing, draw in _questions()
        }
    slowest = max(m["p95_ms"] for name, m in kinds.items() if not name.startswith("count"))
    return {
        "fill_s": round(loaded.seconds, 1),
        "fill_rows_per_s": per_second(patients, loaded.seconds),
        "kinds": kinds,
        "slowest_list_p95_ms": slowest,
        "meets_target": slowest <= TARGET_P95_MS if backend == POSTGRES else None,
    }


# --- filling the read model --------------------------------------------------------------------


def _fill(engine: Engine, count: int, seed: int) -> Loaded:
    rng = random.Random(seed + 1)  # statuses, sources, tags: not the people's own draws
    loaded = Loaded()
    people = generate_people(count, seed)
    started = time.perf_counter()
    while batch := list(islice(people, BATCH)):
        with engine.begin() as connection:
            writer = SqlPatientListWriter(connection)
            side: dict[Any, list[dict[str, Any]]] = {patient_tags: [], patient_consents: []}
            records: list[dict[str, Any]] = []
            for person in batch:
                _add(writer, person, rng, side, records, loaded)
            writer.flush()
            for table, rows in (*side.items(), (patient_sources, records)):
                insert_rows(connection, table, rows)
        print(f"\r  loaded {loaded.count:,} patients", end="", file=sys.stderr)
    loaded.seconds = time.perf_counter() - started
    print(file=sys.stderr)
    return loaded


def _add(
    writer: SqlPatientListWriter,
    person: DemoPerson,
    rng: random.Random,
    side: dict[Any, list[dict[str, Any]]],
    records: list[dict[str, Any]],
    loaded: Loaded,
) -> None:
    patient_id = UUID(int=rng.getrandbits(128), version=4)
    summary = PatientSummary(
        id=patient_id,
        surname=person.surname,
        given_name=person.given_name,
        patronymic=person.patronymic,
        sex=person.sex,
        birth_date=None if rng.random() < NO_BIRTH_DATE_SHARE else person.birth_date,
        phone=_e164(person.phone),
        email=person.email,
        status=STATUSES.pick(rng),
        registered_at=REGISTERED_SINCE
        + timedelta(seconds=rng.randrange(REGISTRATION_DAYS * 86400)),
        city=None if rng.random() < NO_CITY_SHARE else person.city,
    )
    source = SOURCES.pick(rng)
    external_id = None if source == "manual" else str(rng.randrange(10**9))
    writer.add_patient(summary, source=source, external_id=external_id)
    side[patient_tags] += [
        {"patient_id": patient_id, "tag": tag}
        for tag, share in TAG_SHARES.items()
        if rng.random() < share
    ]
    side[patient_consents] += [
        {"patient_id": patient_id, "channel": channel, "purpose": purpose}
        for (channel, purpose), share in CONSENT_SHARES.items()
        if rng.random() < share and (channel != "email" or person.email)
    ]
    if rng.random() < WEBSITE_RECORD_SHARE:
        records.append(
            {
                "patient_id": patient_id,
                "source": "website",
                "external_id": f"w{rng.randrange(10**9)}",
            }
        )
    loaded.count += 1
    if len(loaded.people) < KEPT_PEOPLE:
        loaded.people.append(person)
        loaded.phones += [summary.phone] if summary.phone else []
        loaded.records += [] if external_id is None else [(source, external_id)]


def _e164(typed: str | None) -> str | None:
    """A typed Russian mobile (`8 (916) 123-45-67`) as the domain stores it: `+79161234567`."""
    if typed is None:
        return None
    digits = re.sub(r"\D", "", typed)
    return "+7" + digits[-10:]


def _analyze(settings: Settings) -> None:
    """VACUUM ANALYZE the list's tables, as autovacuum would soon after a bulk load."""
    tables = ("patient_list", "patient_tags", "patient_consents", "patient_sources")
    if settings.is_sqlite:
        with closing(sqlite3.connect(settings.sqlite_path)) as connection:
            connection.execute("ANALYZE")
        return
    with psycopg.connect(settings.database_url, autocommit=True) as connection:
        for table in tables:
            connection.execute(f'VACUUM ANALYZE "{table}"')


# --- the questions asked -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Search:
    query: str = ""
    filters: PatientListFilter = ANYONE
    sort: PatientSort = PatientSort.NAME


Draw = Callable[[random.Random, Loaded], Search]
Timing = Callable[[PatientQueries, Draw, random.Random, Loaded], float]


def _where(
    sort: PatientSort = PatientSort.NAME, query: Any = "", drawn: Any = None, **filters: Any
) -> Draw:
    """A search whose text and filter values are drawn afresh for each sample when they are
    callables of (rng, loaded); `drawn` draws several filters together (a range)."""

    def draw(rng: random.Random, loaded: Loaded) -> Search:
        text = query(rng, loaded) if callable(query) else query
        values = {k: v(rng, loaded) if callable(v) else v for k, v in filters.items()}
        values |= drawn(rng, loaded) if drawn else {}
        return Search(text, PatientListFilter.parse(**values), sort)

    return draw


def _surname_start(rng: random.Random, loaded: Loaded) -> str:
    surname = rng.choice(loaded.people).surname
    return surname[: rng.randint(3, min(6, len(surname)))]


def _full_name_start(rng: random.Random, loaded: Loaded) -> str:
    person = rng.choice(loaded.people)
    return f"{person.surname} {person.given_name[:2]}"


def _typed_phone_start(rng: random.Random, loaded: Loaded) -> str:
    digits = rng.choice(loaded.phones)[2:]
    typed = digits[: rng.randint(6, 10)]
    return f"8 ({typed[:3]}) {typed[3:]}"


def _email_start(rng: random.Random, loaded: Loaded) -> str:
    email = rng.choice([p.email for p in loaded.people if p.email])
    return email.split("@")[0][:5] if rng.random() < 0.5 else email


def _city(rng: random.Random, loaded: Loaded) -> str:
    return rng.choice(loaded.people).city


def _ages(rng: random.Random, _: Loaded) -> dict[str, int]:
    """An age range as a reception would ask: children, young adults, ..., pensioners."""
    youngest, oldest = rng.choice(((0, 17), (18, 24), (25, 34), (35, 44), (45, 59), (60, 90)))
    return {"age_from": youngest, "age_to": oldest}


def _two_months(rng: random.Random, _: Loaded) -> dict[str, str]:
    first = (REGISTERED_SINCE + timedelta(days=rng.randrange(REGISTRATION_DAYS - 61))).date()
    return {"registered_from": first.isoformat(), "registered_to": str(first + timedelta(60))}


NEWEST, BORN, YOUNGEST = (
    PatientSort.NEWEST_FIRST,
    PatientSort.BIRTH_DATE,
    PatientSort.YOUNGEST_FIRST,
)
SEARCHES: dict[str, Draw] = {
    "name prefix": _where(query=_surname_start),
    "surname + given name prefix": _where(query=_full_name_start),
    "phone, typed, partial": _where(query=_typed_phone_start),
    "e-mail or its start": _where(query=_email_start),
    "everyone, by name": _where(),
    "status archived": _where(status="archived"),
    "status merged (2%)": _where(status="merged"),
    "sex F": _where(sex="F"),
    "age 30-40": _where(age_from=30, age_to=40),
    "age range (e.g. 18-24)": _where(drawn=_ages),
    "city": _where(city=_city),
    "tag vip (3%)": _where(tag="vip"),
    "tag contraindication (1%)": _where(tag="contraindication:x-ray"),
    "source website": _where(source="website"),
    "consent sms:marketing": _where(consent="sms:marketing"),
    "registered within 2 months": _where(drawn=_two_months),
    "F + 25-45 + city + email:marketing + active": _where(
        sex="F", age_from=25, age_to=45, city=_city, consent="email:marketing", status="active"
    ),
    "name prefix + active + city": _where(query=_surname_start, status="active", city=_city),
    "sort registered_at": _where(PatientSort.REGISTERED_AT),
    "sort -registered_at": _where(NEWEST),
    "sort birth_date": _where(BORN),
    "sort -birth_date": _where(YOUNGEST),
    "-registered_at + city": _where(NEWEST, city=_city),
    "-birth_date + age range": _where(YOUNGEST, drawn=_ages),
    "tag vip, -registered_at": _where(NEWEST, tag="vip"),
}
NEXT_PAGES = (
    "name prefix",
    "everyone, by name",
    "city",
    "F + 25-45 + city + email:marketing + active",
    "sort -registered_at",
    "sort birth_date",
    "-registered_at + city",
)
COUNTS = (
    "everyone, by name",
    "city",
    "consent sms:marketing",
    "F + 25-45 + city + email:marketing + active",
)


def _search(queries: PatientQueries, search: Search, cursor: str | None = None) -> Any:
    return queries.search_patients(
        search.query, filters=search.filters, sort=search.sort, limit=PAGE, cursor=cursor
    )


def _first_page(queries: PatientQueries, draw: Draw, rng: random.Random, loaded: Loaded) -> float:
    search = draw(rng, loaded)
    started = time.perf_counter()
    _search(queries, search)
    return time.perf_counter() - started


def _next_page(queries: PatientQueries, draw: Draw, rng: random.Random, loaded: Loaded) -> float:
    """The page after the first (drawn until a search has one; the first page is untimed)."""
    for _ in range(100):
        search = draw(rng, loaded)
        cursor = _search(queries, search).next_cursor
        if cursor is not None:
            started = time.perf_counter()
            _search(queries, search, cursor)
            return time.perf_counter() - started
    raise RuntimeError("no search drawn has a second page")


def _count(queries: PatientQueries, draw: Draw, rng: random.Random, loaded: Loaded) -> float:
    search = draw(rng, loaded)
    started = time.perf_counter()
    queries.count_patients(search.query, search.filters)
    return time.perf_counter() - started


def _by_source(queries: PatientQueries, _: Draw, rng: random.Random, loaded: Loaded) -> float:
    source, external_id = rng.choice(loaded.records)
    started = time.perf_counter()
    queries.find_patient_by_source(source, external_id)
    return time.perf_counter() - started


def _questions() -> Iterator[tuple[str, Timing, Draw]]:
    for name, draw in SEARCHES.items():
        yield name, _first_page, draw
    for name in NEXT_PAGES:
        yield f"{name}: next page", _next_page, SEARCHES[name]
    for name in COUNTS:
        yield f"count: {name}", _count, SEARCHES[name]
    yield "by source record", _by_source, _where()


def _timings(
    timing: Timing, draw: Draw, queries: PatientQueries, samples: int, seed: int, loaded: Loaded
) -> list[float]:
    rng = random.Random(seed)
    for _ in range(WARM_UP):
        timing(queries, draw, rng, loaded)
    return [timing(queries, draw, rng, loaded) for _ in range(samples)]


def _print(figures: dict[str, dict[str, Any]], patients: int) -> None:
    for backend, measured in figures.items():
        rows = [
            [name, m["p50_ms"], m["p95_ms"], m["max_ms"]] for name, m in measured["kinds"].items()
        ]
        verdict = {True: "meets it", False: "MISSES it", None: "target is for PostgreSQL"}
        print_table(
            f"e. Patient list, {backend}, {patients:,} patients (filled in {measured['fill_s']} s, "
            f"{measured['fill_rows_per_s']:,.0f} rows/s); latency in ms, target p95 <= "
            f"{TARGET_P95_MS:.0f} for pages: slowest page p95 {measured['slowest_list_p95_ms']} "
            f"({verdict[measured['meets_target']]})",
            ["query", "p50", "p95", "max"],
            rows,
        )


if __name__ == "__main__":
    from bench.run_all import main

    main(["--only", "patient_list", *sys.argv[1:]])
