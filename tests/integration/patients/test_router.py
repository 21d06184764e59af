"""The patients HTTP API on every backend: register, search, page, read one, reject bad input."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from itertools import cycle, islice
from typing import Any, ClassVar
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from tests.integration.patients.serving import Served

PATIENTS = "/api/v1/patients"
PROBLEM_JSON = "application/problem+json"
PETROV = {"surname": "Петров", "given_name": "Иван"}
MARIA = {
    "surname": "Иванова",
    "given_name": "Мария",
    "patronymic": "Петровна",
    "sex": "F",
    "birth_date": "15.03.1985",
    "phone": "8 (916) 123-45-67",
    "email": "maria@mail.ru",
}


def register(client: TestClient, **fields: Any) -> dict[str, Any]:
    response = client.post(PATIENTS, json=fields)
    assert response.status_code == 201, response.text
    return response.json()


def search(client: TestClient, q: str, **params: Any) -> dict[str, Any]:
    response = client.get(PATIENTS, params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()


def found_ids(client: TestClient, q: str) -> set[str]:
    return {item["id"] for item in search(client, q, limit=200)["items"]}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    return body


def invalid_fields(response: Any) -> set[str]:
    return {error["field"] for error in assert_problem(response, 422)["errors"]}


def unique_surname() -> str:
    """A Cyrillic surname no other test uses."""
    return "Тест" + "".join("абвгдежзиклмнопр"[int(digit, 16)] for digit in uuid4().hex[:10])


def encoded(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


class TestRegisterPatient:
    def test_returns_201_with_the_normalised_patient(self, shared_client: TestClient) -> None:
        patient = register(shared_client, **MARIA)
        assert UUID(patient["id"])
        assert {k: patient[k] for k in MARIA} == MARIA | {
            "birth_date": "1985-03-15",
            "phone": "+79161234567",
        }
        assert patient["full_name"] == "Иванова Мария Петровна"
        assert patient["status"] == "active"

    @pytest.mark.parametrize("birth_date", ["1985-03-15", "15.03.1985"])
    def test_birth_date_is_accepted_iso_or_russian(
        self, shared_client: TestClient, birth_date: str
    ) -> None:
        patient = register(shared_client, **PETROV, birth_date=birth_date)
        assert patient["birth_date"] == "1985-03-15"

    @pytest.mark.parametrize(
        "phone",
        [
            "8 (916) 123-45-67",
            "+7 916 1234567",
            "9161234567",
            "+7(916)123-45-67",
            "8-916-123-45-67",
        ],
    )
    def test_phone_comes_back_in_e164(self, shared_client: TestClient, phone: str) -> None:
        patient = register(shared_client, **PETROV, phone=phone)
        assert patient["phone"] == "+79161234567"

    def test_registration_time_is_now_with_a_time_zone(self, shared_client: TestClient) -> None:
        before = datetime.now(UTC)
        patient = register(shared_client, **PETROV)
        registered_at = datetime.fromisoformat(patient["registered_at"])
        assert before - timedelta(seconds=1) <= registered_at <= datetime.now(UTC)

    def test_the_new_patient_is_found_by_surname_at_once(self, shared_client: TestClient) -> None:
        surname = unique_surname()
        patient = register(shared_client, **MARIA | {"surname": surname})
        assert [item["id"] for item in search(shared_client, surname)["items"]] == [patient["id"]]

    def test_the_new_patient_is_read_back_by_id_at_once(self, shared_client: TestClient) -> None:
        patient = register(shared_client, **MARIA)
        response = shared_client.get(f"{PATIENTS}/{patient['id']}")
        assert response.status_code == 200
        assert response.json() == patient

    def test_each_registration_is_one_more_event(self, shared: Served) -> None:
        before = shared.head() or 0
        register(shared.client, **MARIA)
        assert shared.head() == before + 1


class TestRejectInvalidPatient:
    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"phone": "123"}, "phone"),
            ({"phone": "не телефон"}, "phone"),
            ({"email": "maria@"}, "email"),
            ({"email": "maria mail.ru"}, "email"),
            ({"birth_date": "31.02.1985"}, "birth_date"),
            ({"birth_date": "1985/03/15"}, "birth_date"),
            ({"birth_date": "01.01.1899"}, "birth_date"),
            ({"surname": None}, "surname"),
            ({"surname": ""}, "surname"),
            ({"surname": "   "}, "surname"),
            ({"surname": "Иванова2"}, "surname"),
            ({"given_name": None}, "given_name"),
            ({"sex": "X"}, "sex"),
            ({"nickname": "Маша"}, "nickname"),
        ],
        ids=lambda value: (
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
        ),
    )
    def test_422_problem_names_the_field_and_nothing_is_stored(
        self, shared: Served, changes: dict[str, Any], field: str
    ) -> None:
        patronymic = unique_surname()
        fields = MARIA | {"patronymic": patronymic} | changes
        body = {k: v for k, v in fields.items() if v is not None}
        before = shared.head()

        response = shared.client.post(PATIENTS, json=body)

        assert invalid_fields(response) == {field}
        assert shared.head() == before
        assert search(shared.client, f"Иванова Мария {patronymic}")["items"] == []

    def test_a_birth_date_in_the_future_is_rejected(self, shared: Served) -> None:
        after_tomorrow = datetime.now(UTC).date() + timedelta(days=2)
        before = shared.head()
        response = shared.client.post(
            PATIENTS, json=MARIA | {"birth_date": after_tomorrow.isoformat()}
        )
        assert invalid_fields(response) == {"birth_date"}
        assert shared.head() == before

    def test_every_invalid_field_is_reported_at_once(self, shared: Served) -> None:
        bad = {"sex": "X", "phone": "123", "email": "maria@", "birth_date": "32.01.1985"}
        before = shared.head()
        response = shared.client.post(PATIENTS, json=MARIA | bad)
        assert invalid_fields(response) == set(bad)
        assert shared.head() == before

    def test_each_invalid_field_carries_the_code_of_its_rule(self, shared: Served) -> None:
        bad = {"sex": "X", "phone": "123", "birth_date": "01.01.2999"}
        response = shared.client.post(PATIENTS, json=MARIA | bad)
        codes = {e["field"]: e["code"] for e in assert_problem(response, 422)["errors"]}
        assert codes == {"sex": "invalid_sex", "phone": "invalid_phone", "birth_date": "in_future"}

    def test_a_body_that_is_not_json_is_a_problem(self, shared_client: TestClient) -> None:
        response = shared_client.post(
            PATIENTS, content=b"surname=Ivanova", headers={"content-type": "application/json"}
        )
        assert_problem(response, 422)


class TestRejectIntoAnEmptyStore:
    def test_an_invalid_first_patient_leaves_the_store_and_the_list_empty(
        self, served: Served
    ) -> None:
        response = served.client.post(PATIENTS, json=MARIA | {"phone": "123"})
        assert invalid_fields(response) == {"phone"}
        assert served.head() is None
        assert search(served.client, "")["items"] == []


class TestSearchPatients:
    PEOPLE: ClassVar[dict[str, dict[str, str]]] = {
        "Иванова Мария": MARIA,
        "Иванов Сергей": {"surname": "Иванов", "given_name": "Сергей"},
        "Петров Олег": {"surname": "Петров", "given_name": "Олег", "phone": "+7 903 765-43-21"},
        "Ёлкина Пётра": {"surname": "Ёлкина", "given_name": "Пётра", "email": "p@yandex.ru"},
        "Ёлкин Пётр": {"surname": "Ёлкин", "given_name": "Пётр"},
        "Ельцова Анна": {"surname": "Ельцова", "given_name": "Анна", "phone": "89169999999"},
    }

    @pytest.fixture(scope="class")
    def people(self, shared_client: TestClient) -> dict[str, str]:
        """Each registered patient's id by full name."""
        return {name: register(shared_client, **f)["id"] for name, f in self.PEOPLE.items()}

    def assert_finds(self, client: TestClient, people: dict[str, str], q: str, *names: str) -> None:
        assert found_ids(client, q) == {people[name] for name in names}

    @pytest.mark.parametrize(
        "q",
        [
            "+79161234567",
            "89161234567",
            "8 (916) 123-45-67",
            "+7 916 123-45-67",
            "916 123 45 67",
            "9161234567",
            "8-916-123",
            "+7(916)12",
        ],
    )
    def test_by_phone_in_any_form_or_its_beginning(
        self, shared_client: TestClient, people: dict[str, str], q: str
    ) -> None:
        self.assert_finds(shared_client, people, q, "Иванова Мария")

    @pytest.mark.parametrize("q", ["8 916", "+7 916", "916"])
    def test_a_shared_phone_beginning_finds_every_such_number(
        self, shared_client: TestClient, people: dict[str, str], q: str
    ) -> None:
        self.assert_finds(shared_client, people, q, "Иванова Мария", "Ельцова Анна")

    @pytest.mark.parametrize("q", ["maria@mail.ru", "MARIA@Mail.Ru", "maria@", "maria@ma"])
    def test_by_email_ignoring_case(
        self, shared_client: TestClient, people: dict[str, str], q: str
    ) -> None:
        self.assert_finds(shared_client, people, q, "Иванова Мария")

    @pytest.mark.parametrize(
        ("q", "names"),
        [
            ("Иванова", ["Иванова Мария"]),
            ("ИВАНОВА", ["Иванова Мария"]),
            ("иванова мария", ["Иванова Мария"]),
            ("иванов", ["Иванова Мария", "Иванов Сергей"]),
            ("  Ив  ", ["Иванова Мария", "Иванов Сергей"]),
            ("иванов с", ["Иванов Сергей"]),
        ],
    )
    def test_by_surname_prefix_ignoring_case(
        self, shared_client: TestClient, people: dict[str, str], q: str, names: list[str]
    ) -> None:
        self.assert_finds(shared_client, people, q, *names)

    @pytest.mark.parametrize(
        ("q", "names"), [("Мар", ["Иванова Мария"]), ("олег", ["Петров Олег"])]
    )
    def test_by_given_name_prefix(
        self, shared_client: TestClient, people: dict[str, str], q: str, names: list[str]
    ) -> None:
        self.assert_finds(shared_client, people, q, *names)

    @pytest.mark.parametrize(
        ("q", "names"),
        [
            ("Ёлкина", ["Ёлкина Пётра"]),
            ("елкина", ["Ёлкина Пётра"]),
            ("ЕЛКИНА", ["Ёлкина Пётра"]),
            ("ёлк", ["Ёлкина Пётра", "Ёлкин Пётр"]),
            ("Ёлкина Пётр", ["Ёлкина Пётра"]),
            ("елкин петр", ["Ёлкин Пётр"]),
            ("пётр", ["Ёлкина Пётра", "Ёлкин Пётр", "Петров Олег"]),
            ("ель", ["Ельцова Анна"]),
        ],
    )
    def test_yo_and_ye_are_the_same_letter(
        self, shared_client: TestClient, people: dict[str, str], q: str, names: list[str]
    ) -> None:
        self.assert_finds(shared_client, people, q, *names)

    @pytest.mark.parametrize("q", ["Сидоров", "+7 999", "nobody@mail.ru", "иванова сергей"])
    def test_no_match_gives_an_empty_last_page(
        self, shared_client: TestClient, people: dict[str, str], q: str
    ) -> None:
        assert search(shared_client, q) == {"items": [], "next_cursor": None}

    def test_an_empty_query_lists_everyone(
        self, shared_client: TestClient, people: dict[str, str]
    ) -> None:
        assert found_ids(shared_client, "") == set(people.values())

    @pytest.mark.parametrize("limit", ["0", "201", "ten"])
    def test_a_limit_out_of_range_is_a_problem_naming_limit(
        self, shared_client: TestClient, limit: str
    ) -> None:
        response = shared_client.get(PATIENTS, params={"limit": limit})
        assert invalid_fields(response) == {"limit"}


