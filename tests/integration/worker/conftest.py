"""Fixtures of the worker tests: a Redis database of each xdist worker's own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.services import REDIS_URL, redis_available, unavailable

FIRST_TEST_DB, LAST_TEST_DB = 9, 15


def redis_test_url() -> str:
    """REDIS_URL on a database of this xdist worker's own (9..15), away from the usual 0."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    index = int(worker) if worker.isdigit() else 0
    db = FIRST_TEST_DB + index % (LAST_TEST_DB - FIRST_TEST_DB + 1)
    parts = urlsplit(REDIS_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis URL for broker and results; its database is flushed after the test."""
    import redis

    url = redis_test_url()
    error = redis_available(url)
    if error is not None:
        unavailable("Redis", error)
    yield url
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
