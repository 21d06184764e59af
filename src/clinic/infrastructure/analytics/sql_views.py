"""The patient list read as facts without identities: the columns analytics needs and no more
(no names, phones or e-mails are ever selected), in registration order, a page at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Engine, Select, and_, case, func, literal, select, tuple_

from clinic.application.analytics.dto import PatientFacts, PatientFactsPage, PatientFilter
from clinic.application.shared.errors import InvalidCursorError
from clinic.domain.shared.age_bands import AGE_BANDS, AgeBand, birth_dates_of
from clinic.infrastructure.cursors import SealedCursors
from clinic.infrastructure.patients.tables import patient_list

_FACT_COLUMNS = [
    patient_list.c[name] for name in ("id", "sex", "birth_date", "status", "registered_at")
]
_CURSOR_KIND = "patient-facts"


class SqlPatientFactsView:
    def __init__(self, engine: Engine, cursors: SealedCursors) -> None:
        self._engine = engine
        self._cursors = cursors

    def page(
        self, filters: PatientFilter, today: date, limit: int, cursor: str | None
    ) -> PatientFactsPage:
        statement = _filtered(select(*_FACT_COLUMNS), filters, today)
        if cursor:
            statement = statement.where(
                tuple_(patient_list.c.registered_at, patient_list.c.id)
                > tuple_(*self._open_cursor(cursor))
            )
        order = (patient_list.c.registered_at, patient_list.c.id)
        statement = statement.order_by(*order).limit(limit + 1)
        with self._engine.connect() as connection:
            rows = connection.execute(statement).all()
        items = [_facts(row) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = items[-1]
            next_cursor = self._cursors.seal(
                [_CURSOR_KIND, last.registered_at.isoformat(), str(last.id)]
            )
        return PatientFactsPage(items, next_cursor)

    def count(self, filters: PatientFilter, today: date) -> int:
        statement = _filtered(select(func.count()).select_from(patient_list), filters, today)
        with self._engine.connect() as connection:
            return int(connection.execute(statement).scalar_one())

    def count_by_age_band_and_sex(
        self, filters: PatientFilter, today: date
    ) -> dict[tuple[AgeBand, str | None], int]:
        banded = _filtered(
            select(_band_of_birth_date(today).label("age_band"), patient_list.c.sex),
            filters,
            today,
        ).subquery()
        statement = select(
            banded.c.age_band, banded.c.sex, func.count().label("patients")
        ).group_by(banded.c.age_band, banded.c.sex)
        with self._engine.connect() as connection:
            rows = connection.execute(statement).all()
        return {(AgeBand(row.age_band), row.sex): int(row.patients) for row in rows}

    def _open_cursor(self, cursor: str) -> tuple[datetime, UUID]:
        try:
            kind, registered_at, patient_id = self._cursors.open(cursor)
            if kind != _CURSOR_KIND:
                raise ValueError(kind)
            return _utc(datetime.fromisoformat(str(registered_at))), UUID(str(patient_id))
        except (TypeError, ValueError):
            raise InvalidCursorError("cursor: not a cursor this server issued") from None


def _filtered(statement: Select[Any], filters: PatientFilter, today: date) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = []
    if filters.sex is not None:
        conditions.append(patient_list.c.sex == filters.sex)
    if filters.status is not None:
        conditions.append(patient_list.c.status == filters.status)
    if filters.age_band is not None:
        conditions.append(_in_band(filters.age_band, today))
    if filters.registered_from is not None:
        conditions.append(patient_list.c.registered_at >= _midnight(filters.registered_from))
    if filters.registered_to is not None and filters.registered_to < date.max:
        next_day = filters.registered_to + timedelta(days=1)
        conditions.append(patient_list.c.registered_at < _midnight(next_day))
    return statement.where(and_(*conditions)) if conditions else statement


def _in_band(band: AgeBand, today: date) -> ColumnElement[bool]:
    birth_date = patient_list.c.birth_date
    if band is AgeBand.UNKNOWN:
        return birth_date.is_(None)
    dates = birth_dates_of(band, today)
    conditions: list[ColumnElement[bool]] = [birth_date.is_not(None)]
    if dates.after is not None:
        conditions.append(birth_date > dates.after)
    if dates.until is not None:
        conditions.append(birth_date <= dates.until)
    return and_(*conditions)


def _band_of_birth_date(today: date) -> ColumnElement[str]:
    """The age band of each row's birth date on `today`, worked out by the database."""
    whens = [(_in_band(band, today), literal(band.value)) for band in AGE_BANDS]
    return case(*whens, else_=literal(AgeBand.UNKNOWN.value))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _facts(row: Any) -> PatientFacts:
    return PatientFacts(
        id=row.id,
        sex=row.sex,
        birth_date=row.birth_date,
        status=row.status,
        registered_at=_utc(row.registered_at),
    )


def _utc(moment: datetime) -> datetime:
    """SQLite keeps no time zone; every stored moment is UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
