"""The import wizard and the duplicates screen, in a real browser against the real server
(imports are run by its embedded worker)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.clinic_api import ClinicApi
from tests.e2e.people import unique_mobile, unique_surname
from tests.e2e.serving import RunningServer

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

JOB_TIMEOUT_MS = 60_000


def unique_source() -> str:
    return f"e2e-{uuid.uuid4().hex[:8]}"


def csv_bytes(*rows: str) -> bytes:
    header = "external_id;surname;given_name;birth_date;phone;tags"
    return "\r\n".join([header, *rows]).encode("utf-8")


class TestImportWizard:
    def test_upload_check_then_import_and_find_the_patients(self, page: Page) -> None:
        surname, digits = unique_surname("Импортова"), unique_mobile()
        content = csv_bytes(
            f"A1;{surname};Мария;15.03.1985;8 916 {digits};vip",
            "A2;;;;;",  # no name, phone or e-mail: rejected
        )
        page.goto("/patients/import")
        page.get_by_test_id("import-source").fill(unique_source())
        page.locator("input[type=file]").set_input_files(
            {"name": "пациенты.csv", "mimeType": "text/csv", "buffer": content}
        )

        expect(page.get_by_test_id("import-map-1")).to_contain_text("surname")
        page.get_by_test_id("import-check").click()

        checked = page.get_by_test_id("import-check-counts")
        expect(checked).to_contain_text("Отклонено строк: 1", timeout=JOB_TIMEOUT_MS)
        expect(checked).to_contain_text("Новых профилей: 1")
        expect(page.get_by_test_id("import-check-status")).to_contain_text("ничего не записано")
        expect(page.get_by_test_id("import-problems")).to_contain_text("3")

        page.get_by_test_id("import-run").click()
        expect(page.get_by_test_id("import-run-status")).to_contain_text(
            "Импорт завершён", timeout=JOB_TIMEOUT_MS
        )
        expect(page.get_by_test_id("import-run-counts")).to_contain_text("Новых профилей: 1")
        expect(page.get_by_test_id("recent-imports")).to_be_visible()

        page.goto("/")
        page.get_by_test_id("patient-search").fill(surname)
        expect(page.get_by_test_id("patients")).to_contain_text(surname)

    def test_an_unreadable_file_is_refused_at_once(self, page: Page) -> None:
        page.goto("/patients/import")
        page.locator("input[type=file]").set_input_files(
            {"name": "empty.csv", "mimeType": "text/csv", "buffer": b"   "}
        )
        expect(page.get_by_test_id("import-file-error")).to_contain_text("Файл не читается")


class TestDuplicates:
    def test_a_suggested_pair_is_merged_then_split_back(
        self, page: Page, server: RunningServer
    ) -> None:
        given_name = unique_surname("Мар")
        with ClinicApi(server) as api:
            first = api.import_file(
                csv_bytes(f"A1;Иванова;{given_name};15.03.1985;;"), unique_source()
            )
            second = api.import_file(
                csv_bytes(f"B1;Петрова;{given_name};15.03.1985;;"), unique_source()
            )
        assert (first["counts"]["created"], second["counts"]["suggested"]) == (1, 1)

        page.goto("/patients/matches")
        card = page.locator("[data-testid^=match-]").filter(has_text=given_name)
        expect(card).to_contain_text("Иванова")
        expect(card).to_contain_text("Петрова")
        card.get_by_test_id("match-accept").click()

        merged = page.get_by_test_id("merged-matches")
        expect(merged).to_contain_text(given_name)
        merged.locator("[data-testid^=merged-]").filter(has_text=given_name).get_by_test_id(
            "match-unmerge"
        ).click()
        expect(page.get_by_test_id("matches-message")).to_contain_text("разъединены")
        expect(merged).not_to_contain_text(given_name)
