"""The patient list's filters, sorts, count, lookup by source record and bulk changes of
everyone matching a filter, through the HTTP API on every backend."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, ClassVar
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from clinic.application.patients.commands import (
    GrantConsent,
    LinkSourceRecord,
    RegisterPatient,
    WithdrawConsent,
)
from clinic.application.patients.service import PatientsService
from clinic.domain.patients.merging import merge
from tests.integration.patients.serving import Served

PATIENTS = "/api/v1/patients"
COUNT = f"{PATIENTS}/count"
PROBLEM_JSON = "application/problem+json"


def born(age: int) -> date:
    """A birth date exactly `age` whole years ago today (1 January)."""
    return date(datetime.now(UTC).date().year - age, 1, 1)


@dataclass(frozen=True)
class Person:
    registration: RegisterPatient
    tags: tuple[str, ...] = ()
    consents: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    records: tuple[tuple[str, str], ...] = ()
    archived: bool = False


PEOPLE = {
    "Иванова": Person(
        RegisterPatient(
            surname="Иванова", given_name="Мария", sex="F", birth_date=born(40),
            city="Москва", source="mis", external_id="A-1",
        ),
        tags=("VIP",),
        consents=("sms:marketing",),
    ),
    "Иванов": Person(
        RegisterPatient(
            surname="Иванов", given_name="Сергей", sex="M", birth_date=born(10), city="Тверь",
            phone="+7 916 100-00-01",
        ),
    ),
    "Петрова": Person(
        RegisterPatient(
            surname="Петрова", given_name="Анна", sex="F", city="москва", source="website"
        ),
        archived=True,
    ),
    "Ёлкина": Person(
        RegisterPatient(
            surname="Ёлкина", given_name="Пётра", sex="F", birth_date=born(76),
            city="Нижний  Новгород", email="p@yandex.ru",
        ),
        tags=("диабет",),
        consents=("email:marketing", "sms:marketing"),
        withdrawn=("sms:marketing",),
    ),
    "Сидоров": Person(
        RegisterPatient(
            surname="Сидоров", given_name="Олег", sex="M", birth_date=born(35),
            source="mis", external_id="B-2",
        ),
        consents=("sms:marketing",),
        records=(("website", "12/34"),),
    ),
}  # fmt: skip
EVERYONE = set(PEOPLE)


def register_people(served: Served) -> dict[str, UUID]:
    """Registers PEOPLE with their tags, consents, records and status; waits for the list."""
    service: PatientsService = served.container.patients.service()
    ids = {name: service.register_patient(p.registration).patient_id for name, p in PEOPLE.items()}
    for name, person in PEOPLE.items():
        patient_id = ids[name]
        for tag in person.tags:
            service.tag_patient(patient_id, tag)
        for consent in person.consents:
            service.grant_consent(GrantConsent(patient_id, *consent.split(":")))
        for consent in person.withdrawn:
            service.withdraw_consent(WithdrawConsent(patient_id, *consent.split(":")))
        for source, external_id in person.records:
            service.link_source_record(LinkSourceRecord(patient_id, source, external_id))
        if person.archived:
            service.archive_patient(patient_id, "moved away")
    catch_up(served)
    return ids


def catch_up(served: Served) -> None:
    served.container.patients.queries().wait_for(served.head())


def names(client: TestClient, people: dict[str, UUID], **params: Any) -> set[str]:
    response = client.get(PATIENTS, params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    by_id = {str(i): name for name, i in people.items()}
    return {by_id[item["id"]] for item in response.json()["items"]}


def case_id(value: object) -> str:
    """A test id the same in every xdist worker (sets have no fixed order)."""
    if isinstance(value, set):
        return ",".join(sorted(value)) or "nobody"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    return body


def invalid_fields(response: Any) -> set[str]:
    return {error["field"] for error in problem(response, 422)["errors"]}


class TestFilterPatients:
    @pytest.fixture(scope="class")
    def people(self, shared: Served) -> dict[str, UUID]:
        return register_people(shared)

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({}, EVERYONE),
            ({"status": "archived"}, {"Петрова"}),
            ({"status": "active"}, EVERYONE - {"Петрова"}),
            ({"status": "merged"}, set()),
            ({"sex": "M"}, {"Иванов", "Сидоров"}),
            ({"age_from": 18}, {"Иванова", "Ёлкина", "Сидоров"}),
            ({"age_to": 17}, {"Иванов"}),
            ({"age_from": 35, "age_to": 40}, {"Иванова", "Сидоров"}),
            ({"age_from": 36, "age_to": 39}, set()),
            ({"city": "МОСКВА"}, {"Иванова", "Петрова"}),
            ({"city": " нижний новгород "}, {"Ёлкина"}),
            ({"tag": "vip"}, {"Иванова"}),
            ({"source": "mis"}, {"Иванова", "Сидоров"}),
            ({"source": "website"}, {"Петрова", "Сидоров"}),
            ({"source": "manual"}, {"Иванов", "Ёлкина"}),
            ({"consent": "sms:marketing"}, {"Иванова", "Сидоров"}),
            ({"consent": "email:marketing"}, {"Ёлкина"}),
            ({"consent": "sms:service"}, set()),
            ({"registered_from": datetime.now(UTC).date().isoformat()}, EVERYONE),
            ({"registered_to": "2000-01-01"}, set()),
            ({"sex": "F", "city": "москва", "status": "active"}, {"Иванова"}),
            ({"q": "иван", "sex": "M"}, {"Иванов"}),
            ({"q": "ив", "consent": "sms:marketing"}, {"Иванова"}),
            ({"q": "+7 916 100", "city": "тверь"}, {"Иванов"}),
        ],
        ids=case_id,
    )
    def test_the_list_and_its_count_hold_exactly_the_patients_selected(
        self,
        shared_client: TestClient,
        people: dict[str, UUID],
        params: dict[str, Any],
        expected: set[str],
    ) -> None:
        assert names(shared_client, people, **params) == expected
        assert shared_client.get(COUNT, params=params).json() == {"count": len(expected)}

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"status": "erased"}, "status"),
            ({"sex": "X"}, "sex"),
            ({"age_from": -1}, "age_from"),
            ({"age_to": 151}, "age_to"),
            ({"age_from": 40, "age_to": 30}, "age_to"),
            ({"city": ""}, "city"),
            ({"tag": "   "}, "tag"),
            ({"source": "не латиница"}, "source"),
            ({"consent": "sms"}, "consent"),
            ({"consent": "sms:spam"}, "consent"),
            ({"registered_from": "01.01.2026"}, "registered_from"),
            ({"registered_to": "2026-02-30"}, "registered_to"),
            ({"sort": "age"}, "sort"),
        ],
        ids=case_id,
    )
    def test_a_bad_filter_is_a_problem_naming_it(
        self, shared_client: TestClient, params: dict[str, Any], field: str
    ) -> None:
        assert invalid_fields(shared_client.get(PATIENTS, params=params)) == {field}
        if field != "sort":
            assert invalid_fields(shared_client.get(COUNT, params=params)) == {field}

    def test_the_list_shows_each_patients_city(
        self, shared_client: TestClient, people: dict[str, UUID]
    ) -> None:
        patient = shared_client.get(f"{PATIENTS}/{people['Ёлкина']}").json()
        assert patient["city"] == "Нижний Новгород"


class TestSortPatients:
    AGES: ClassVar[list[int | None]] = [30, None, 45, 30, None, 7, 62, 30, None, 19, 45]

    @pytest.fixture(scope="class")
    def listed(self, shared: Served) -> list[dict[str, Any]]:
        """Patients registered one after another, with birth dates shared and missing."""
        service: PatientsService = shared.container.patients.service()
        for index, age in enumerate(self.AGES):
            registration = RegisterPatient(
                surname="Сортов" if index % 2 else "Абрамов",
                given_name="Иван",
                birth_date=None if age is None else born(age),
            )
            service.register_patient(registration)
        catch_up(shared)
        return list(shared.client.get(PATIENTS, params={"limit": 200}).json()["items"])

    def walk(self, client: TestClient, sort: str, limit: int) -> list[str]:
        ids: list[str] = []
        cursor: str | None = None
        for _ in range(50):
            params = {"sort": sort, "limit": limit} | ({"cursor": cursor} if cursor else {})
            page = client.get(PATIENTS, params=params).json()
            ids += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return ids
        pytest.fail("the pages do not end")

    @pytest.mark.parametrize("limit", [1, 2, 4])
    @pytest.mark.parametrize(
        "sort", ["name", "registered_at", "-registered_at", "birth_date", "-birth_date"]
    )
    def test_pages_walk_everyone_once_in_the_sort_order(
        self, shared_client: TestClient, listed: list[dict[str, Any]], sort: str, limit: int
    ) -> None:
        assert self.walk(shared_client, sort, limit) == [p["id"] for p in expected(listed, sort)]

    def test_the_default_is_by_name(
        self, shared_client: TestClient, listed: list[dict[str, Any]]
    ) -> None:
        assert [p["id"] for p in listed] == [p["id"] for p in expected(listed, "name")]

    @pytest.mark.parametrize(
        ("issued", "used"),
        [("name", "registered_at"), ("registered_at", "-registered_at"), ("birth_date", "name")],
    )
    def test_a_cursor_of_another_sort_is_a_problem_naming_cursor(
        self, shared_client: TestClient, listed: list[dict[str, Any]], issued: str, used: str
    ) -> None:
        cursor = shared_client.get(PATIENTS, params={"sort": issued, "limit": 1}).json()
        response = shared_client.get(
            PATIENTS, params={"sort": used, "cursor": cursor["next_cursor"]}
        )
        assert invalid_fields(response) == {"cursor"}

    def test_filters_and_sort_page_together(
        self, shared_client: TestClient, listed: list[dict[str, Any]]
    ) -> None:
        adults = [p for p in expected(listed, "-birth_date") if p["birth_date"]]
        adults = [p for p in adults if p["birth_date"] <= born(18).isoformat()]
        walked, cursor = [], None
        while True:
            params = {"sort": "-birth_date", "age_from": 18, "limit": 2}
            page = shared_client.get(
                PATIENTS, params=params | ({"cursor": cursor} if cursor else {})
            )
            walked += [item["id"] for item in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            if cursor is None:
                break
        assert walked == [p["id"] for p in adults]


def expected(patients: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """`patients` in `sort` order as the API documents it (no birth date: last, by id)."""
    descending = sort.startswith("-")
    column = sort.removeprefix("-")

    def by_id(patient: dict[str, Any]) -> UUID:
        return UUID(patient["id"])

    if column == "name":
        return sorted(patients, key=lambda p: (p["full_name"].lower(), by_id(p)))
    valued = [p for p in patients if p[column] is not None]
    moment = (lambda p: datetime.fromisoformat(p[column])) if column == "registered_at" else None
    value = moment or (lambda p: p[column])
    ordered = sorted(valued, key=lambda p: (value(p), by_id(p)), reverse=descending)
    missing = sorted((p for p in patients if p[column] is None), key=by_id, reverse=descending)
    return ordered + missing


class TestPatientBySource:
    @pytest.fixture(scope="class")
    def people(self, shared: Served) -> dict[str, UUID]:
        return register_people(shared)

    def by_source(self, client: TestClient, source: str, external_id: str) -> Any:
        return client.get(f"{PATIENTS}/by-source/{source}/{external_id}")

    @pytest.mark.parametrize(
        ("source", "external_id", "name"),
        [
            ("mis", "A-1", "Иванова"),
            ("mis", "B-2", "Сидоров"),
            ("MIS", "B-2", "Сидоров"),
            ("website", "12/34", "Сидоров"),
        ],
    )
    def test_gives_the_profile_of_the_patient_with_the_record(
        self,
        shared_client: TestClient,
        people: dict[str, UUID],
        source: str,
        external_id: str,
        name: str,
    ) -> None:
        response = self.by_source(shared_client, source, external_id)
        assert response.status_code == 200, response.text
        assert response.json() == shared_client.get(f"{PATIENTS}/{people[name]}").json()

    @pytest.mark.parametrize(("source", "external_id"), [("mis", "Z-9"), ("website", "A-1")])
    def test_an_unknown_record_is_a_404_problem_not_repeating_the_id(
        self, shared_client: TestClient, people: dict[str, UUID], source: str, external_id: str
    ) -> None:
        body = problem(self.by_source(shared_client, source, external_id), 404)
        assert external_id not in body["detail"]

    def test_a_malformed_source_is_a_problem_naming_it(self, shared_client: TestClient) -> None:
        assert invalid_fields(self.by_source(shared_client, "не источник", "1")) == {"source"}

    @pytest.mark.parametrize(("source", "external_id"), [("mis", "A%00B"), ("m%00is", "1")])
    def test_a_nul_character_is_a_problem_not_a_server_error(
        self, shared_client: TestClient, source: str, external_id: str
    ) -> None:
        problem(self.by_source(shared_client, source, external_id), 422)

    def test_each_view_is_audited_as_a_view_of_the_patient(
        self, shared: Served, people: dict[str, UUID]
    ) -> None:
        self.by_source(shared.client, "mis", "A-1")
        audit = shared.container.audit
        head = audit.service().recorder.max_notification_id()
        entries = audit.queries().search(subject_id=str(people["Иванова"]), after=head).items
        assert "patient.viewed" in {entry.action for entry in entries}


class TestPatientBySourceAfterAMerge:
    def test_a_merged_profiles_record_gives_its_survivor(self, served: Served) -> None:
        service: PatientsService = served.container.patients.service()
        first = service.register_patient(
            RegisterPatient(surname="Первова", source="mis", external_id="1")
        )
        second = service.register_patient(
            RegisterPatient(surname="Первова", source="crm", external_id="2")
        )
        survivor, merged = (
            service.get_patient(first.patient_id),
            service.get_patient(second.patient_id),
        )
        merge(survivor, merged, rule="manual", score=1.0, by="admin", now=datetime.now(UTC))
        service.save(survivor, merged)
        catch_up(served)

        response = served.client.get(f"{PATIENTS}/by-source/crm/2")

        assert response.status_code == 200, response.text
        assert response.json()["id"] == str(first.patient_id)
        merged_row = served.client.get(f"{PATIENTS}/{second.patient_id}").json()
        assert (merged_row["status"], merged_row["merged_into"]) == (
            "merged",
            str(first.patient_id),
        )


class TestBulkByFilter:
    @pytest.fixture
    def people(self, served: Served) -> dict[str, UUID]:
        return register_people(served)

    def statuses(self, client: TestClient, people: dict[str, UUID]) -> dict[str, str]:
        return {n: client.get(f"{PATIENTS}/{i}").json()["status"] for n, i in people.items()}

    def test_archives_everyone_matching_when_the_count_still_holds(
        self, client: TestClient, people: dict[str, UUID]
    ) -> None:
        body = {"filter": {"source": "mis"}, "expected_count": 2, "comment": "left the clinic"}
        response = client.post(f"{PATIENTS}/bulk/archive", json=body)
        assert response.status_code == 200, response.text
        assert response.json() == {"changed": 2}
        statuses = self.statuses(client, people)
        assert {n for n, s in statuses.items() if s == "archived"} == {
            "Иванова",
            "Сидоров",
            "Петрова",
        }

    def test_restores_everyone_matching(self, client: TestClient, people: dict[str, UUID]) -> None:
        body = {"filter": {"status": "archived", "city": "Москва"}, "expected_count": 1}
        response = client.post(f"{PATIENTS}/bulk/restore", json=body)
        assert response.json() == {"changed": 1}
        assert set(self.statuses(client, people).values()) == {"active"}

    def test_the_search_text_selects_too(self, client: TestClient, people: dict[str, UUID]) -> None:
        body = {"filter": {"q": "иван"}, "expected_count": 2, "comment": "duplicates"}
        assert client.post(f"{PATIENTS}/bulk/archive", json=body).json() == {"changed": 2}

    @pytest.mark.parametrize("confirmed", [1, 3])
    def test_another_count_is_a_409_that_changes_nobody(
        self, served: Served, people: dict[str, UUID], confirmed: int
    ) -> None:
        before, head = self.statuses(served.client, people), served.head()
        body = {"filter": {"source": "mis"}, "expected_count": confirmed, "comment": "left"}

        body = problem(served.client.post(f"{PATIENTS}/bulk/archive", json=body), 409)

        assert body["matched"] == 2
        assert (self.statuses(served.client, people), served.head()) == (before, head)

    def test_a_filter_matching_nobody_changes_nobody(
        self, client: TestClient, people: dict[str, UUID]
    ) -> None:
        body = {"filter": {"tag": "никто"}, "expected_count": 0, "comment": "none"}
        assert client.post(f"{PATIENTS}/bulk/archive", json=body).json() == {"changed": 0}

    @pytest.mark.parametrize(
        "selection",
        [
            {},
            {"ids": [str(UUID(int=1))], "filter": {"tag": "vip"}, "expected_count": 1},
            {"filter": {"tag": "vip"}},
            {"ids": [str(UUID(int=1))], "expected_count": 1},
            {"filter": {"tag": "vip", "colour": "red"}, "expected_count": 1},
            {"filter": {"age_from": 40, "age_to": 30}, "expected_count": 1},
            {"filter": {"tag": "vip"}, "expected_count": -1},
        ],
        ids=case_id,
    )
    def test_exactly_one_selection_is_required(
        self, served: Served, people: dict[str, UUID], selection: dict[str, Any]
    ) -> None:
        head = served.head()
        response = served.client.post(
            f"{PATIENTS}/bulk/archive", json=selection | {"comment": "why"}
        )
        problem(response, 422)
        assert served.head() == head