class TestPaginatePatients:
    @pytest.fixture(scope="class")
    def listed(self, shared_client: TestClient) -> list[dict[str, Any]]:
        """25 patients whose surnames start alike, some with the same whole name, among others."""
        return register_listed(shared_client)

    def test_pages_walk_every_match_once_in_name_order(
        self, shared_client: TestClient, listed: list[dict[str, Any]]
    ) -> None:
        pages = walk(shared_client, "листов", limit=10)

        assert [len(page) for page in pages] == [10, 10, 5]
        walked = [item["id"] for page in pages for item in page]
        expected = sorted(
            listed, key=lambda p: (f"{p['surname']} {p['given_name']}".lower(), p["id"])
        )
        assert walked == [p["id"] for p in expected]

    def test_a_full_last_page_has_no_next_cursor(
        self, shared_client: TestClient, listed: list[dict[str, Any]]
    ) -> None:
        assert [len(page) for page in walk(shared_client, "листов", limit=5)] == [5] * 5

    def test_a_page_larger_than_the_matches_is_the_last(
        self, shared_client: TestClient, listed: list[dict[str, Any]]
    ) -> None:
        page = search(shared_client, "листов", limit=200)
        assert (len(page["items"]), page["next_cursor"]) == (25, None)

    def test_pages_of_an_empty_query_walk_everyone(
        self, shared_client: TestClient, listed: list[dict[str, Any]]
    ) -> None:
        walked = [item["id"] for page in walk(shared_client, "", limit=7) for item in page]
        assert len(walked) == len(set(walked)) == len(listed) + 2

    @pytest.mark.parametrize(
        "cursor", ["garbage", "!!!", encoded({"a": 1}), encoded("ab"), encoded(["x", "no-uuid"])]
    )
    def test_a_garbage_cursor_is_a_problem_naming_cursor(
        self, shared_client: TestClient, cursor: str
    ) -> None:
        response = shared_client.get(PATIENTS, params={"cursor": cursor})
        assert invalid_fields(response) == {"cursor"}

    @pytest.mark.parametrize("cursor", [encoded(["x", 5]), encoded([1, 2])])
    def test_a_forged_cursor_with_a_number_for_the_id_is_a_problem_naming_cursor(
        self, shared_client: TestClient, cursor: str
    ) -> None:
        response = shared_client.get(PATIENTS, params={"cursor": cursor})
        assert invalid_fields(response) == {"cursor"}


