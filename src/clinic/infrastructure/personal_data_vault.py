"""Per-subject keys for personal data in events, kept in SQL and wrapped with a master key.

Each data subject (a patient) gets a random 256-bit key, stored AES-GCM-wrapped with the master
key (derived from CLINIC_SECRET_KEY unless CLINIC_MASTER_KEY is set). Personal fields are sealed
with AES-GCM under the subject's key. Shredding deletes the wrapped key: from then on nothing —
no backup of the events, no replay — can read that subject's personal data.

Unwrapped keys are cached in memory for `cache_seconds`, so another process may still open a
shredded subject's data for at most that long.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    LargeBinary,
    Table,
    Uuid,
    any_,
    bindparam,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from clinic.infrastructure.db import insert_rows, metadata
from clinic.infrastructure.settings import Settings

KEY_BYTES = 32
NONCE_BYTES = 12
CACHE_LIMIT = 200_000
LOAD_CHUNK = 1000
WRAPPING = b"subject-key"

subject_keys = Table(
    "subject_keys",
    metadata,
    Column("subject_id", Uuid, primary_key=True),
    Column("wrapped_key", LargeBinary),  # NULL once shredded
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("shredded_at", DateTime(timezone=True)),
)


def master_key(settings: Settings) -> bytes:
    """The 256-bit master key: CLINIC_MASTER_KEY, else derived from CLINIC_SECRET_KEY."""
    return master_key_from((settings.master_key or settings.secret_key).get_secret_value())


def master_key_from(secret: str) -> bytes:
    return hashlib.sha256(b"clinic-cdp/subject-keys/v1\0" + secret.encode()).digest()


class SqlPersonalDataVault:
    def __init__(self, engine: Engine, master_key: bytes, cache_seconds: float = 30.0) -> None:
        self._engine = engine
        self._master = AESGCM(master_key)
        self._cache_seconds = cache_seconds
        # subject → (its key, or None once shredded; when the entry expires). Raw keys, not
        # ciphers: an AESGCM object takes ~2.6 KB, and an import caches up to CACHE_LIMIT keys.
        self._cache: dict[UUID, tuple[bytes | None, float]] = {}
        self._lock = threading.Lock()

    def prepare(self, subjects: Iterable[UUID]) -> None:
        wanted = [s for s in set(subjects) if self._cached(s) is None]
        if not wanted:
            return
        known = self._load(wanted)
        now = datetime.now(UTC)
        new = {s: os.urandom(KEY_BYTES) for s in wanted if s not in known}
        rows = [
            {"subject_id": s, "wrapped_key": _encrypt(self._master, k, WRAPPING), "created_at": now}
            for s, k in new.items()
        ]
        with self._engine.begin() as connection:
            insert_rows(connection, subject_keys, rows)
        self._remember({**known, **new})

    def prefetch(self, subjects: Iterable[UUID]) -> None:
        wanted = [s for s in set(subjects) if self._cached(s) is None]
        if wanted:
            found = self._load(wanted)
            self._remember({s: found.get(s) for s in wanted})

    def seal(self, subject: UUID, plaintext: bytes) -> str:
        key = self._key(subject)
        if key is None:
            raise LookupError(f"no personal-data key for subject {subject} (shredded?)")
        return base64.b64encode(_encrypt(AESGCM(key), plaintext, subject.bytes)).decode()

    def open(self, subject: UUID, sealed: str) -> bytes | None:
        key = self._key(subject)
        if key is None:
            return None
        return _decrypt(AESGCM(key), base64.b64decode(sealed), subject.bytes)

    def shred(self, subject: UUID) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(subject_keys)
                .where(subject_keys.c.subject_id == subject)
                .values(wrapped_key=None, shredded_at=datetime.now(UTC))
            )
        self._remember({subject: None})

    def rewrap(self, previous_master_key: bytes, batch: int = 1000) -> int:
        """Key rotation: wraps every live subject key, wrapped with the previous master key, with
        the current one. Idempotent and resumable: keys already under the current master key
        are left alone. Returns how many were re-wrapped."""
        previous = AESGCM(previous_master_key)
        query = select(subject_keys.c.subject_id, subject_keys.c.wrapped_key).where(
            subject_keys.c.wrapped_key.is_not(None)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        changed = 0
        for start in range(0, len(rows), batch):
            updates = []
            for row in rows[start : start + batch]:
                try:
                    raw = _decrypt(previous, row.wrapped_key, WRAPPING)
                except InvalidTag:
                    _decrypt(self._master, row.wrapped_key, WRAPPING)  # already rotated, or fail
                    continue
                updates.append((row.subject_id, _encrypt(self._master, raw, WRAPPING)))
            with self._engine.begin() as connection:
                for subject, wrapped in updates:
                    connection.execute(
                        update(subject_keys)
                        .where(subject_keys.c.subject_id == subject)
                        .values(wrapped_key=wrapped)
                    )
            changed += len(updates)
        return changed

    def _key(self, subject: UUID) -> bytes | None:
        cached = self._cached(subject)
        if cached is not None:
            return cached[0]
        found = self._load([subject]).get(subject)
        self._remember({subject: found})
        return found

    def _load(self, subjects: list[UUID]) -> dict[UUID, bytes | None]:
        found: dict[UUID, bytes | None] = {}
        query = select(subject_keys.c.subject_id, subject_keys.c.wrapped_key)
        with self._engine.connect() as connection:
            for start in range(0, len(subjects), LOAD_CHUNK):
                chunk = subjects[start : start + LOAD_CHUNK]
                for row in connection.execute(query.where(_one_of(connection, chunk))):
                    found[row.subject_id] = self._unwrap(row.wrapped_key)
        return found

    def _unwrap(self, wrapped: bytes | None) -> bytes | None:
        return None if wrapped is None else _decrypt(self._master, wrapped, WRAPPING)

    def _cached(self, subject: UUID) -> tuple[bytes | None] | None:
        entry = self._cache.get(subject)  # a dict read is atomic; writers hold the lock
        if entry is None or entry[1] < time.monotonic():
            return None
        return (entry[0],)

    def _remember(self, keys: dict[UUID, bytes | None]) -> None:
        expires = time.monotonic() + self._cache_seconds
        with self._lock:
            if len(self._cache) + len(keys) > CACHE_LIMIT:
                self._cache.clear()
            self._cache.update({s: (k, expires) for s, k in keys.items()})


def _one_of(connection: Connection, subjects: list[UUID]) -> ColumnElement[bool]:
    """`subject_id IN (...)`; on PostgreSQL one array parameter (`= ANY`), far cheaper to send
    and plan than a thousand separate ones."""
    if connection.dialect.name == "postgresql":
        ids = bindparam("subject_ids", value=subjects, type_=ARRAY(Uuid))
        return subject_keys.c.subject_id == any_(ids)
    return subject_keys.c.subject_id.in_(subjects)


def _encrypt(key: AESGCM, plaintext: bytes, bound_to: bytes) -> bytes:
    """AES-GCM; `bound_to` is authenticated, so a box opens only for what it was sealed for."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + key.encrypt(nonce, plaintext, bound_to)


def _decrypt(key: AESGCM, box: bytes, bound_to: bytes) -> bytes:
    """Raises cryptography's InvalidTag for a box sealed with another key or for another use."""
    return key.decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], bound_to)
