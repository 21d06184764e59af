"""No secrets in logs: credentials are replaced before a line is written."""

from __future__ import annotations

import io
import logging

import pytest

from clinic.infrastructure.logs import REDACTED, RedactSecrets, redact


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ('127.0.0.1:5000 - "GET /l/eyJzdWIiOiJ4In0.c2lnbmF0dXJl HTTP/1.1" 200', "eyJzdWIiOiJ4In0"),
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ("POST body username=ivanova&password=hunter2hunter2&next=/", "hunter2hunter2"),
        ("GET /logout?csrf_token=tok123 HTTP/1.1", "tok123"),
    ],
)
def test_credentials_are_replaced(line: str, secret: str) -> None:
    cleaned = redact(line)
    assert secret not in cleaned
    assert REDACTED in cleaned


def test_a_line_without_secrets_is_kept_as_it_is() -> None:
    line = '127.0.0.1:5000 - "GET /api/v1/patients?q=%2B7916 HTTP/1.1" 200'
    assert redact(line) == line


def test_the_filter_cleans_formatted_records() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets())
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning('%s - "%s %s"', "10.0.0.1", "GET", "/l/secret-link-token")
    finally:
        logger.removeHandler(handler)
    assert "secret-link-token" not in stream.getvalue()
    assert "/l/[redacted]" in stream.getvalue()
