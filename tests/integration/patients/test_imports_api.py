"""Patient imports and merges over HTTP, on SQLite and PostgreSQL, with projections running.

Uploads are queued for a worker; here the queued job is run in the test's process by the same
code a worker runs (`PatientImports.run`); tests/integration/worker runs it on a real worker.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from tests.integration.patients.serving import Served

HEADER = "external_id;surname;given_name;birth_date;phone;email;consent_sms;tags"
ROWS = [
    "A1;Иванова;Мария;15.03.1985;8 (916) 123-45-67;maria@mail.ru;да;vip",
    "A2;Петров;Иван;01.02.1980;+7 903 765 43 21;;нет;",
    "A3;;;;;;;",
    "A4;Сидоров;Пётр;31.02.1990;12;;;",
]


def csv_file(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\r\n".join([header, *rows]).encode(encoding)


def upload(client: TestClient, content: bytes, **form: Any) -> Any:
    data = {
        "source": "mis",
        **{k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()},
    }
    return client.post(
        "/api/v1/patients/imports",
        files={"file": ("пациенты.csv", content, "text/csv")},
        data=data,
    )


def run_queued(served: Served, import_id: str) -> dict[str, Any]:
    """Runs the queued import as a worker would, then reads it back over HTTP."""
    served.container.patients.imports().run(UUID(import_id))
    answer = served.client.get(f"/api/v1/patients/imports/{import_id}")
    assert answer.status_code == 200
    return dict(answer.json())


def search(client: TestClient, query: str) -> list[dict[str, Any]]:
    return list(client.get("/api/v1/patients", params={"q": query}).json()["items"])


class TestImportOverHttp:
    def test_upload_queues_the_import_and_the_job_imports_the_valid_rows(
        self, served: Served
    ) -> None:
        answer = upload(served.client, csv_file(*ROWS))
        assert answer.status_code == 202
        queued = answer.json()
        assert (queued["status"], queued["source"], queued["dry_run"]) == ("queued", "mis", False)
        assert len(queued["file_hash"]) == 64

        done = run_queued(served, queued["id"])

        assert done["status"] == "finished"
        assert done["counts"] | {} == {
            "read": 4,
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "merged": 0,
            "suggested": 0,
            "rejected": 2,
        }
        [maria] = search(served.client, "Иванова")
        assert (maria["phone"], maria["email"]) == ("+79161234567", "maria@mail.ru")

    def test_the_rejected_rows_report_names_row_column_and_reason(self, served: Served) -> None:
        queued = upload(served.client, csv_file(*ROWS)).json()
        run_queued(served, queued["id"])

        report = served.client.get(f"/api/v1/patients/imports/{queued['id']}/rejected.csv")

        assert report.status_code == 200
        assert report.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0] == ["row", "column", "reason"]
        assert {(r[0], r[1]) for r in rows[1:]} == {
            ("4", "surname, given_name, phone, email"),
            ("5", "birth_date"),
            ("5", "phone"),
        }

    def test_importing_the_same_file_again_creates_nobody(self, served: Served) -> None:
        first = upload(served.client, csv_file(*ROWS)).json()
        run_queued(served, first["id"])
        again = run_queued(served, upload(served.client, csv_file(*ROWS)).json()["id"])

        assert (again["counts"]["created"], again["counts"]["unchanged"]) == (0, 2)
        assert len(search(served.client, "Иванова")) == 1
        listed = served.client.get("/api/v1/patients/imports").json()
        assert [i["id"] for i in listed][:2] == [again["id"], first["id"]]

    def test_a_dry_run_writes_nothing_and_its_confirmation_imports_the_file(
        self, served: Served
    ) -> None:
        dry = run_queued(served, upload(served.client, csv_file(*ROWS), dry_run=True).json()["id"])
        assert (dry["dry_run"], dry["counts"]["created"], dry["counts"]["rejected"]) == (
            True,
            2,
            2,
        )
        assert search(served.client, "Иванова") == []

        confirmed = served.client.post(f"/api/v1/patients/imports/{dry['id']}/confirm")
        assert confirmed.status_code == 202
        done = run_queued(served, confirmed.json()["id"])

        assert (done["dry_run"], done["counts"]["created"]) == (False, 2)
        assert len(search(served.client, "Иванова")) == 1

    def test_a_dry_runs_file_kept_too_long_is_deleted_and_cannot_be_confirmed(
        self, served: Served
    ) -> None:
        dry = run_queued(served, upload(served.client, csv_file(*ROWS), dry_run=True).json()["id"])
        kept = served.container.core.settings().imports_path / f"{dry['id']}.upload"
        long_ago = time.time() - 25 * 3600  # CLINIC_IMPORT_FILE_RETENTION_HOURS is 24
        os.utime(kept, (long_ago, long_ago))

        another = upload(served.client, csv_file(ROWS[1]), dry_run=True)
        assert another.status_code == 202
        assert not kept.exists()  # swept by the next upload

        confirmed = served.client.post(f"/api/v1/patients/imports/{dry['id']}/confirm")
        assert confirmed.status_code == 422
        assert "upload it again" in confirmed.text
        assert search(served.client, "Иванова") == []
        assert (
            served.container.core.settings()
            .imports_path.joinpath(f"{another.json()['id']}.upload")
            .exists()
        )  # a fresh file stays

    def test_cp1251_with_a_mapping_for_russian_headers(self, served: Served) -> None:
        header = "Код;Фамилия;Имя;Мобильный"
        content = csv_file("77;Смирнова;Ольга;89031112233", header=header, encoding="cp1251")
        mapping = {"Код": "external_id", "Фамилия": "surname", "Имя": "given_name"}
        mapping["Мобильный"] = "phone"

        queued = upload(served.client, content, mapping=json.dumps(mapping, ensure_ascii=False))
        done = run_queued(served, queued.json()["id"])

        assert done["counts"]["created"] == 1
        [olga] = search(served.client, "Смирнова")
        assert olga["phone"] == "+79031112233"

    def test_unusable_uploads_are_refused_naming_what_is_wrong(self, served: Served) -> None:
        cases = {
            "file": upload(served.client, b""),
            "mapping": upload(served.client, csv_file(*ROWS), mapping="[1, 2]"),
            "mapping.Нет": upload(served.client, csv_file(*ROWS), mapping='{"Нет": "surname"}'),
            "source": upload(served.client, csv_file(*ROWS), source="Моя МИС!"),
        }
        for field, answer in cases.items():
            assert answer.status_code == 422, field
            assert field in {e["field"] for e in answer.json()["errors"]}, answer.json()
        without_id = upload(served.client, csv_file("Иванова", header="surname"))
        assert without_id.status_code == 422
        assert served.client.get("/api/v1/patients/imports").json() == []

    def test_an_unknown_import_is_404(self, served: Served) -> None:
        unknown = "00000000-0000-4000-8000-000000000000"
        assert served.client.get(f"/api/v1/patients/imports/{unknown}").status_code == 404
        assert (
            served.client.get(f"/api/v1/patients/imports/{unknown}/rejected.csv").status_code == 404
        )


class TestMergesOverHttp:
    def test_a_suggested_pair_is_accepted_then_unmerged_and_never_suggested_again(
        self, served: Served
    ) -> None:
        client = served.client
        run_queued(served, upload(client, csv_file(ROWS[0])).json()["id"])
        near = "B1;Петрова;Мария;15.03.1985;;;;"
        run_queued(served, upload(client, csv_file(near), source="paper").json()["id"])
        [suggestion] = client.get("/api/v1/patients/match-suggestions").json()
        assert suggestion["status"] == "open"
        assert {a["field"] for a in suggestion["agreements"]} >= {"given_name", "birth_date"}

        merged = client.post(f"/api/v1/patients/match-suggestions/{suggestion['id']}/accept")
        assert merged.status_code == 200
        survivor, absorbed = merged.json()["survivor_id"], merged.json()["absorbed_id"]
        assert client.get(f"/api/v1/patients/{absorbed}").json()["status"] == "merged"
        again = client.post(f"/api/v1/patients/match-suggestions/{suggestion['id']}/accept")
        assert again.status_code == 409

        split = client.post(f"/api/v1/patients/{absorbed}/unmerge")
        assert split.status_code == 200
        assert client.get(f"/api/v1/patients/{absorbed}").json()["status"] == "active"
        assert client.get(f"/api/v1/patients/{survivor}").json()["status"] == "active"
        assert client.post(f"/api/v1/patients/{absorbed}/unmerge").status_code == 409
        rejected = client.get("/api/v1/patients/match-suggestions", params={"status": "rejected"})
        assert [s["id"] for s in rejected.json()] == [suggestion["id"]]

        run_queued(served, upload(client, csv_file(near), source="paper").json()["id"])
        assert client.get("/api/v1/patients/match-suggestions").json() == []

    def test_merging_by_hand_and_the_errors_it_can_meet(self, served: Served) -> None:
        client = served.client
        run_queued(served, upload(client, csv_file(ROWS[0], ROWS[1])).json()["id"])
        ids = [p["id"] for p in client.get("/api/v1/patients").json()["items"]]

        assert (
            client.post("/api/v1/patients/merges", json={"patient_ids": ids[:1]}).status_code == 422
        )
        merged = client.post("/api/v1/patients/merges", json={"patient_ids": ids})
        assert merged.status_code == 200
        absorbed = merged.json()["absorbed_id"]
        assert client.post("/api/v1/patients/merges", json={"patient_ids": ids}).status_code == 409
        unknown = "00000000-0000-4000-8000-000000000000"
        assert (
            client.post(
                "/api/v1/patients/merges", json={"patient_ids": [ids[0], unknown]}
            ).status_code
            == 404
        )
        assert client.get(f"/api/v1/patients/{absorbed}").json()["status"] == "merged"
        survivor = merged.json()["survivor_id"]
        absorbed_profile = client.get(f"/api/v1/patients/{absorbed}/profile").json()
        assert absorbed_profile["merged_into"]["id"] == survivor
        survivor_profile = client.get(f"/api/v1/patients/{survivor}/profile").json()
        assert [p["id"] for p in survivor_profile["merged"]] == [absorbed]
        changes = [c["change"] for c in survivor_profile["history"]]
        assert changes[-1] == "patient.merged_in"

    def test_erasing_a_survivor_erases_the_profiles_merged_into_it(self, served: Served) -> None:
        client = served.client
        run_queued(served, upload(client, csv_file(ROWS[0], ROWS[1])).json()["id"])
        ids = [p["id"] for p in client.get("/api/v1/patients").json()["items"]]
        merged = client.post("/api/v1/patients/merges", json={"patient_ids": ids}).json()

        assert client.delete(f"/api/v1/patients/{merged['survivor_id']}").status_code == 204

        service = served.container.patients.service()
        absorbed = service.get_patient(UUID(merged["absorbed_id"]))
        assert absorbed.status == "erased"
        assert (absorbed.surname, absorbed.contact_points) == (None, [])
