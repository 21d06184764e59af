"""The patient list read model in SQL: a writer for the projection, a view for queries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    delete,
    func,
    or_,
    select,
    tuple_,
    update,
)

from clinic.application.patients.dto import PatientPage, PatientSummary
from clinic.application.shared.errors import InvalidCursorError
from clinic.infrastructure.cursors import SealedCursors
from clinic.infrastructure.db import insert_rows
from clinic.infrastructure.patients.search_keys import (
    email_key,
    looks_like_phone,
    name_key,
    phone_key,
    phone_query_key,
)
from clinic.infrastructure.patients.tables import patient_list

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
    )
]
_PREFIX_END = "\U0010ffff"
_NAME_COLUMNS = ("surname", "given_name", "patronymic")


class SqlPatientListWriter:
    """Buffers new rows and inserts them in one statement per batch."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._pending: list[dict[str, Any]] = []

    def add_patient(self, patient: PatientSummary) -> None:
        self._pending.append(_row(patient))

    def update_patient(self, patient_id: UUID, changes: Mapping[str, object]) -> None:
        self.flush()  # keep the order of the events
        values: dict[str, Any] = dict(changes)
        if values.keys() & _NAME_COLUMNS:
            names = self._connection.execute(
                select(*(patient_list.c[n] for n in _NAME_COLUMNS)).where(
                    patient_list.c.id == patient_id
                )
            ).first()
            if names is None:
                return
            current = names._asdict() | {n: values[n] for n in _NAME_COLUMNS if n in values}
            values |= _name_keys(**current)
        if "phone" in values:
            values["phone_key"] = phone_key(values["phone"])
        if "email" in values:
            values["email_key"] = email_key(values["email"])
        self._connection.execute(
            update(patient_list).where(patient_list.c.id == patient_id).values(**values)
        )

    def remove_patient(self, patient_id: UUID) -> None:
        self.flush()  # keep the order of the events
        self._connection.execute(delete(patient_list).where(patient_list.c.id == patient_id))

    def set_representative(self, patient_id: UUID, representative_id: UUID | None) -> None:
        self.flush()  # keep the order of the events
        self._connection.execute(
            update(patient_list)
            .where(patient_list.c.id == patient_id)
            .values(representative_id=representative_id)
        )

    def flush(self) -> None:
        insert_rows(self._connection, patient_list, self._pending)
        self._pending = []

    def reset(self) -> None:
        self._pending = []
        self._connection.execute(delete(patient_list))


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

    def search(self, query: str, limit: int, cursor: str | None) -> PatientPage:
        statement = select(*_SUMMARY_COLUMNS, patient_list.c.name_key)
        condition = _match(query)
        if condition is not None:
            statement = statement.where(condition)
        if cursor:
            last_key, last_id = self._open_cursor(cursor)
            statement = statement.where(
                tuple_(patient_list.c.name_key, patient_list.c.id) > tuple_(last_key, last_id)
            )
        statement = statement.order_by(patient_list.c.name_key, patient_list.c.id).limit(limit + 1)
        with self._engine.connect() as connection:
            rows = connection.execute(statement).all()
        items = [_summary(row) for row in rows[:limit]]
        next_cursor = (
            self._cursors.seal([rows[limit - 1].name_key, str(items[-1].id)])
            if len(rows) > limit
            else None
        )
        return PatientPage(items, next_cursor)

    def _open_cursor(self, cursor: str) -> tuple[str, UUID]:
        values = self._cursors.open(cursor)
        try:
            key, patient_id = values
            return str(key), UUID(str(patient_id))
        except ValueError:
            raise InvalidCursorError("cursor: not a cursor this server issued") from None

    def count(self) -> int:
        with self._engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(patient_list)).scalar_one()
            )


def _match(query: str) -> ColumnElement[bool] | None:
    if not query:
        return None
    if "@" in query:
        return _prefix(patient_list.c.email_key, email_key(query) or "")
    if looks_like_phone(query):
        return _prefix(patient_list.c.phone_key, phone_query_key(query))
    key = name_key(query)
    if " " in key:
        return _prefix(patient_list.c.name_key, key)
    return or_(_prefix(patient_list.c.name_key, key), _prefix(patient_list.c.given_name_key, key))


def _prefix(column: Any, prefix: str) -> ColumnElement[bool]:
    return and_(column >= prefix, column < prefix + _PREFIX_END)


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
        **_name_keys(patient.surname, patient.given_name, patient.patronymic),
        "phone_key": phone_key(patient.phone),
        "email_key": email_key(patient.email),
    }


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
