"""CSV downloads streamed a page at a time, in the form spreadsheet programs open as they are.

The format: UTF-8 with a byte-order mark (so Excel reads Cyrillic right), `;` between fields (what
Excel expects where the decimal separator is a comma, as in Russian), CRLF line ends, fields
quoted only when they need it. A field a spreadsheet would take for a formula (starting with
`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`; an E.164 phone number is the
one exception, as it cannot be a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import islice
from typing import Any, Protocol
from urllib.parse import quote

from fastapi.responses import StreamingResponse

BOM = "\ufeff"
DELIMITER = ";"
ROWS_PER_CHUNK = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE = re.compile(r"\+\d{7,15}")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV_MEDIA_TYPE: {}}, "description": "The CSV file"}
}
"""OpenAPI `responses=` entry of a CSV download."""


class Page(Protocol):
    @property
    def items(self) -> Sequence[Any]: ...

    @property
    def next_cursor(self) -> str | None: ...


def every_item(fetch: Callable[[str | None], Page]) -> Iterator[Any]:
    """Every item of a paged query, fetching the next page only when the last one is used up."""
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def csv_download(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> StreamingResponse:
    """A streamed CSV attachment named `filename`: header first, then `rows` as they come."""
    plain = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in filename
    )
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
    return StreamingResponse(
        _chunks(header, rows),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


def _chunks(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    yield (BOM + _lines([header])).encode()
    remaining = iter(rows)
    while chunk := list(islice(remaining, ROWS_PER_CHUNK)):
        yield _lines(chunk).encode()


def _lines(rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    if text.startswith(FORMULA_STARTS) and not PHONE.fullmatch(text):
        return "'" + text
    return text
