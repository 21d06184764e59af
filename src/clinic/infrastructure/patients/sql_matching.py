"""What an import asks the patient list: which profiles exist, and which may match new rows.

An import asks once per chunk of a thousand rows, so on PostgreSQL every list of values goes as
one array parameter (`= ANY`, `unnest`): one statement per question, cheap to send and plan,
where a thousand separate parameters or OR-ed conditions cost more than the lookups themselves.
psycopg prepares statements run often, and PostgreSQL then plans them without looking at the
values (generic plans), which must stay good at a million patients: profiles are found by the
selective keys only (phone, e-mail, birth date) and the rest is checked on the rows found. An
index on status or on a common given name would make each lookup read a large part of the list
(measured at 570,000 patients: 1.2 s per chunk, against 75 ms this way).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date
from itertools import islice
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Date,
    Engine,
    Select,
    String,
    Uuid,
    and_,
    any_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY

from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.values import PatientStatus
from clinic.infrastructure.patients.search_keys import email_key, name_key, phone_key
from clinic.infrastructure.patients.tables import patient_list

T = TypeVar("T")
BATCH = 500
"""Values per IN list elsewhere (SQLite): well under its parameter limit."""
_MATCHABLE = (PatientStatus.ACTIVE.value, PatientStatus.ARCHIVED.value)
_COLUMNS = [
    patient_list.c[name]
    for name in (
        "id",
        "surname",
        "given_name",
        "patronymic",
        "sex",
        "birth_date",
        "phone",
        "email",
        "status",
    )
]
Person = tuple[str, date]
"""A given name's key and a birth date."""


class SqlKnownPatients:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def existing(self, patient_ids: Collection[UUID]) -> set[UUID]:
        ids = list(dict.fromkeys(patient_ids))
        found: set[UUID] = set()
        with self._engine.connect() as connection:
            for batch in _batches(ids, _batch_size(connection)):
                query = select(patient_list.c.id).where(
                    _one_of(connection, patient_list.c.id, batch)
                )
                found.update(connection.scalars(query))
        return found


class SqlMatchCandidates:
    """Blocks on the list's indexed keys: phone, e-mail, and given name with birth date."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def candidates(self, records: Sequence[MatchRecord]) -> list[MatchRecord]:
        phones = sorted({k for r in records for p in r.phones if (k := phone_key(p))})
        emails = sorted({k for r in records for e in r.emails if (k := email_key(e))})
        born = {(name_key(r.given_name), r.birth_date) for r in records}
        people = sorted((g, d) for g, d in born if g and d is not None)
        found: dict[UUID, MatchRecord] = {}
        with self._engine.connect() as connection:
            for query in _queries(connection, phones, emails, people):
                for row in connection.execute(query):
                    if row.status in _MATCHABLE:
                        found[row.id] = _record(row)
        return list(found.values())

    def listed(self) -> int:
        query = select(func.count()).where(patient_list.c.status.in_(_MATCHABLE))
        with self._engine.connect() as connection:
            return connection.scalar(query) or 0


def _queries(
    connection: Connection, phones: list[str], emails: list[str], people: list[Person]
) -> Iterator[Select[Any]]:
    size = _batch_size(connection)
    for batch in _batches(phones, size):
        yield select(*_COLUMNS).where(_one_of(connection, patient_list.c.phone_key, batch))
    for batch in _batches(emails, size):
        yield select(*_COLUMNS).where(_one_of(connection, patient_list.c.email_key, batch))
    for pairs in _batches(people, size):
        yield _people(connection, pairs)


def _people(connection: Connection, pairs: list[Person]) -> Select[Any]:
    """Profiles with one of these given names and birth dates: on PostgreSQL a join with the
    pairs unnested from two arrays, through the birth-date index (`|| ''` keeps the planner off
    the given-name index: thousands of patients share a common given name)."""
    if connection.dialect.name != "postgresql":
        return select(*_COLUMNS).where(
            or_(
                *(
                    and_(patient_list.c.given_name_key == given, patient_list.c.birth_date == born)
                    for given, born in pairs
                )
            )
        )
    keys = (
        func.unnest(
            bindparam("given_names", [g for g, _ in pairs], type_=ARRAY(String)),
            bindparam("birth_dates", [d for _, d in pairs], type_=ARRAY(Date)),
        )
        .table_valued("given", "born")
        .render_derived()
    )
    return select(*_COLUMNS).join(
        keys,
        and_(
            patient_list.c.birth_date == keys.c.born,
            patient_list.c.given_name_key.concat("") == keys.c.given,
        ),
    )


def _one_of(connection: Connection, column: Column[Any], values: list[Any]) -> ColumnElement[bool]:
    """`column IN (...)`; on PostgreSQL one array parameter (`= ANY`)."""
    if connection.dialect.name != "postgresql":
        return column.in_(values)
    element = Uuid if column is patient_list.c.id else String
    return column == any_(bindparam(f"{column.name}_values", values, type_=ARRAY(element)))


def _batch_size(connection: Connection) -> int:
    """PostgreSQL takes any number of values in one array; SQLite in lists of BATCH."""
    return 1_000_000 if connection.dialect.name == "postgresql" else BATCH


def _record(row: Any) -> MatchRecord:
    return MatchRecord(
        record_id=str(row.id),
        surname=row.surname or None,
        given_name=row.given_name or None,
        patronymic=row.patronymic,
        sex=row.sex,
        birth_date=row.birth_date,
        phones=(row.phone,) if row.phone else (),
        emails=(row.email,) if row.email else (),
    )


def _batches(values: Sequence[T], size: int = BATCH) -> Iterator[list[T]]:
    it = iter(values)
    while batch := list(islice(it, size)):
        yield batch
