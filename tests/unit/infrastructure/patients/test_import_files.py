"""Import files: CSV in UTF-8 or cp1251 with any of Excel's separators, XLSX, the template —
read back a row at a time with spreadsheet row numbers."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl import Workbook

from clinic.application.patients.import_columns import TEMPLATE_COLUMNS
from clinic.infrastructure.patients.import_files import (
    FileRow,
    ImportFileError,
    SpreadsheetImportFiles,
    detect_encoding,
)

files = SpreadsheetImportFiles()


def csv_bytes(rows: list[list[str]], *, delimiter: str, encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


def read(raw: bytes) -> list[FileRow]:
    return list(files.rows(io.BytesIO(raw)))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_russian_csv_is_read_whatever_excel_wrote(encoding: str, delimiter: str) -> None:
    raw = csv_bytes(
        [["external_id", "Фамилия"], ["1", "Ёлкина"], ["2", "Щукин, мл."]],
        delimiter=delimiter,
        encoding=encoding,
    )
    assert read(raw) == [
        FileRow(2, {"external_id": "1", "Фамилия": "Ёлкина"}),
        FileRow(3, {"external_id": "2", "Фамилия": "Щукин, мл."}),
    ]


def test_blank_rows_are_skipped_but_keep_the_numbering() -> None:
    raw = csv_bytes(
        [["id", "name"], ["1", "a"], ["", ""], ["2", "b"]], delimiter=";", encoding="utf-8"
    )
    assert [row.number for row in read(raw)] == [2, 4]


def test_short_rows_are_padded_with_empty_values() -> None:
    raw = b"id;name;phone\r\n1;a\r\n"
    assert read(raw) == [FileRow(2, {"id": "1", "name": "a", "phone": ""})]


@pytest.mark.parametrize(
    ("raw", "message"),
    [(b"", "empty"), (b"\r\n\r\n", "empty"), (b";;\r\n1;2;3\r\n", "name the columns")],
)
def test_unreadable_files_say_why(raw: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        read(raw)


def test_a_broken_xlsx_is_an_import_error() -> None:
    with pytest.raises(ImportFileError, match="XLSX"):
        read(b"PK\x03\x04 not really a zip")


def test_a_given_encoding_wins_over_detection() -> None:
    raw = "id;name\r\n1;ВЁ\r\n".encode("cp1251")  # happens to be valid UTF-8
    [row] = files.rows(io.BytesIO(raw), encoding="cp1251")
    assert row.values["name"] == "ВЁ"


def test_utf8_split_at_the_sniffing_boundary_is_still_utf8() -> None:
    head = ("а" * 40_000).encode()[: 64 * 1024 - 1]  # ends inside a two-byte letter
    assert detect_encoding(head) == "utf-8"


def test_xlsx_numbers_and_dates_come_back_as_typed() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["external_id", "phone", "birth_date"])
    sheet.append([123, 79161234567, datetime(1985, 3, 15)])  # noqa: DTZ001 - Excel has no zones
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read(buffer.getvalue()) == [
        FileRow(2, {"external_id": "123", "phone": "79161234567", "birth_date": "1985-03-15"})
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_reads_back_with_its_columns(file_format: str) -> None:
    template = io.BytesIO(files.template(file_format))
    assert files.headers(template) == list(TEMPLATE_COLUMNS)
    template.seek(0)
    [example] = list(files.rows(template))
    assert example.values["surname"] == "Иванова"


def test_the_csv_template_opens_in_russian_excel() -> None:
    template = files.template("csv")
    assert template.startswith(codecs.BOM_UTF8)
    assert template.splitlines()[0].decode("utf-8-sig").count(";") == len(TEMPLATE_COLUMNS) - 1


cell = st.text(st.characters(codec="cp1251", exclude_categories=("Cs", "Cc")), max_size=20).filter(
    lambda s: s.strip() == s
)


@given(
    rows=st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=10),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "cp1251"]),
)
def test_any_rows_written_by_a_csv_writer_read_back_the_same(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    header = ["a", "b", "c"]
    raw = csv_bytes([header, *rows], delimiter=delimiter, encoding=encoding)
    assume(encoding == "utf-8" or detect_encoding(raw) == "cp1251")  # see detect_encoding
    expected = [
        FileRow(number, dict(zip(header, row, strict=True)))
        for number, row in enumerate(rows, start=2)
        if any(v.strip() for v in row)
    ]
    assert read(raw) == expected