class TestCursorAfterNewRegistrations:
    def test_a_cursor_continues_past_patients_registered_meanwhile(
        self, client: TestClient
    ) -> None:
        register_listed(client)
        first = search(client, "листов", limit=10)
        late = register(client, surname="Листовая", given_name="Яна")

        continued = walk(client, "листов", limit=10, cursor=first["next_cursor"])

        seen = [i["id"] for i in first["items"]] + [i["id"] for p in continued for i in p]
        everyone = [i["id"] for i in search(client, "листов", limit=200)["items"]]
        assert seen == everyone
        assert late["id"] in seen


class TestNulCharacters:
    """PostgreSQL text cannot hold NUL; a query or cursor carrying one must not be a 500."""

    @pytest.mark.parametrize("q", ["\x00", "Ив\x00"])
    def test_a_query_with_a_nul_character_is_answered(
        self, shared_client: TestClient, q: str
    ) -> None:
        response = shared_client.get(PATIENTS, params={"q": q})
        assert response.status_code in {200, 422}, response.text

    def test_a_cursor_with_a_nul_character_is_answered(self, shared_client: TestClient) -> None:
        cursor = encoded(["\x00", str(UUID(int=0))])
        response = shared_client.get(PATIENTS, params={"cursor": cursor})
        assert response.status_code in {200, 422}, response.text


