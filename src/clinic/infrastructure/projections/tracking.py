"""Positions of projections, kept in the read-model database beside the rows they describe."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from clinic.infrastructure.projections.tables import projection_tracking


class TrackingConflictError(Exception):
    """Another runner moved this projection's position first; this batch must be rolled back."""


def read_position(connection: Connection, projection: str) -> int | None:
    query = select(projection_tracking.c.position).where(
        projection_tracking.c.projection == projection
    )
    return connection.execute(query).scalar_one_or_none()


def ensure_tracking(connection: Connection, projection: str, application: str) -> int:
    """The projection's position, creating its row at 0 the first time."""
    position = read_position(connection, projection)
    if position is not None:
        return position
    try:
        with connection.begin_nested():
            connection.execute(
                insert(projection_tracking).values(
                    projection=projection, application=application, position=0, updated_at=_now()
                )
            )
    except IntegrityError:
        return read_position(connection, projection) or 0
    return 0


def advance(connection: Connection, projection: str, expected: int, new: int) -> None:
    """Moves the position from `expected` to `new`, or raises TrackingConflictError."""
    result = connection.execute(
        update(projection_tracking)
        .where(projection_tracking.c.projection == projection)
        .where(projection_tracking.c.position == expected)
        .values(position=new, updated_at=_now())
    )
    if result.rowcount != 1:
        raise TrackingConflictError(projection)


def rewind(connection: Connection, projection: str) -> None:
    """Moves the position back to 0 whatever it was (a rebuild); locks the row until commit."""
    connection.execute(
        update(projection_tracking)
        .where(projection_tracking.c.projection == projection)
        .values(position=0, updated_at=_now())
    )


def _now() -> datetime:
    return datetime.now(UTC)
