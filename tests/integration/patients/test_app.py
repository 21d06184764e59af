"""The served app around the patients API: health and the published OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from clinic.infrastructure.settings import Settings
from tests.integration.patients.serving import serving

PROBLEM_JSON = "application/problem+json"
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    }


class TestHealth:
    def test_every_dependency_is_checked_and_ok(self, shared_client: TestClient) -> None:
        response = shared_client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert {"database", "event_store:patients", "broker"} <= set(body["checks"])
        assert set(body["checks"].values()) == {"ok"}


class TestHealthWithADependencyDown:
    def test_an_unreachable_broker_makes_the_app_unavailable(
        self, settings: Settings, backend: str
    ) -> None:
        broken = settings.model_copy(update={"broker_url": UNREACHABLE_BROKER})
        with serving(broken, backend) as served:
            response = served.client.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["broker"].startswith("error")
        assert body["checks"]["database"] == "ok"


class TestOpenApi:
    @pytest.fixture(scope="class")
    def spec(self, shared_client: TestClient) -> dict[str, Any]:
        response = shared_client.get("/openapi.json")
        assert response.status_code == 200
        return response.json()

    def test_lists_the_patients_endpoints(self, spec: dict[str, Any]) -> None:
        assert {
            "POST /api/v1/patients",
            "GET /api/v1/patients",
            "GET /api/v1/patients/{patient_id}",
        } <= set(operations(spec))

    def test_every_endpoint_has_a_summary_and_a_description(self, spec: dict[str, Any]) -> None:
        undocumented = [
            name
            for name, operation in operations(spec).items()
            if not operation.get("summary", "").strip()
            or not operation.get("description", "").strip()
        ]
        assert undocumented == []

    def test_patients_endpoints_declare_their_error_responses(self, spec: dict[str, Any]) -> None:
        declared = {
            name: {status for status in operation["responses"] if status.startswith(("4", "5"))}
            for name, operation in operations(spec).items()
            if name.split(" ")[1].startswith("/api/v1/patients")
        }
        signed_in = {"401", "403"}
        assert declared == {
            "POST /api/v1/patients": signed_in | {"422", "503"},
            "GET /api/v1/patients": signed_in | {"422"},
            "GET /api/v1/patients/count": signed_in | {"422"},
            "GET /api/v1/patients/by-source/{source}/{external_id}": signed_in | {"404", "422"},
            "GET /api/v1/patients/export.csv": signed_in | {"422"},
            "GET /api/v1/patients/import/template": signed_in | {"422"},
            "GET /api/v1/patients/{patient_id}": signed_in | {"404", "422"},
            "GET /api/v1/patients/{patient_id}/profile": signed_in | {"404", "422"},
            "DELETE /api/v1/patients/{patient_id}": signed_in | {"404", "422"},
            **dict.fromkeys(
                (
                    "PATCH /api/v1/patients/{patient_id}",
                    "POST /api/v1/patients/{patient_id}/contact-points",
                    "POST /api/v1/patients/{patient_id}/contact-points/remove",
                    "POST /api/v1/patients/{patient_id}/archive",
                    "POST /api/v1/patients/{patient_id}/restore",
                ),
                signed_in | {"404", "409", "422", "503"},  # 503: the read-back can lag
            ),
            **dict.fromkeys(
                (
                    "PUT /api/v1/patients/{patient_id}/consents/{channel}/{purpose}",
                    "POST /api/v1/patients/{patient_id}/tags",
                    "POST /api/v1/patients/{patient_id}/tags/remove",
                    "PUT /api/v1/patients/{patient_id}/representative",
                    "DELETE /api/v1/patients/{patient_id}/representative",
                    "POST /api/v1/patients/{patient_id}/source-records",
                ),
                signed_in | {"404", "409", "422"},
            ),
            **dict.fromkeys(
                (
                    "POST /api/v1/patients/bulk/archive",
                    "POST /api/v1/patients/bulk/restore",
                    "POST /api/v1/patients/bulk/tag",
                    "POST /api/v1/patients/bulk/untag",
                    "POST /api/v1/patients/bulk/consents",
                ),
                signed_in | {"404", "409", "422", "503"},  # 503: the list can lag
            ),
            "POST /api/v1/patients/imports": signed_in | {"413", "422"},
            "GET /api/v1/patients/imports": signed_in | {"422"},
            "GET /api/v1/patients/imports/{import_id}": signed_in | {"404", "422"},
            "POST /api/v1/patients/imports/{import_id}/confirm": signed_in | {"404", "422"},
            "GET /api/v1/patients/imports/{import_id}/rejected.csv": signed_in | {"404", "422"},
            **dict.fromkeys(
                (
                    "POST /api/v1/patients/merges",
                    "POST /api/v1/patients/{patient_id}/unmerge",
                    "POST /api/v1/patients/match-suggestions/{suggestion_id}/accept",
                    "POST /api/v1/patients/match-suggestions/{suggestion_id}/reject",
                ),
                signed_in | {"404", "409", "422", "503"},
            ),
            "GET /api/v1/patients/match-suggestions": signed_in | {"422"},
        }

    def test_error_responses_are_documented_as_problem_json_with_the_problem_schema(
        self, spec: dict[str, Any]
    ) -> None:
        documented = {
            f"{name} {status}": response.get("content", {})
            for name, operation in operations(spec).items()
            if "/patients" in name
            for status, response in operation["responses"].items()
            if status.startswith(("4", "5"))
        }
        assert documented
        for content in documented.values():
            assert set(content) == {PROBLEM_JSON}
            assert content[PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}


class TestProblemsOutsideTheEndpoints:
    @pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
    def test_an_unknown_api_path_is_a_404_problem(
        self, shared_client: TestClient, method: str
    ) -> None:
        response = shared_client.request(method, "/api/v1/no-such-thing")
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["title"] == "Not Found"

    def test_a_body_that_is_not_json_is_a_problem_naming_the_body(
        self, shared_client: TestClient
    ) -> None:
        response = shared_client.post(
            "/api/v1/patients", content=b"{bad", headers={"content-type": "application/json"}
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM_JSON
        assert [e["field"] for e in response.json()["errors"]] == ["body"]


class TestHardening:
    def test_an_oversized_registration_is_refused_before_it_is_read(
        self, shared_client: TestClient, settings: Settings
    ) -> None:
        padding = "x" * settings.max_body_bytes
        response = shared_client.post("/api/v1/patients", json={"surname": padding})
        assert response.status_code == 413
        assert response.headers["content-type"] == PROBLEM_JSON

    def test_api_answers_carry_the_security_headers(self, shared_client: TestClient) -> None:
        response = shared_client.get("/api/v1/patients")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
