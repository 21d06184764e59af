"""Analytics on every backend, through the real container: patients pseudonymised for analysts
(no name, contact, birth date or patient id in any response or export), counts by age band,
who may read and export what, and the audit trail of every export."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from clinic.application.patients.commands import RegisterPatient
from clinic.presentation.api.app import create_api
from clinic.presentation.bootstrap.containers import ApplicationContainer
from tests.integration.auth import add_user

ANALYTICS = "/api/v1/analytics/patients"
AGE_BANDS = f"{ANALYTICS}/age-bands"
EXPORT = f"{ANALYTICS}/export.csv"
PII_EXPORT = "/api/v1/patients/export.csv"
LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"
AGES = (10, 20, 30, 40, 50, 60, 70, None)  # one patient in each band, and one of unknown age
BANDS = ("0–17", "18–24", "25–34", "35–44", "45–54", "55–64", "65+", "unknown")

Headers = Callable[..., dict[str, str]]


def person(age: int | None, sex: str) -> RegisterPatient:
    """A patient whose every identifying value is unique to this test run."""
    suffix = "".join(secrets.choice(LETTERS) for _ in range(8))
    digits = f"{secrets.randbelow(10**7):07d}"
    today = datetime.now(UTC).date()
    return RegisterPatient(
        surname=f"Обезличенко{suffix}",
        given_name=f"Зоя{suffix}",
        patronymic=f"Петровна{suffix}",
        sex=sex,
        birth_date=None if age is None else date(today.year - age, 1, 1),  # exactly `age`
        phone=f"+7 916 {digits[:3]}-{digits[3:5]}-{digits[5:]}",
        email=f"anon.{suffix.encode().hex()}@example.ru",
    )


def needles(patient: RegisterPatient, patient_id: UUID) -> set[str]:
    """Every form in which this patient's identity could leak."""
    phone = "".join(ch for ch in patient.phone or "" if ch.isdigit())
    found = {
        patient.surname or "",
        patient.given_name or "",
        patient.patronymic or "",
        patient.email or "",
        phone,
        phone[1:],  # without the country code
        str(patient_id),
        patient_id.hex,
    }
    if isinstance(patient.birth_date, date):
        found |= {patient.birth_date.isoformat(), patient.birth_date.strftime("%d.%m.%Y")}
    return found


@pytest.fixture
def client(container: ApplicationContainer) -> TestClient:
    """The API on the test's container (wired to it); projections are driven by the test."""
    return TestClient(create_api(), raise_server_exceptions=False)


@pytest.fixture
def registered(container: ApplicationContainer) -> dict[UUID, RegisterPatient]:
    """Eight patients, F and M in turn, one per age band and one without a birth date."""
    people = [person(age, "FM"[n % 2]) for n, age in enumerate(AGES)]
    done = container.patients.service().register_patients(people)
    container.projections().catch_up()
    return {r.patient_id: p for r, p in zip(done, people, strict=True)}


def leaks(content: bytes, registered: dict[UUID, RegisterPatient]) -> set[str]:
    text = content.decode("utf-8-sig")
    return {n for pid, p in registered.items() for n in needles(p, pid) if n and n in text}


def every_page(client: TestClient, headers: dict[str, str], **params: Any) -> list[Any]:
    """Every response of a walk through the pages, `limit=3` at a time."""
    responses, cursor = [], None
    while True:
        response = client.get(
            ANALYTICS, headers=headers, params={"limit": 3, **params, "cursor": cursor}
        )
        assert response.status_code == 200, response.text
        responses.append(response)
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return responses


def pseudonyms(responses: list[Any]) -> list[str]:
    return [item["pseudonym"] for r in responses for item in r.json()["items"]]


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def audit_entries(container: ApplicationContainer, action: str) -> list[Any]:
    container.projections().catch_up()
    return container.audit.queries().search(action=action).items


