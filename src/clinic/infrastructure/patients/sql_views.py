"""The patient list read model in SQL: a writer for the projection, a view for queries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, Table, case, delete, func, select, text, update

from clinic.application.patients.dto import PatientPage, PatientSummary
from clinic.application.patients.list_filter import PatientCriteria, PatientSort
from clinic.domain.patients.values import PatientStatus
from clinic.infrastructure.cursors import SealedCursors
from clinic.infrastructure.db import insert_missing, insert_rows
from clinic.infrastructure.patients.search_keys import city_key, email_key, name_key, phone_key
from clinic.infrastructure.patients.sql_list_query import ORDERS, alternatives, matching
from clinic.infrastructure.patients.tables import (
    NO_EXTERNAL_ID,
    patient_consents,
    patient_list,
    patient_sources,
    patient_tags,
)

_SUMMARY_COLUMNS = [
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
        "registered_at",
        "city",
        "merged_into",
    )
]
_NAME_COLUMNS = ("surname", "given_name", "patronymic")
_PATIENT_TABLES = (
    (patient_list, patient_list.c.id),
    (patient_tags, patient_tags.c.patient_id),
    (patient_consents, patient_consents.c.patient_id),
    (patient_sources, patient_sources.c.patient_id),
)
_LOOKUP_TABLES = (patient_tags, patient_consents, patient_sources)
MAX_MERGE_HOPS = 20
"""How far a lookup follows merges into merged profiles (a chain is rarely longer than 2)."""


class SqlPatientListWriter:
    """Buffers what a batch adds — new rows, and the tags, consents and sources to insert
    unless present — and writes each table's share in one statement. A change to a row still
    buffered is made in the buffer; any other change first writes what is buffered, so changes
    keep the events' order."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._pending: dict[UUID, dict[str, Any]] = {}
        self._missing: dict[Table, dict[tuple[Any, ...], dict[str, Any]]] = {
            table: {} for table in _LOOKUP_TABLES
        }

    def add_patient(self, patient: PatientSummary, *, source: str, external_id: str | None) -> None:
        self._pending[patient.id] = _row(patient)
        self._add_missing(patient_sources, _source_row(patient.id, source, external_id))

    def update_patient(self, patient_id: UUID, changes: Mapping[str, object]) -> None:
        pending = self._pending.get(patient_id)
        if pending is not None:
            pending |= _with_keys(dict(changes), pending)
            return
        self.flush()
        values: dict[str, Any] = dict(changes)
        if values.keys() & _NAME_COLUMNS:
            names = self._connection.execute(
                select(*(patient_list.c[n] for n in _NAME_COLUMNS)).where(
                    patient_list.c.id == patient_id
                )
            ).first()
            if names is None:
                return
            values = _with_keys(values, names._asdict())
        else:
            values = _with_keys(values, {})
        self._connection.execute(
            update(patient_list).where(patient_list.c.id == patient_id).values(**values)
        )

    def remove_patient(self, patient_id: UUID) -> None:
        self.flush()
        for table, patient_column in _PATIENT_TABLES:
            self._connection.execute(delete(table).where(patient_column == patient_id))

    def set_representative(self, patient_id: UUID, representative_id: UUID | None) -> None:
        self.update_patient(patient_id, {"representative_id": representative_id})

    def add_tag(self, patient_id: UUID, tag: str) -> None:
        self._add_missing(patient_tags, {"patient_id": patient_id, "tag": tag})

    def remove_tag(self, patient_id: UUID, tag: str) -> None:
        if self._forget_missing(patient_tags, (patient_id, tag)):
            return
        self.flush()
        self._connection.execute(
            delete(patient_tags).where(
                patient_tags.c.patient_id == patient_id, patient_tags.c.tag == tag
            )
        )

    def set_consent(self, patient_id: UUID, channel: str, purpose: str, *, granted: bool) -> None:
        consent = {"patient_id": patient_id, "channel": channel, "purpose": purpose}
        if granted:
            self._add_missing(patient_consents, consent)
            return
        if self._forget_missing(patient_consents, (patient_id, channel, purpose)):
            return
        self.flush()
        self._connection.execute(
            delete(patient_consents).where(
                *(patient_consents.c[column] == value for column, value in consent.items())
            )
        )

    def add_source_record(self, patient_id: UUID, source: str, external_id: str) -> None:
        self._add_missing(patient_sources, _source_row(patient_id, source, external_id))

    def remove_source_record(self, patient_id: UUID, source: str, external_id: str) -> None:
        self.flush()
        self._connection.execute(
            delete(patient_sources).where(
                patient_sources.c.patient_id == patient_id,
                patient_sources.c.source == source,
                patient_sources.c.external_id == external_id,
            )
        )

    def flush(self) -> None:
        insert_rows(self._connection, patient_list, list(self._pending.values()))
        self._pending = {}
        for table, rows in self._missing.items():
            insert_missing(self._connection, table, list(rows.values()))
            rows.clear()

    def reset(self) -> None:
        self._pending = {}
        for table, _ in _PATIENT_TABLES:
            self._missing.get(table, {}).clear()
            self._connection.execute(delete(table))

    def _forget_missing(self, table: Table, key: tuple[Any, ...]) -> bool:
        """Drops a buffered row of a lookup table; True when no stored one can exist either:
        the patient's own row is still buffered (registered in this batch)."""
        self._missing[table].pop(key, None)
        return key[0] in self._pending

    def _add_missing(self, table: Table, row: dict[str, Any]) -> None:
        key = tuple(row[column.name] for column in table.primary_key.columns)
        self._missing[table].setdefault(key, row)


