"""Patient import files read a row at a time, whatever their size: CSV in UTF-8 or cp1251,
comma, semicolon or tab separated (what Russian Excel writes), and XLSX; and the template.

Memory stays flat: CSV is decoded as a stream; XLSX is read with openpyxl's read-only mode,
which parses the sheet as it goes.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from openpyxl import Workbook, load_workbook

from clinic.application.patients.import_columns import TEMPLATE_COLUMNS, ImportFileError

SNIFF_BYTES = 64 * 1024
DELIMITERS = ";,\t"
MAX_FIELD_CHARS = 10_000
XLSX_MAGIC = b"PK\x03\x04"
TEMPLATE_EXAMPLE = {
    "external_id": "MIS-000123",
    "surname": "Иванова",
    "given_name": "Мария",
    "patronymic": "Петровна",
    "sex": "F",
    "birth_date": "15.03.1985",
    "phone": "8 (916) 123-45-67",
    "email": "maria@example.ru",
    "city": "Москва",
    "address": "ул. Ленина, д. 1, кв. 2",
    "postcode": "101000",
    "telegram_chat_id": "",
    "whatsapp": "+7 916 123-45-67",
    "consent_sms": "да",
    "consent_email": "да",
    "consent_messengers": "нет",
    "tags": "vip;стоматология",
}


@dataclass(frozen=True, slots=True)
class FileRow:
    """One data row: `number` as a spreadsheet shows it (the header is row 1)."""

    number: int
    values: dict[str, str]


class SpreadsheetImportFiles:
    """Reads CSV and XLSX patient files and writes the template."""

    def file_format(self, file: IO[bytes]) -> str:
        """`xlsx` or `csv`, by the file's first bytes (its name may say anything)."""
        head = file.read(len(XLSX_MAGIC))
        file.seek(0)
        return "xlsx" if head == XLSX_MAGIC else "csv"

    def headers(self, file: IO[bytes], encoding: str | None = None) -> list[str]:
        """The file's header row (the mapping step shows it)."""
        rows = self._rows(file, encoding)
        try:
            return next(rows)
        finally:
            rows.close()

    def rows(self, file: IO[bytes], encoding: str | None = None) -> Iterator[FileRow]:
        """Every non-blank data row, header → text, a row at a time; `file` must be seekable.
        A CSV's encoding is detected unless given (`utf-8`, `cp1251`)."""
        rows = self._rows(file, encoding)
        headers = next(rows)
        for index, cells in enumerate(rows, start=2):
            if any(cell.strip() for cell in cells):
                padded = cells + [""] * (len(headers) - len(cells))
                yield FileRow(index, dict(zip(headers, padded, strict=False)))

    def template(self, file_format: str) -> bytes:
        """The template with its columns and one example row: `csv` (UTF-8 with BOM, `;`) or
        `xlsx`."""
        example = [TEMPLATE_EXAMPLE[c] for c in TEMPLATE_COLUMNS]
        if file_format == "csv":
            text = io.StringIO()
            writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
            writer.writerows([TEMPLATE_COLUMNS, example])
            return codecs.BOM_UTF8 + text.getvalue().encode("utf-8")
        if file_format == "xlsx":
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("Пациенты")
            sheet.append(list(TEMPLATE_COLUMNS))
            sheet.append(example)
            buffer = io.BytesIO()
            workbook.save(buffer)
            return buffer.getvalue()
        raise ImportFileError(f"unknown template format {file_format!r}: csv or xlsx")

    def _rows(self, file: IO[bytes], encoding: str | None) -> Generator[list[str], None, None]:
        head = file.read(SNIFF_BYTES)
        file.seek(0)
        if not head.strip():
            raise ImportFileError("the file is empty")
        if head.startswith(XLSX_MAGIC):
            rows = _xlsx_rows(file)
        else:
            rows = _csv_rows(file, head, encoding or detect_encoding(head))
        first = next(rows, None)
        if first is None or not any(cell.strip() for cell in first):
            raise ImportFileError("the first row must name the columns")
        yield [cell.strip() for cell in first]
        yield from rows


def _csv_rows(file: IO[bytes], head: bytes, encoding: str) -> Iterator[list[str]]:
    text = io.TextIOWrapper(file, encoding=encoding, newline="")
    try:
        sample = head.decode(encoding, errors="ignore")
        reader = csv.reader(text, delimiter=detect_delimiter(sample), strict=False)
        for cells in reader:
            if any(len(cell) > MAX_FIELD_CHARS for cell in cells):
                raise ImportFileError(
                    f"row {reader.line_num}: a field over {MAX_FIELD_CHARS} chars"
                )
            yield cells
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(f"not a readable CSV file: {error}") from None
    finally:
        text.detach()  # the caller owns the binary file


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the head decodes as such, else cp1251 (Russian Excel).

    Real Russian cp1251 text is practically never valid UTF-8; a few letter pairs are
    ("ВЁ" is the bytes of "¨"), so a tiny file of such pairs needs its encoding given."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def detect_delimiter(sample: str) -> str:
    """The separator of the header line: whichever of `;` `,` tab it holds most (`;` on ties)."""
    first_line = sample.splitlines()[0] if sample else ""
    return max(DELIMITERS, key=first_line.count)


def _xlsx_rows(file: IO[bytes]) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(f"not a readable XLSX file: {error}") from None
    try:
        sheet = workbook.worksheets[0]
        for cells in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in cells]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phones and ids typed as numbers
    return str(value)
