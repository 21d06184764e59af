"""Fixed-window counters in the shared database: every API process sees the same counts.

Used for sign-in lockout (failures per username and per client address) and for the rate
limits of public endpoints (signed links, webhooks).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, Engine, Integer, String, Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from clinic.application.shared.ports import Clock, Limit
from clinic.infrastructure.db import metadata

rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("hits", Integer, nullable=False),
)


MAX_KEY_LENGTH = 200


def stored_key(key: str) -> str:
    """The key as stored: a digest when it is long or holds what a column should not (NUL)."""
    if len(key) <= MAX_KEY_LENGTH and key.isprintable():
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class SqlRateLimiter:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def hit(self, key: str, limit: Limit) -> float | None:
        """Counts one hit; the seconds to wait when this hit is over the limit, else None."""
        now = self._clock.now()
        expired = now - limit.window
        insert = (postgresql if self._engine.dialect.name == "postgresql" else sqlite).insert
        statement = insert(rate_limits).values(key=stored_key(key), window_start=now, hits=1)
        statement = statement.on_conflict_do_update(
            index_elements=[rate_limits.c.key],
            set_={
                "hits": _case_expired(expired, 1, rate_limits.c.hits + 1),
                "window_start": _case_expired(expired, now, rate_limits.c.window_start),
            },
        ).returning(rate_limits.c.window_start, rate_limits.c.hits)
        with self._engine.begin() as connection:
            window_start, hits = connection.execute(statement).one()
        return _wait(window_start, hits, limit, now, allowed=limit.hits)

    def retry_after(self, key: str, limit: Limit) -> float | None:
        """The seconds to wait while `key` has used up its hits, else None; counts nothing."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(rate_limits.c.window_start, rate_limits.c.hits).where(
                    rate_limits.c.key == stored_key(key)
                )
            ).one_or_none()
        if row is None:
            return None
        return _wait(row.window_start, row.hits, limit, self._clock.now(), allowed=limit.hits - 1)

    def reset(self, key: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(rate_limits).where(rate_limits.c.key == stored_key(key)))

    def forget_expired(self, older_than: timedelta) -> int:
        """Drops counters whose window ended long ago; returns how many."""
        cutoff = self._clock.now() - older_than
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(rate_limits).where(rate_limits.c.window_start < cutoff)
            )
        return result.rowcount or 0


def _case_expired(expired: datetime, fresh: object, kept: object) -> object:
    return case((rate_limits.c.window_start <= expired, fresh), else_=kept)


def _wait(
    window_start: datetime, hits: int, limit: Limit, now: datetime, *, allowed: int
) -> float | None:
    if window_start.tzinfo is None:  # SQLite hands back naive UTC
        window_start = window_start.replace(tzinfo=now.tzinfo)
    ends = window_start + limit.window
    if hits <= allowed or ends <= now:
        return None
    return max((ends - now).total_seconds(), 1.0)
