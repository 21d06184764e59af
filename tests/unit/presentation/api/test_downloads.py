from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient

from clinic.presentation.api import downloads
from clinic.presentation.api.downloads import csv_download, every_item


def download(rows: Sequence[Sequence[object]] | Iterator[Sequence[object]]) -> bytes:
    app = FastAPI()
    app.get("/file.csv")(lambda: csv_download("пациенты.csv", ("a", "b"), rows))
    response = TestClient(app).get("/file.csv")
    assert response.status_code == 200
    return response.content


def parsed(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


class TestCsvDownload:
    def test_starts_with_a_bom_and_separates_with_semicolons(self) -> None:
        content = download([("Иванова", 1)])
        assert content.startswith("\ufeff".encode())
        assert content.decode("utf-8-sig") == "a;b\r\nИванова;1\r\n"

    def test_is_an_attachment_that_is_not_cached(self) -> None:
        app = FastAPI()
        app.get("/f")(lambda: csv_download("пациенты.csv", ("a",), []))
        response = TestClient(app).get("/f")
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert "UTF-8''%D0%BF" in response.headers["content-disposition"]
        assert response.headers["cache-control"] == "no-store"

    def test_quotes_what_holds_the_separator_a_quote_or_a_line_break(self) -> None:
        rows = [("a;b", 'say "hi"'), ("two\nlines", None)]
        assert parsed(download(rows))[1:] == [["a;b", 'say "hi"'], ["two\nlines", ""]]

    def test_dates_are_iso(self) -> None:
        assert parsed(download([(date(2026, 3, 1), None)]))[1] == ["2026-03-01", ""]

    def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_defused(self) -> None:
        rows = [("=HYPERLINK(1)", "@SUM(1)"), ("-2+3", "+7 (916)")]
        assert parsed(download(rows))[1:] == [
            ["'=HYPERLINK(1)", "'@SUM(1)"],
            ["'-2+3", "'+7 (916)"],
        ]

    def test_a_phone_in_e164_is_left_as_it_is(self) -> None:
        assert parsed(download([("+79161234567", "")]))[1] == ["+79161234567", ""]

    def test_every_row_arrives_across_chunks(self) -> None:
        rows = ((str(n), n) for n in range(downloads.ROWS_PER_CHUNK * 2 + 7))
        assert len(parsed(download(rows))) == downloads.ROWS_PER_CHUNK * 2 + 8


@dataclass
class Page:
    items: list[int]
    next_cursor: str | None


class TestEveryItem:
    def test_follows_cursors_to_the_last_page(self) -> None:
        pages = {None: Page([1, 2], "b"), "b": Page([3], "c"), "c": Page([], None)}
        assert list(every_item(pages.__getitem__)) == [1, 2, 3]

    def test_fetches_a_page_only_when_needed(self) -> None:
        fetched: list[str | None] = []

        def fetch(cursor: str | None) -> Page:
            fetched.append(cursor)
            return Page([1, 2], "next")

        items = every_item(fetch)
        next(items)
        next(items)
        assert fetched == [None]
