"""The patient list's searches, filters and orders as SQL, and its keyset pages.

A page continues after the last row of the previous one (a keyset: the sort value and the id),
so deep pages cost what the first one costs. Patients without the sorted value (no birth date)
come after all others in either direction: a page walks the rows with a value, then those
without one by id, each in an index's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    and_,
    exists,
    not_,
    or_,
    select,
    union_all,
)

from clinic.application.patients.list_filter import (
    PatientCriteria,
    PatientListFilter,
    PatientSort,
)
from clinic.application.shared.errors import InvalidCursorError
from clinic.domain.patients.values import PatientStatus
from clinic.infrastructure.patients.search_keys import (
    city_key,
    email_key,
    looks_like_phone,
    name_key,
    phone_query_key,
)
from clinic.infrastructure.patients.tables import (
    patient_consents,
    patient_list,
    patient_sources,
    patient_tags,
)

_PREFIX_END = "\U0010ffff"


def matching(criteria: PatientCriteria) -> list[ColumnElement[bool]]:
    """The conditions a row must meet to be among the patients `criteria` selects."""
    texts = [and_(*text) for text in _text_matches(criteria.query) if text]
    found = [or_(*texts)] if texts else []
    return found + _filtered(criteria.filters, criteria.today)


def alternatives(criteria: PatientCriteria) -> list[list[ColumnElement[bool]]]:
    """`matching` as disjoint alternatives, each a list of conditions, for pages to read each
    in its own index's order: one word matches a surname or a given name, and as one OR-ed
    condition PostgreSQL reads the list in name order from the start to reach a surname late in
    the alphabet (seconds at a million patients)."""
    conditions = _filtered(criteria.filters, criteria.today)
    return [[*text, *conditions] for text in _text_matches(criteria.query)]


def _text_matches(query: str) -> list[list[ColumnElement[bool]]]:
    """An e-mail (has `@`), a phone (digits, any punctuation) or the start of a name; a name of
    one word: the start of the surname, or (for the others) of the given name."""
    if not query:
        return [[]]
    if "@" in query:
        return [[_prefix(patient_list.c.email_key, email_key(query) or "")]]
    if looks_like_phone(query):
        return [[_prefix(patient_list.c.phone_key, phone_query_key(query))]]
    key = name_key(query)
    surname = _prefix(patient_list.c.name_key, key)
    if " " in key:
        return [[surname]]
    return [[surname], [_prefix(patient_list.c.given_name_key, key), not_(surname)]]


def _prefix(column: Any, prefix: str) -> ColumnElement[bool]:
    return and_(column >= prefix, column < prefix + _PREFIX_END)


def _filtered(filters: PatientListFilter, today: date) -> list[ColumnElement[bool]]:
    row = patient_list.c
    conditions: list[ColumnElement[bool]] = []
    if filters.status is not None:
        conditions.append(row.status == filters.status.value)
    else:  # a merged profile lives on in its survivor: listed only when asked for
        conditions.append(row.status != PatientStatus.MERGED.value)
    if filters.sex is not None:
        conditions.append(row.sex == filters.sex)
    if (born := filters.birth_dates(today)) is not None:
        conditions.append(row.birth_date.is_not(None))
        if born.after is not None:
            conditions.append(row.birth_date > born.after)
        if born.until is not None:
            conditions.append(row.birth_date <= born.until)
    if filters.city is not None:
        conditions.append(row.city_key == city_key(filters.city))
    if filters.registered_from is not None:
        conditions.append(row.registered_at >= _midnight(filters.registered_from))
    if filters.registered_to is not None and filters.registered_to < date.max:
        conditions.append(row.registered_at < _midnight(filters.registered_to + timedelta(days=1)))
    return conditions + _looked_up(filters)


def _looked_up(filters: PatientListFilter) -> list[ColumnElement[bool]]:
    """Filters on what the side tables hold: tags, granted consents, sources."""
    conditions: list[ColumnElement[bool]] = []
    if filters.tag is not None:
        tags = patient_tags.c
        conditions.append(
            exists().where(tags.patient_id == patient_list.c.id, tags.tag == filters.tag)
        )
    if filters.consent is not None:
        channel, purpose = filters.consent
        consents = patient_consents.c
        conditions.append(
            exists().where(
                consents.patient_id == patient_list.c.id,
                consents.channel == channel.value,
                consents.purpose == purpose.value,
            )
        )
    if filters.source is not None:
        sources = patient_sources.c
        conditions.append(
            exists().where(
                sources.patient_id == patient_list.c.id, sources.source == filters.source
            )
        )
    return conditions


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


# --- orders and keyset pages -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ends: the last row's sort value (None: it had none) and id."""

    value: Any
    patient_id: UUID