class SqlPatientListView:
    def __init__(self, engine: Engine, cursors: SealedCursors) -> None:
        self._engine = engine
        self._cursors = cursors

    def get(self, patient_id: UUID) -> PatientSummary | None:
        query = select(*_SUMMARY_COLUMNS).where(patient_list.c.id == patient_id)
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return _summary(row) if row else None

    def list_dependants(self, representative_id: UUID) -> list[PatientSummary]:
        query = (
            select(*_SUMMARY_COLUMNS)
            .where(patient_list.c.representative_id == representative_id)
            .order_by(patient_list.c.name_key, patient_list.c.id)
        )
        with self._engine.connect() as connection:
            return [_summary(row) for row in connection.execute(query)]

    def search(
        self, criteria: PatientCriteria, sort: PatientSort, limit: int, cursor: str | None
    ) -> PatientPage:
        order = ORDERS[sort]
        after = order.open(self._cursors.open(cursor)) if cursor else None
        statements = [select(*_SUMMARY_COLUMNS).where(*way) for way in alternatives(criteria)]
        with self._engine.connect() as connection:
            _plan_for_a_page(connection)
            rows = order.page(connection, statements, after, limit + 1)
        next_cursor = (
            self._cursors.seal(order.position(rows[limit - 1])) if len(rows) > limit else None
        )
        return PatientPage([_summary(row) for row in rows[:limit]], next_cursor)

    def count(self, criteria: PatientCriteria) -> int:
        statement = select(func.count()).select_from(patient_list).where(*matching(criteria))
        with self._engine.connect() as connection:
            return int(connection.execute(statement).scalar_one())

    def ids(self, criteria: PatientCriteria, limit: int) -> list[UUID]:
        statement = select(patient_list.c.id).where(*matching(criteria)).limit(limit)
        with self._engine.connect() as connection:
            return list(connection.execute(statement).scalars())

    def find_by_source(self, source: str, external_id: str) -> PatientSummary | None:
        """The patients with the record, a profile that is not merged first (a survivor holds
        its merged profiles' records too); a merged one is followed to its survivor."""
        merged_last = case((patient_list.c.status == PatientStatus.MERGED.value, 1), else_=0)
        query = (
            select(*_SUMMARY_COLUMNS)
            .join(patient_sources, patient_sources.c.patient_id == patient_list.c.id)
            .where(patient_sources.c.source == source, patient_sources.c.external_id == external_id)
            .order_by(merged_last, patient_list.c.registered_at, patient_list.c.id)
            .limit(1)
        )
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else self._survivor(_summary(row))

    def _survivor(self, patient: PatientSummary) -> PatientSummary:
        """The profile `patient` lives on in: itself unless merged (then its survivor's)."""
        for _ in range(MAX_MERGE_HOPS):
            if patient.merged_into is None:
                break
            survivor = self.get(patient.merged_into)
            if survivor is None:  # erased with the person: the merged profile is what is left
                break
            patient = survivor
        return patient


def _plan_for_a_page(connection: Connection) -> None:
    """On PostgreSQL, plans this transaction's queries for the values they are asked with: the
    best way to a page depends on them (a rare tag or name is found from its index, a common one
    by reading the list in order), and a plan cached for any value once picks the wrong way for
    others (psycopg prepares a statement run five times). And a page reads a few dozen rows:
    starting parallel workers costs more than they save (tens of milliseconds on two cores)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        connection.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def _row(patient: PatientSummary) -> dict[str, Any]:
    return {
        "id": patient.id,
        "surname": patient.surname,
        "given_name": patient.given_name,
        "patronymic": patient.patronymic,
        "sex": patient.sex,
        "birth_date": patient.birth_date,
        "phone": patient.phone,
        "email": patient.email,
        "status": patient.status,
        "registered_at": patient.registered_at,
        "city": patient.city,
        "merged_into": patient.merged_into,
        "representative_id": None,
        **_name_keys(patient.surname, patient.given_name, patient.patronymic),
        "phone_key": phone_key(patient.phone),
        "email_key": email_key(patient.email),
        "city_key": city_key(patient.city),
    }


def _source_row(patient_id: UUID, source: str, external_id: str | None) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "source": source,
        "external_id": NO_EXTERNAL_ID if external_id is None else external_id,
    }


def _with_keys(changes: dict[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """`changes` and the search keys they change; `current` holds the row's name parts
    (needed only when a name part changes)."""
    if changes.keys() & _NAME_COLUMNS:
        names = {n: changes[n] if n in changes else current[n] for n in _NAME_COLUMNS}
        changes |= _name_keys(**names)
    if "phone" in changes:
        changes["phone_key"] = phone_key(changes["phone"])
    if "email" in changes:
        changes["email_key"] = email_key(changes["email"])
    if "city" in changes:
        changes["city_key"] = city_key(changes["city"])
    return changes


def _name_keys(surname: str, given_name: str, patronymic: str | None) -> dict[str, str]:
    return {
        "name_key": name_key(surname, given_name, patronymic),
        "given_name_key": name_key(given_name),
    }


def _summary(row: Any) -> PatientSummary:
    values = {column.name: getattr(row, column.name) for column in _SUMMARY_COLUMNS}
    values["registered_at"] = _aware(values["registered_at"])
    return PatientSummary(**values)


def _aware(moment: datetime) -> datetime:
    """SQLite keeps no time zone; every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
