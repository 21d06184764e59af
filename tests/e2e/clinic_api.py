"""The real server's HTTP API, to set up what a journey in the browser starts from (a
representative, a source record: things no screen links yet)."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any, Self
from uuid import UUID

import httpx

from tests.e2e.serving import RunningServer

PATIENTS = "/api/v1/patients"


class ClinicApi:
    """Signed in as one of the demo users; use it as a context manager."""

    def __init__(self, server: RunningServer, role: str = "admin") -> None:
        self._client = httpx.Client(base_url=server.url, timeout=30)
        username, password = server.demo_user(role)
        answer = self._client.post(
            "/api/v1/auth/token", data={"username": username, "password": password}
        )
        answer.raise_for_status()
        self._client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"

    def register(self, **fields: str) -> UUID:
        """A new patient (read back from the patient list, so it is already listed)."""
        return UUID(self._send("POST", PATIENTS, fields).json()["id"])

    def link_representative(self, patient_id: UUID, representative_id: UUID) -> None:
        body = {"representative_id": str(representative_id)}
        self._send("PUT", f"{PATIENTS}/{patient_id}/representative", body)

    def link_source_record(self, patient_id: UUID, source: str, external_id: str) -> None:
        body = {"source": source, "external_id": external_id}
        self._send("POST", f"{PATIENTS}/{patient_id}/source-records", body)

    def tag(self, patient_id: UUID, tag: str) -> None:
        self._send("POST", f"{PATIENTS}/{patient_id}/tags", {"tag": tag})

    def grant_consent(
        self, patient_id: UUID, channel: str, purpose: str, source: str, evidence: str
    ) -> None:
        body = {"granted": True, "source": source, "evidence": evidence}
        self._send("PUT", f"{PATIENTS}/{patient_id}/consents/{channel}/{purpose}", body)

    def archive(self, patient_ids: list[UUID], comment: str) -> None:
        body = {"ids": [str(i) for i in patient_ids], "comment": comment}
        self._send("POST", f"{PATIENTS}/bulk/archive", body)

    def import_file(self, content: bytes, source: str, timeout: float = 60) -> dict[str, Any]:
        """Uploads a CSV and waits until the server's worker has imported it."""
        answer = self._client.post(
            f"{PATIENTS}/imports",
            files={"file": ("patients.csv", content, "text/csv")},
            data={"source": source},
        )
        assert answer.is_success, answer.text
        import_id = answer.json()["id"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self._client.get(f"{PATIENTS}/imports/{import_id}").json()
            if found["status"] in ("finished", "failed"):
                return dict(found)
            time.sleep(0.2)
        raise AssertionError(f"import {import_id} did not finish in {timeout} s")

    def _send(self, method: str, path: str, body: dict[str, Any]) -> httpx.Response:
        answer = self._client.request(method, path, json=body)
        assert answer.is_success, answer.text
        return answer

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._client.close()