@dataclass(frozen=True, slots=True)
class ListOrder:
    """One sort of the list: its column, direction, and how its values travel in a cursor."""

    sort: PatientSort
    column: Any
    descending: bool
    nullable: bool
    to_json: Callable[[Any], Any]
    from_json: Callable[[Any], Any]

    def page(
        self,
        connection: Connection,
        statements: list[Select[Any]],
        after: Position | None,
        size: int,
    ) -> list[Row[Any]]:
        """Up to `size` rows of the union of `statements` (disjoint) in this order, after
        `after`; the sort value of each is its `sort_value` column."""
        statements = [s.add_columns(self.column.label("sort_value")) for s in statements]
        rows: list[Row[Any]] = []
        if after is None or after.value is not None:
            valued = [self._with_value(s, after) for s in statements]
            rows = self._merged(connection, valued, size, by_value=True)
        if self.nullable and len(rows) < size:
            among_undated = after if after is not None and after.value is None else None
            undated = [self._without_value(s, among_undated) for s in statements]
            rows += self._merged(connection, undated, size - len(rows), by_value=False)
        return rows

    def position(self, row: Row[Any]) -> list[Any]:
        """What a cursor after `row` holds: the sort, the sort value, the id."""
        value = None if row.sort_value is None else self.to_json(row.sort_value)
        return [self.sort.value, value, str(row.id)]

    def open(self, values: list[Any]) -> Position:
        """The position a cursor holds; InvalidCursorError when it is not one of this sort."""
        try:
            sort, value, patient_id = values
            if sort != self.sort.value or (value is None and not self.nullable):
                raise ValueError(sort)
            return Position(None if value is None else self.from_json(value), UUID(patient_id))
        except (TypeError, ValueError, AttributeError):
            raise InvalidCursorError("cursor: not a cursor of this sort") from None

    def _with_value(self, statement: Select[Any], after: Position | None) -> Select[Any]:
        if self.nullable:
            statement = statement.where(self.column.is_not(None))
        if after is not None:
            statement = statement.where(*self._after(after))
        return statement.order_by(*self._directed(self.column, patient_list.c.id))

    def _after(self, last: Position) -> list[ColumnElement[bool]]:
        """(value, id) past the last row's, written as `value >= v AND (value > v OR id > i)`
        rather than as a row comparison: PostgreSQL then starts the index scan at the larger of
        `v` and a name prefix's start (given a row comparison it may start at `v`, and read
        every name between them)."""
        column, row_id = self.column, patient_list.c.id
        if self.descending:
            return [column <= last.value, or_(column < last.value, row_id < last.patient_id)]
        return [column >= last.value, or_(column > last.value, row_id > last.patient_id)]

    def _without_value(self, statement: Select[Any], after: Position | None) -> Select[Any]:
        """The rows without a sort value, by id; `after` set: after its id (it had none)."""
        statement = statement.where(self.column.is_(None))
        if after is not None:
            row_id = patient_list.c.id
            statement = statement.where(
                row_id < after.patient_id if self.descending else row_id > after.patient_id
            )
        return statement.order_by(*self._directed(patient_list.c.id))

    def _merged(
        self, connection: Connection, ordered: list[Select[Any]], size: int, *, by_value: bool
    ) -> list[Row[Any]]:
        """The first `size` rows of ordered statements together: each reads its own first
        `size` (in its own index's order), and only those are merged."""
        if len(ordered) == 1:
            return list(connection.execute(ordered[0].limit(size)))
        parts = union_all(*(select(s.limit(size).subquery()) for s in ordered)).subquery()
        keys = (parts.c.sort_value, parts.c.id) if by_value else (parts.c.id,)
        merged = select(parts).order_by(*self._directed(*keys)).limit(size)
        return list(connection.execute(merged))

    def _directed(self, *columns: Any) -> list[Any]:
        return [column.desc() if self.descending else column for column in columns]


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value))
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso_moment(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _order(
    sort: PatientSort,
    column: Any,
    codec: tuple[Callable[[Any], Any], Callable[[Any], Any]] = (str, str),
    *,
    nullable: bool = False,
) -> ListOrder:
    to_json, from_json = codec
    return ListOrder(sort, column, sort.value.startswith("-"), nullable, to_json, from_json)


_MOMENTS = (_iso_moment, _moment)
_DAYS = (date.isoformat, lambda value: date.fromisoformat(str(value)))
ORDERS = {
    order.sort: order
    for order in (
        _order(PatientSort.NAME, patient_list.c.name_key),
        _order(PatientSort.REGISTERED_AT, patient_list.c.registered_at, _MOMENTS),
        _order(PatientSort.NEWEST_FIRST, patient_list.c.registered_at, _MOMENTS),
        _order(PatientSort.BIRTH_DATE, patient_list.c.birth_date, _DAYS, nullable=True),
        _order(PatientSort.YOUNGEST_FIRST, patient_list.c.birth_date, _DAYS, nullable=True),
    )
}
"""How the list is ordered for each sort."""
