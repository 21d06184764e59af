"""The import template downloads in both formats and reads back with every template column."""

from __future__ import annotations

import codecs
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from clinic.application.patients.import_columns import TEMPLATE_COLUMNS

TEMPLATE = "/api/v1/patients/import/template"


def test_the_csv_template_is_a_semicolon_file_excel_opens(shared_client: TestClient) -> None:
    response = shared_client.get(TEMPLATE, params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="patients-template.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(codecs.BOM_UTF8)
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert tuple(header.split(";")) == TEMPLATE_COLUMNS


def test_the_xlsx_template_has_the_columns_and_an_example(shared_client: TestClient) -> None:
    response = shared_client.get(TEMPLATE, params={"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))
    assert tuple(header) == TEMPLATE_COLUMNS
    assert dict(zip(header, example, strict=True))["surname"] == "Иванова"


@pytest.mark.parametrize("file_format", ["pdf", ""])
def test_an_unknown_format_is_named(shared_client: TestClient, file_format: str) -> None:
    response = shared_client.get(TEMPLATE, params={"format": file_format})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"
