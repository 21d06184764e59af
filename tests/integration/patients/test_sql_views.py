"""The SQL patient list against a brute-force oracle: for any patients and any search, filters
and sort, walking every page gives exactly the patients a plain Python filter and sort of the
same rows gives, in the same order; the count and the ids agree. On every backend."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.list_filter import PatientCriteria, PatientListFilter, PatientSort
from clinic.domain.patients.consents import Channel, Purpose
from clinic.domain.patients.values import PatientStatus
from clinic.domain.shared.age_bands import age_on
from clinic.infrastructure.patients.search_keys import (
    city_key,
    email_key,
    looks_like_phone,
    name_key,
    phone_key,
    phone_query_key,
)
from clinic.infrastructure.patients.sql_matching import SqlMatchCandidates
from clinic.infrastructure.patients.sql_views import SqlPatientListView, SqlPatientListWriter
from clinic.presentation.bootstrap.containers import ApplicationContainer

TODAY = date(2026, 3, 1)
SURNAMES = ("Иванова", "Иванов", "Ёлкина", "Елкин", "Петров", "")
GIVEN_NAMES = ("Мария", "Иван", "Пётр")
CITIES = ("Москва", "москва", "Нижний Новгород", "Тверь")
TAGS = ("vip", "диабет")
CONSENTS = ((Channel.SMS, Purpose.MARKETING), (Channel.EMAIL, Purpose.SERVICE))
SOURCES = ("manual", "mis", "website")
MOMENTS = tuple(datetime(2025, 1, 1, 9, tzinfo=UTC) + timedelta(days=d) for d in (0, 0, 3, 40))
BIRTH_DATES = (date(1950, 3, 1), date(1990, 6, 15), date(2008, 3, 1), date(2008, 3, 2))
EDGE_AGES = (17, 18, 35, 36, 75, 76)
"""Ages on TODAY of BIRTH_DATES, and the next: range ends fall on birthdays."""
T = TypeVar("T")
QUERIES = ("", "ив", "иванова м", "елк", "пётр", "+7 916", "8916123", "maria@", "MARIA@MAIL")


@dataclass(frozen=True)
class Listed:
    """A patient list row and what the filters look up of it."""

    summary: PatientSummary
    tags: frozenset[str]
    consents: frozenset[tuple[Channel, Purpose]]
    source: str
    records: frozenset[tuple[str, str]]


@st.composite
def listed_patients(draw: st.DrawFn) -> Listed:
    phone = draw(st.sampled_from((None, "+79161234567", "+79161239999", "+79031234567")))
    summary = PatientSummary(
        id=draw(st.uuids()),
        surname=draw(st.sampled_from(SURNAMES)),
        given_name=draw(st.sampled_from(GIVEN_NAMES)),
        patronymic=draw(st.sampled_from((None, "Петровна"))),
        sex=draw(st.sampled_from((None, "F", "M"))),
        birth_date=draw(
            st.none() | st.sampled_from(BIRTH_DATES) | st.dates(date(1930, 1, 1), TODAY)
        ),
        phone=phone,
        email=draw(st.sampled_from((None, "maria@mail.ru", "ivan@ya.ru"))),
        status=draw(st.sampled_from(("active", "archived", "merged"))),
        registered_at=draw(st.sampled_from(MOMENTS)),
        city=draw(st.none() | st.sampled_from(CITIES)),
    )
    return Listed(
        summary,
        draw(st.frozensets(st.sampled_from(TAGS))),
        draw(st.frozensets(st.sampled_from(CONSENTS))),
        draw(st.sampled_from(SOURCES)),
        draw(st.frozensets(st.tuples(st.sampled_from(SOURCES), st.sampled_from(("1", "2"))))),
    )


def sometimes(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    """None three times in four: a few filters at a time leave patients to page through."""
    return st.sampled_from((False, False, False, True)).flatmap(
        lambda drawn: strategy if drawn else st.none()
    )


@st.composite
def filters(draw: st.DrawFn) -> PatientListFilter:
    ages = sorted(
        draw(st.lists(st.sampled_from(EDGE_AGES) | st.integers(0, 100), min_size=2, max_size=2))
    )
    days = sorted(
        draw(st.lists(st.sampled_from([m.date() for m in MOMENTS]), min_size=2, max_size=2))
    )
    return PatientListFilter(
        status=draw(sometimes(st.sampled_from(list(PatientStatus)[:3]))),
        sex=draw(sometimes(st.sampled_from(("F", "M")))),
        age_from=draw(sometimes(st.just(ages[0]))),
        age_to=draw(sometimes(st.just(ages[1]))),
        city=draw(sometimes(st.sampled_from((*CITIES, "МОСКВА", "Казань")))),
        tag=draw(sometimes(st.sampled_from((*TAGS, "никто")))),
        source=draw(sometimes(st.sampled_from(SOURCES))),
        consent=draw(sometimes(st.sampled_from(CONSENTS))),
        registered_from=draw(sometimes(st.just(days[0]))),
        registered_to=draw(sometimes(st.just(days[1]))),
    )


def oracle(patients: list[Listed], criteria: PatientCriteria, sort: PatientSort) -> list[UUID]:
    """The ids of the patients `criteria` selects in `sort` order, worked out in Python."""
    chosen = [p.summary for p in patients if _selects(criteria, p)]
    column = sort.value.removeprefix("-")
    descending = sort.value.startswith("-")
    if column == "name":
        ordered = sorted(chosen, key=lambda s: (_name_key(s), s.id))
        return [s.id for s in ordered]
    valued = [s for s in chosen if getattr(s, column) is not None]
    ordered = sorted(valued, key=lambda s: (getattr(s, column), s.id), reverse=descending)
    missing = sorted(
        (s for s in chosen if getattr(s, column) is None), key=lambda s: s.id, reverse=descending
    )
    return [s.id for s in ordered + missing]


def _selects(criteria: PatientCriteria, patient: Listed) -> bool:
    s, f = patient.summary, criteria.filters
    age = None if s.birth_date is None else age_on(s.birth_date, criteria.today)
    checks = [
        _text_matches(criteria.query, s),
        s.status != "merged" if f.status is None else s.status == f.status.value,
        f.sex is None or s.sex == f.sex,
        f.age_from is None or (age is not None and age >= f.age_from),
        f.age_to is None or (age is not None and age <= f.age_to),
        f.city is None or (s.city is not None and city_key(s.city) == city_key(f.city)),
        f.tag is None or f.tag in patient.tags,
        f.consent is None or f.consent in patient.consents,
        f.source is None or f.source in {patient.source, *(r[0] for r in patient.records)},
        f.registered_from is None or s.registered_at.date() >= f.registered_from,
        f.registered_to is None or s.registered_at.date() <= f.registered_to,
    ]
    return all(checks)


def _text_matches(query: str, s: PatientSummary) -> bool:
    if not query:
        return True
    if "@" in query:
        return (email_key(s.email) or "\0").startswith(email_key(query) or "")
    if looks_like_phone(query):
        return (phone_key(s.phone) or "\0").startswith(phone_query_key(query))
    key = name_key(query)
    if " " in key:
        return _name_key(s).startswith(key)
    return _name_key(s).startswith(key) or name_key(s.given_name).startswith(key)


def _name_key(s: PatientSummary) -> str:
    return name_key(s.surname, s.given_name, s.patronymic)


@dataclass
class ListDatabase:
    engine: Engine
    view: SqlPatientListView

    def load(self, patients: list[Listed]) -> None:
        with self.engine.begin() as connection:
            writer = SqlPatientListWriter(connection)
            writer.reset()
            for patient in patients:
                writer.add_patient(patient.summary, source=patient.source, external_id=None)
            for patient in patients:
                patient_id = patient.summary.id
                for tag in patient.tags:
                    writer.add_tag(patient_id, tag)
                for channel, purpose in patient.consents:
                    writer.set_consent(patient_id, channel.value, purpose.value, granted=True)
                for source, external_id in patient.records:
                    writer.add_source_record(patient_id, source, external_id)
            writer.flush()

    def walk(self, criteria: PatientCriteria, sort: PatientSort, limit: int) -> list[UUID]:
        walked: list[UUID] = []
        cursor: str | None = None
        for _ in range(100):
            page = self.view.search(criteria, sort, limit, cursor)
            assert len(page.items) <= limit
            walked += [p.id for p in page.items]
            cursor = page.next_cursor
            if cursor is None:
                return walked
        pytest.fail("the pages do not end")


@pytest.fixture
def database(container: ApplicationContainer) -> ListDatabase:
    return ListDatabase(container.core.database().write_engine, container.patients.view())


class TestListAgainstAnOracle:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        patients=st.lists(listed_patients(), max_size=24, unique_by=lambda p: p.summary.id),
        query=st.sampled_from(QUERIES),
        chosen=filters(),
        sort=st.sampled_from(list(PatientSort)),
        limit=st.integers(1, 7),
    )
    def test_every_page_walked_is_the_oracles_list(
        self,
        database: ListDatabase,
        patients: list[Listed],
        query: str,
        chosen: PatientListFilter,
        sort: PatientSort,
        limit: int,
    ) -> None:
        database.load(patients)
        criteria = PatientCriteria(query, chosen, TODAY)
        expected = oracle(patients, criteria, sort)

        assert database.walk(criteria, sort, limit) == expected
        assert database.view.count(criteria) == len(expected)
        assert set(database.view.ids(criteria, len(patients) + 1)) == set(expected)

    def test_a_row_read_back_is_the_summary_written(self, database: ListDatabase) -> None:
        summary = PatientSummary(
            id=UUID(int=7), surname="Иванова", given_name="Мария", patronymic=None, sex="F",
            birth_date=date(1985, 3, 15), phone="+79161234567", email="maria@mail.ru",
            status="active", registered_at=MOMENTS[0], city="Москва",
        )  # fmt: skip
        database.load([Listed(summary, frozenset(), frozenset(), "manual", frozenset())])
        assert database.view.get(summary.id) == summary
        merged = replace(summary, status="merged", merged_into=UUID(int=8))
        with database.engine.begin() as connection:
            SqlPatientListWriter(connection).update_patient(
                summary.id, {"status": "merged", "merged_into": UUID(int=8)}
            )
        assert database.view.get(summary.id) == merged

    def test_the_profiles_matching_may_meet_are_the_active_and_archived(
        self, database: ListDatabase
    ) -> None:
        summary = PatientSummary(
            id=UUID(int=1), surname="Иванова", given_name="Мария", patronymic=None, sex="F",
            birth_date=date(1985, 3, 15), phone=None, email=None, status="active",
            registered_at=MOMENTS[0], city=None,
        )  # fmt: skip
        statuses = ("active", "archived", "archived", "merged", "erased")
        database.load(
            [
                Listed(
                    replace(summary, id=UUID(int=number), status=status),
                    frozenset(),
                    frozenset(),
                    "manual",
                    frozenset(),
                )
                for number, status in enumerate(statuses, start=1)
            ]
        )
        assert SqlMatchCandidates(database.engine).listed() == 3