class TestPseudonymisedList:
    def test_pages_cover_every_patient_once_under_a_pseudonym(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        found = pseudonyms(every_page(client, headers_for("analyst")))
        assert len(found) == len(set(found)) == len(registered)
        assert all(p.startswith("p_") for p in found)

    def test_no_name_contact_birth_date_or_patient_id_appears_in_any_page(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        responses = every_page(client, headers_for("analyst"))
        assert set().union(*(leaks(r.content, registered) for r in responses)) == set()

    def test_a_patient_keeps_their_pseudonym_from_call_to_call(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        analyst = headers_for("analyst")
        first = pseudonyms(every_page(client, analyst))
        assert pseudonyms(every_page(client, analyst)) == first
        assert pseudonyms(every_page(client, headers_for("admin"))) == first

    def test_items_hold_only_pseudonym_sex_age_band_status_and_registration_day(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        items = client.get(ANALYTICS, headers=headers_for("analyst")).json()["items"]
        assert {frozenset(item) for item in items} == {
            frozenset({"pseudonym", "sex", "age_band", "status", "registered_on"})
        }
        assert sorted(item["age_band"] for item in items) == sorted(BANDS)
        assert {item["registered_on"] for item in items} == {datetime.now(UTC).date().isoformat()}

    @pytest.mark.parametrize(
        ("params", "bands"),
        [
            ({"age_band": "25–34"}, ["25–34"]),
            ({"age_band": "25-34"}, ["25–34"]),
            ({"age_band": "unknown"}, ["unknown"]),
            ({"sex": "M", "age_band": "65+"}, []),
            ({"sex": "F"}, ["0–17", "25–34", "45–54", "65+"]),
            ({"status": "archived"}, []),
            ({"registered_to": "2000-01-01"}, []),
            ({"registered_to": "9999-12-31"}, sorted(BANDS)),
            ({"registered_from": datetime.now(UTC).date().isoformat()}, sorted(BANDS)),
        ],
    )
    def test_filters_narrow_the_list(
        self,
        client: TestClient,
        headers_for: Headers,
        registered: dict[UUID, RegisterPatient],
        params: dict[str, str],
        bands: list[str],
    ) -> None:
        response = client.get(ANALYTICS, headers=headers_for("analyst"), params=params)
        assert sorted(item["age_band"] for item in response.json()["items"]) == bands

    @pytest.mark.parametrize(
        "params",
        [
            {"age_band": "18-25"},
            {"sex": "X"},
            {"registered_from": "01.01.2026"},
            {"registered_to": "0"},
            {"registered_to": "2026-02-30"},
            {"cursor": "x"},
        ],
    )
    def test_a_bad_filter_or_cursor_is_a_422_problem(
        self, client: TestClient, headers_for: Headers, params: dict[str, str]
    ) -> None:
        response = client.get(ANALYTICS, headers=headers_for("analyst"), params=params)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")


class TestAgeBandCounts:
    def test_counts_each_band_and_sex(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        body = client.get(AGE_BANDS, headers=headers_for("analyst")).json()
        counted = {(i["age_band"], i["sex"]): i["count"] for i in body["items"] if i["count"]}
        assert counted == {(band, "FM"[n % 2]): 1 for n, band in enumerate(BANDS)}
        assert body["total"] == len(registered)
        assert len(body["items"]) == len(BANDS) * 3

    def test_a_filter_narrows_the_counts(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        response = client.get(AGE_BANDS, headers=headers_for("marketer"), params={"sex": "M"})
        assert response.status_code == 200
        assert response.json()["total"] == len(registered) // 2


class TestPseudonymisedExport:
    def test_is_a_csv_of_every_patient_with_the_pseudonyms_of_the_list(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        analyst = headers_for("analyst")
        response = client.get(EXPORT, headers=analyst)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.content.startswith("\ufeff".encode())
        rows = csv_rows(response.content)
        assert list(rows[0]) == ["pseudonym", "sex", "age_band", "status", "registered_on"]
        assert sorted(r["pseudonym"] for r in rows) == sorted(
            pseudonyms(every_page(client, analyst))
        )

    def test_holds_no_name_contact_birth_date_or_patient_id(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        response = client.get(EXPORT, headers=headers_for("analyst"))
        assert leaks(response.content, registered) == set()

    def test_takes_the_filters_of_the_list(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        response = client.get(EXPORT, headers=headers_for("analyst"), params={"age_band": "65+"})
        assert [r["age_band"] for r in csv_rows(response.content)] == ["65+"]

    def test_is_recorded_in_the_audit_trail_with_count_and_filters_only(
        self,
        client: TestClient,
        headers_for: Headers,
        container: ApplicationContainer,
        registered: dict[UUID, RegisterPatient],
    ) -> None:
        client.get(EXPORT, headers=headers_for("analyst"), params={"sex": "F"})
        [entry] = audit_entries(container, "patients.exported_pseudonymised")
        assert entry.actor.startswith("analyst-")
        assert entry.role == "analyst"
        assert entry.details["rows"] == len(registered) // 2
        assert entry.details["sex"] == "F"
        assert leaks(repr(entry).encode(), registered) == set()

    def test_the_browser_session_cookie_downloads_it(
        self, client: TestClient, container: ApplicationContainer, headers_for: Headers
    ) -> None:
        username = add_user(container, "analyst")
        actor = container.identity.service().actor(username, container.core.clock().now())
        session = container.identity.authenticator().session(actor)
        client.cookies.set("clinic_session", session)
        assert client.get(EXPORT).status_code == 200


class TestPersonalDataExport:
    def test_admin_gets_every_patient_with_their_personal_data(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        response = client.get(PII_EXPORT, headers=headers_for("admin"))
        assert response.status_code == 200
        rows = csv_rows(response.content)
        assert {UUID(r["id"]) for r in rows} == set(registered)
        assert {r["surname"] for r in rows} == {p.surname for p in registered.values()}
        assert list(rows[0])[:3] == ["id", "surname", "given_name"]
        # The leak check of the pseudonymised tests does find personal data where there is some.
        some = next(iter(registered.values()))
        assert {some.surname, some.email} <= leaks(response.content, registered)

    def test_a_marketer_granted_it_may_export(
        self, client: TestClient, headers_for: Headers, registered: dict[UUID, RegisterPatient]
    ) -> None:
        response = client.get(PII_EXPORT, headers=headers_for("marketer", ("patients:export",)))
        assert response.status_code == 200
        assert len(csv_rows(response.content)) == len(registered)

    def test_is_recorded_in_the_audit_trail(
        self,
        client: TestClient,
        headers_for: Headers,
        container: ApplicationContainer,
        registered: dict[UUID, RegisterPatient],
    ) -> None:
        client.get(PII_EXPORT, headers=headers_for("admin"))
        [entry] = audit_entries(container, "patients.exported")
        assert entry.role == "admin"
        assert entry.details["rows"] == len(registered)


class TestWhoMay:
    @pytest.mark.parametrize("path", [ANALYTICS, AGE_BANDS, EXPORT])
    def test_the_call_centre_may_not_use_analytics(
        self, client: TestClient, headers_for: Headers, path: str
    ) -> None:
        assert client.get(path, headers=headers_for("call_centre")).status_code == 403

    @pytest.mark.parametrize(("path", "status"), [(ANALYTICS, 200), (AGE_BANDS, 200)])
    def test_a_marketer_may_read_the_pseudonymised_list_and_counts(
        self, client: TestClient, headers_for: Headers, path: str, status: int
    ) -> None:
        assert client.get(path, headers=headers_for("marketer")).status_code == status

    @pytest.mark.parametrize("path", [EXPORT, PII_EXPORT])
    def test_a_marketer_may_not_export_without_a_grant(
        self, client: TestClient, headers_for: Headers, path: str
    ) -> None:
        assert client.get(path, headers=headers_for("marketer")).status_code == 403

    @pytest.mark.parametrize("role", ["analyst", "call_centre"])
    def test_nobody_but_admins_and_grantees_exports_personal_data(
        self, client: TestClient, headers_for: Headers, role: str
    ) -> None:
        assert client.get(PII_EXPORT, headers=headers_for(role)).status_code == 403

    @pytest.mark.parametrize("path", [ANALYTICS, AGE_BANDS, EXPORT, PII_EXPORT])
    def test_anonymous_callers_are_told_to_sign_in(self, client: TestClient, path: str) -> None:
        response = client.get(path)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"

    def test_a_refused_export_is_not_recorded(
        self, client: TestClient, headers_for: Headers, container: ApplicationContainer
    ) -> None:
        client.get(PII_EXPORT, headers=headers_for("marketer"))
        assert audit_entries(container, "patients.exported") == []
