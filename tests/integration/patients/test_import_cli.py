"""`clinic import patients` as an administrator runs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook

from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import ApplicationContainer

CLI = [sys.executable, "-m", "clinic.presentation.cli.main", "import", "patients"]
ROWS = [
    ["external_id", "surname", "given_name", "birth_date", "phone", "tags"],
    ["A1", "Иванова", "Мария", "15.03.1985", "8 (916) 123-45-67", "vip"],
    ["A2", "Петров", "Иван", "1980-02-01", "+7 903 765 43 21", ""],
    ["A3", "", "", "", "", ""],
]


def clinic_import(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CLINIC_DATABASE_URL": settings.database_url,
        "CLINIC_LOG_LEVEL": "WARNING",
        "CLINIC_IMPORTS_DIR": str(settings.imports_path),
    }
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


class TestImportCommand:
    def test_json_counts_then_the_same_file_again_changes_nothing(
        self, settings: Settings, container: ApplicationContainer, tmp_path: Path
    ) -> None:
        file = xlsx(tmp_path / "patients.xlsx", ROWS)

        first = clinic_import(settings, str(file), "--source", "mis", "--json")
        again = clinic_import(settings, str(file), "--source", "mis", "--json")

        assert first.returncode == 1, first.stderr  # a row was rejected
        assert json.loads(first.stdout) == {
            "read": 3,
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "merged": 0,
            "suggested": 0,
            "rejected": 1,
        }
        assert json.loads(again.stdout)["unchanged"] == 2
        assert json.loads(again.stdout)["created"] == 0
        container.projections().catch_up()
        found = container.patients.queries().search_patients("Иванова").items
        assert [p.phone for p in found] == ["+79161234567"]

    def test_a_dry_run_reports_row_errors_and_writes_nothing(
        self, settings: Settings, container: ApplicationContainer, tmp_path: Path
    ) -> None:
        file = tmp_path / "p.csv"
        file.write_text("\n".join(";".join(r) for r in ROWS), encoding="cp1251")
        report = tmp_path / "rejected.csv"

        done = clinic_import(
            settings, str(file), "--source", "mis", "--dry-run", "--rejected", str(report)
        )

        assert done.returncode == 1
        assert "dry run" in done.stdout
        assert "row 4" in done.stderr
        assert report.read_text(encoding="utf-8-sig").splitlines()[1].startswith("4;")
        container.projections().catch_up()
        assert container.patients.queries().count_patients() == 0

    def test_an_unusable_file_or_mapping_exits_2_saying_why(
        self, settings: Settings, tmp_path: Path
    ) -> None:
        file = tmp_path / "p.csv"
        file.write_text("Фамилия;Имя\nИванова;Мария\n", encoding="utf-8")

        unmapped = clinic_import(settings, str(file), "--source", "mis")
        mapped = clinic_import(
            settings, str(file), "--source", "mis", "--map", "Фамилия=surname", "--json"
        )

        assert unmapped.returncode == 2
        assert "external_id" in unmapped.stderr
        assert mapped.returncode == 2