class TestGetPatient:
    @pytest.fixture(scope="class")
    def maria(self, shared_client: TestClient) -> dict[str, Any]:
        return register(shared_client, **MARIA)

    def test_a_known_id_gives_the_patient(
        self, shared_client: TestClient, maria: dict[str, Any]
    ) -> None:
        response = shared_client.get(f"{PATIENTS}/{maria['id']}")
        assert response.status_code == 200
        assert response.json() == maria

    def test_an_unknown_id_is_a_404_problem(
        self, shared_client: TestClient, maria: dict[str, Any]
    ) -> None:
        body = assert_problem(shared_client.get(f"{PATIENTS}/{UUID(int=1)}"), 404)
        assert body["instance"] == f"{PATIENTS}/{UUID(int=1)}"

    def test_a_malformed_id_is_a_problem_naming_patient_id(self, shared_client: TestClient) -> None:
        assert invalid_fields(shared_client.get(f"{PATIENTS}/not-a-uuid")) == {"patient_id"}


def register_listed(client: TestClient) -> list[dict[str, Any]]:
    """25 patients named Листов…, some sharing a whole name, and 2 named otherwise."""
    surnames, given_names = ("Листов", "Листова", "Листовой"), ("Анна", "Борис", "Вера")
    names = cycle([(s, g) for s in surnames for g in given_names])
    listed = [register(client, surname=s, given_name=g) for s, g in islice(names, 25)]
    register(client, surname="Лис", given_name="Алиса")
    register(client, surname="Петров", given_name="Иван")
    return listed


def walk(
    client: TestClient, q: str, limit: int, cursor: str | None = None
) -> list[list[dict[str, Any]]]:
    """Every page of a search, following next_cursor from `cursor` to the end."""
    pages: list[list[dict[str, Any]]] = []
    while len(pages) < 100:
        page = search(client, q, limit=limit, **({"cursor": cursor} if cursor else {}))
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
    pytest.fail("pagination does not end")


class TestCursorsRevealNothing:
    def test_a_cursor_does_not_carry_the_last_name_in_any_readable_form(
        self, client: TestClient
    ) -> None:
        for given in ("Ирина", "Ольга"):
            register(client, surname="Тайнова", given_name=given)
        cursor = search(client, "тайнова", limit=1)["next_cursor"]
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = base64.urlsafe_b64decode(padded).decode("utf-8", errors="replace")
        assert "тайнова" not in decoded.lower()
        assert "тайнова" not in cursor.lower()
        assert len(walk(client, "тайнова", limit=1, cursor=cursor)) >= 1
