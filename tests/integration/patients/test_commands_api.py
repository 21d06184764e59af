"""The HTTP API of the patient profile commands, on every backend: each change and its read-back,
named field errors, 404 and 409, idempotence, bulk all-or-nothing, and who may change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from clinic.domain.patients.consents import Channel, Purpose
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.sources import SourceRecord
from tests.integration.auth import bearer_headers
from tests.integration.patients.serving import Served

PATIENTS = "/api/v1/patients"
PROBLEM_JSON = "application/problem+json"
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
    response = client.post(PATIENTS, json=MARIA | fields)
    assert response.status_code == 201, response.text
    return response.json()


def registered_id(client: TestClient, **fields: Any) -> str:
    return str(register(client, **fields)["id"])


def erased_id(client: TestClient) -> str:
    patient_id = registered_id(client)
    assert client.delete(f"{PATIENTS}/{patient_id}").status_code == 204
    return patient_id


def aggregate(served: Served, patient_id: str) -> Patient:
    return served.container.patients.service().get_patient(UUID(patient_id))


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if status != 204 else None


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def invalid_fields(response: Any) -> set[str]:
    return {error["field"] for error in problem(response, 422)["errors"]}


def refused(response: Any) -> dict[str, str]:
    return {r["id"]: r["reason"] for r in problem(response, 409)["refused"]}


class TestCorrectPersonalData:
    def test_only_the_fields_sent_change_and_null_clears(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        body = {"surname": "Петрова", "patronymic": None, "city": "Москва"}
        patient = ok(shared.client.patch(f"{PATIENTS}/{patient_id}", json=body))
        assert (patient["surname"], patient["given_name"], patient["patronymic"]) == (
            "Петрова",
            "Мария",
            None,
        )
        assert patient["full_name"] == "Петрова Мария"
        assert ok(shared.client.get(f"{PATIENTS}/{patient_id}")) == patient
        assert aggregate(shared, patient_id).city == "Москва"

    def test_repeating_it_answers_the_same_and_stores_nothing(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        first = ok(shared.client.patch(f"{PATIENTS}/{patient_id}", json={"sex": "M"}))
        head = shared.head()
        assert ok(shared.client.patch(f"{PATIENTS}/{patient_id}", json={"sex": "m"})) == first
        assert shared.head() == head

    @pytest.mark.parametrize(
        ("body", "fields"),
        [
            ({"birth_date": "31.02.1985", "sex": "X"}, {"birth_date", "sex"}),
            ({"surname": None}, {"surname"}),
            ({"given_name": "  "}, {"given_name"}),
            ({"postcode": "12345", "time_zone": "Mars/Base"}, {"postcode", "time_zone"}),
            ({"phone": "+79161234567"}, {"phone"}),
            ({"nickname": "Маша"}, {"nickname"}),
        ],
    )
    def test_invalid_fields_are_named_and_nothing_changes(
        self, shared: Served, body: dict[str, Any], fields: set[str]
    ) -> None:
        patient_id = registered_id(shared.client)
        head = shared.head()
        assert invalid_fields(shared.client.patch(f"{PATIENTS}/{patient_id}", json=body)) == fields
        assert shared.head() == head


class TestContactPoints:
    def test_an_added_phone_becomes_the_primary_one(self, shared: Served) -> None:
        patient_id = registered_id(shared.client, phone=None)
        body = {"kind": "phone", "value": "8 (903) 111-22-33", "source": "call"}
        patient = ok(shared.client.post(f"{PATIENTS}/{patient_id}/contact-points", json=body))
        assert patient["phone"] == "+79031112233"
        assert ok(shared.client.get(f"{PATIENTS}/{patient_id}")) == patient

    def test_adding_one_the_patient_has_answers_the_same_and_stores_nothing(
        self, shared: Served
    ) -> None:
        patient_id = registered_id(shared.client)
        body = {"kind": "email", "value": "MARIA@mail.ru"}
        head = shared.head()
        patient = ok(shared.client.post(f"{PATIENTS}/{patient_id}/contact-points", json=body))
        assert patient["email"] == "maria@mail.ru"
        assert shared.head() == head

    def test_a_removed_e_mail_is_gone_from_the_list(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        body = {"kind": "email", "value": "Maria@Mail.ru"}
        path = f"{PATIENTS}/{patient_id}/contact-points/remove"
        patient = ok(shared.client.post(path, json=body))
        assert (patient["email"], patient["phone"]) == (None, "+79161234567")
        head = shared.head()
        assert ok(shared.client.post(path, json=body)) == patient
        assert shared.head() == head

    def test_a_telegram_chat_is_kept_on_the_profile(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        body = {"kind": "telegram", "value": "123456789"}
        ok(shared.client.post(f"{PATIENTS}/{patient_id}/contact-points", json=body))
        assert ("telegram", "123456789") in {
            (p.kind, p.value) for p in aggregate(shared, patient_id).contact_points
        }

    @pytest.mark.parametrize(
        ("body", "fields"),
        [
            ({"kind": "phone", "value": "123"}, {"value"}),
            ({"kind": "email", "value": "maria@"}, {"value"}),
            ({"kind": "fax", "value": "123"}, {"kind"}),
            ({"kind": "phone", "value": "+79031112233", "source": "Не источник"}, {"source"}),
            ({"kind": "phone"}, {"value"}),
        ],
    )
    def test_invalid_fields_are_named(
        self, shared_client: TestClient, body: dict[str, Any], fields: set[str]
    ) -> None:
        patient_id = registered_id(shared_client)
        response = shared_client.post(f"{PATIENTS}/{patient_id}/contact-points", json=body)
        assert invalid_fields(response) == fields


class TestConsents:
    def test_a_consent_is_granted_then_withdrawn(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        path = f"{PATIENTS}/{patient_id}/consents/sms/marketing"
        body = {"granted": True, "source": "paper", "evidence": "form 17"}
        ok(shared.client.put(path, json=body), 204)
        consent = aggregate(shared, patient_id).consents[Channel.SMS, Purpose.MARKETING]
        assert (consent.granted, consent.source, consent.evidence) == (True, "paper", "form 17")
        ok(shared.client.put(path, json={"granted": False, "source": "unsubscribe"}), 204)
        assert not aggregate(shared, patient_id).has_consent(Channel.SMS, Purpose.MARKETING)

    def test_repeating_a_grant_stores_nothing(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        path = f"{PATIENTS}/{patient_id}/consents/email/service"
        ok(shared.client.put(path, json={"granted": True}), 204)
        head = shared.head()
        ok(shared.client.put(path, json={"granted": True}), 204)
        assert shared.head() == head

    def test_when_the_patient_said_it_is_kept(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        said = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
        body = {"granted": True, "at": said.isoformat()}
        ok(shared.client.put(f"{PATIENTS}/{patient_id}/consents/call/service", json=body), 204)
        assert aggregate(shared, patient_id).consents[Channel.CALL, Purpose.SERVICE].at == said

    @pytest.mark.parametrize(
        ("path", "body", "fields"),
        [
            ("fax/marketing", {"granted": True}, {"channel"}),
            ("sms/spam", {"granted": True}, {"purpose"}),
            ("sms/service", {}, {"granted"}),
            ("sms/service", {"granted": True, "at": "2024-05-01T09:30:00"}, {"at"}),
            ("sms/service", {"granted": True, "evidence": "x" * 501}, {"evidence"}),
        ],
    )
    def test_invalid_input_is_named(
        self, shared_client: TestClient, path: str, body: dict[str, Any], fields: set[str]
    ) -> None:
        patient_id = registered_id(shared_client)
        response = shared_client.put(f"{PATIENTS}/{patient_id}/consents/{path}", json=body)
        assert invalid_fields(response) == fields

    def test_a_consent_from_the_future_is_refused(self, shared_client: TestClient) -> None:
        patient_id = registered_id(shared_client)
        later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        body = {"granted": True, "at": later}
        response = shared_client.put(f"{PATIENTS}/{patient_id}/consents/sms/service", json=body)
        assert invalid_fields(response) == {"at"}


class TestTags:
    def test_a_tag_is_added_once_and_removed(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        ok(shared.client.post(f"{PATIENTS}/{patient_id}/tags", json={"tag": " VIP "}), 204)
        head = shared.head()
        ok(shared.client.post(f"{PATIENTS}/{patient_id}/tags", json={"tag": "vip"}), 204)
        assert shared.head() == head
        assert aggregate(shared, patient_id).tags == {"vip"}
        ok(shared.client.post(f"{PATIENTS}/{patient_id}/tags/remove", json={"tag": "Vip"}), 204)
        assert aggregate(shared, patient_id).tags == set()

    @pytest.mark.parametrize("tag", ["", "   ", "x" * 51])
    def test_a_bad_tag_is_named(self, shared_client: TestClient, tag: str) -> None:
        patient_id = registered_id(shared_client)
        response = shared_client.post(f"{PATIENTS}/{patient_id}/tags", json={"tag": tag})
        assert invalid_fields(response) == {"tag"}


class TestRepresentative:
    def test_a_guardian_is_linked_and_unlinked(self, shared: Served) -> None:
        child, mother = registered_id(shared.client), registered_id(shared.client)
        path = f"{PATIENTS}/{child}/representative"
        ok(shared.client.put(path, json={"representative_id": mother}), 204)
        assert aggregate(shared, child).representative_id == UUID(mother)
        head = shared.head()
        ok(shared.client.put(path, json={"representative_id": mother}), 204)
        assert shared.head() == head
        ok(shared.client.delete(path), 204)
        assert aggregate(shared, child).representative_id is None

    @pytest.mark.parametrize("who", ["self", "unknown", "erased"])
    def test_the_representative_must_be_another_reachable_patient(
        self, shared_client: TestClient, who: str
    ) -> None:
        child = registered_id(shared_client)
        representative = {
            "self": lambda: child,
            "unknown": lambda: str(uuid4()),
            "erased": lambda: erased_id(shared_client),
        }[who]()
        response = shared_client.put(
            f"{PATIENTS}/{child}/representative", json={"representative_id": representative}
        )
        assert invalid_fields(response) == {"representative_id"}


class TestSourceRecords:
    def test_a_record_elsewhere_is_linked_once(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        path = f"{PATIENTS}/{patient_id}/source-records"
        ok(shared.client.post(path, json={"source": "mis", "external_id": "A-17"}), 204)
        head = shared.head()
        ok(shared.client.post(path, json={"source": "MIS", "external_id": "A-17"}), 204)
        assert shared.head() == head
        assert SourceRecord("mis", "A-17") in aggregate(shared, patient_id).source_records

    def test_bad_fields_are_named(self, shared_client: TestClient) -> None:
        patient_id = registered_id(shared_client)
        body = {"source": "МИС", "external_id": " "}
        response = shared_client.post(f"{PATIENTS}/{patient_id}/source-records", json=body)
        assert invalid_fields(response) == {"source", "external_id"}


class TestArchiveAndRestore:
    def test_archived_with_a_comment_and_restored(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        archived = ok(
            shared.client.post(f"{PATIENTS}/{patient_id}/archive", json={"comment": "moved"})
        )
        assert archived["status"] == "archived"
        assert ok(shared.client.get(f"{PATIENTS}/{patient_id}")) == archived
        assert aggregate(shared, patient_id).archive_comment == "moved"
        restored = ok(shared.client.post(f"{PATIENTS}/{patient_id}/restore"))
        assert restored == archived | {"status": "active"}

    def test_repeating_either_answers_the_same_and_stores_nothing(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        archive = f"{PATIENTS}/{patient_id}/archive"
        first = ok(shared.client.post(archive, json={"comment": "duplicate card"}))
        head = shared.head()
        assert ok(shared.client.post(archive, json={"comment": "duplicate card"})) == first
        assert shared.head() == head
        ok(shared.client.post(f"{PATIENTS}/{patient_id}/restore", json={"comment": "back"}))
        head = shared.head()
        ok(shared.client.post(f"{PATIENTS}/{patient_id}/restore", json={}))
        assert shared.head() == head

    @pytest.mark.parametrize("body", [{}, {"comment": ""}, {"comment": "  "}])
    def test_archiving_needs_a_comment(self, shared_client: TestClient, body: Any) -> None:
        patient_id = registered_id(shared_client)
        response = shared_client.post(f"{PATIENTS}/{patient_id}/archive", json=body)
        assert invalid_fields(response) == {"comment"}


SINGLE_COMMANDS = [
    ("PATCH", "", {"surname": "Петрова"}),
    ("POST", "/contact-points", {"kind": "phone", "value": "+79031112233"}),
    ("POST", "/contact-points/remove", {"kind": "phone", "value": "+79161234567"}),
    ("PUT", "/consents/sms/service", {"granted": True}),
    ("POST", "/tags", {"tag": "vip"}),
    ("POST", "/tags/remove", {"tag": "vip"}),
    ("DELETE", "/representative", None),
    ("POST", "/source-records", {"source": "mis", "external_id": "1"}),
    ("POST", "/archive", {"comment": "why"}),
    ("POST", "/restore", None),
]


class TestUnknownAndErasedPatients:
    @pytest.mark.parametrize(("method", "path", "body"), SINGLE_COMMANDS)
    def test_an_unknown_patient_is_404(
        self, shared_client: TestClient, method: str, path: str, body: Any
    ) -> None:
        response = shared_client.request(method, f"{PATIENTS}/{uuid4()}{path}", json=body)
        problem(response, 404)

    @pytest.mark.parametrize(("method", "path", "body"), SINGLE_COMMANDS)
    def test_an_erased_patient_is_409_naming_them_and_nothing_is_stored(
        self, shared: Served, method: str, path: str, body: Any
    ) -> None:
        patient_id = erased_id(shared.client)
        head = shared.head()
        response = shared.client.request(method, f"{PATIENTS}/{patient_id}{path}", json=body)
        assert refused(response) == {patient_id: "erased"}
        assert shared.head() == head


class TestBulkChanges:
    def test_archive_and_restore_answer_how_many_changed(self, shared: Served) -> None:
        ids = [registered_id(shared.client) for _ in range(3)]
        body = {"ids": ids, "comment": "closed branch"}
        assert ok(shared.client.post(f"{PATIENTS}/bulk/archive", json=body)) == {"changed": 3}
        assert {ok(shared.client.get(f"{PATIENTS}/{i}"))["status"] for i in ids} == {"archived"}
        assert ok(shared.client.post(f"{PATIENTS}/bulk/archive", json=body)) == {"changed": 0}
        restore = {"ids": ids[:2]}
        assert ok(shared.client.post(f"{PATIENTS}/bulk/restore", json=restore)) == {"changed": 2}
        assert [ok(shared.client.get(f"{PATIENTS}/{i}"))["status"] for i in ids] == [
            "active",
            "active",
            "archived",
        ]

    def test_tag_and_untag_count_only_real_changes(self, shared: Served) -> None:
        ids = [registered_id(shared.client) for _ in range(3)]
        ok(shared.client.post(f"{PATIENTS}/{ids[0]}/tags", json={"tag": "vip"}), 204)
        tag = {"ids": ids, "tag": "VIP"}
        assert ok(shared.client.post(f"{PATIENTS}/bulk/tag", json=tag)) == {"changed": 2}
        assert all(aggregate(shared, i).tags == {"vip"} for i in ids)
        untag = {"ids": [*ids, ids[0]], "tag": "vip"}
        assert ok(shared.client.post(f"{PATIENTS}/bulk/untag", json=untag)) == {"changed": 3}

    def test_a_consent_is_recorded_for_everyone_listed(self, shared: Served) -> None:
        ids = [registered_id(shared.client) for _ in range(2)]
        body = {"ids": ids, "channel": "email", "purpose": "marketing", "granted": False}
        assert ok(shared.client.post(f"{PATIENTS}/bulk/consents", json=body)) == {"changed": 2}
        consents = [aggregate(shared, i).consents[Channel.EMAIL, Purpose.MARKETING] for i in ids]
        assert [c.granted for c in consents] == [False, False]

    @pytest.mark.parametrize(
        ("operation", "extra"),
        [
            ("archive", {"comment": "closed branch"}),
            ("tag", {"tag": "vip"}),
            ("consents", {"channel": "sms", "purpose": "service", "granted": True}),
        ],
    )
    def test_one_erased_or_unknown_id_changes_nobody(
        self, shared: Served, operation: str, extra: dict[str, Any]
    ) -> None:
        kept, erased, unknown = registered_id(shared.client), erased_id(shared.client), uuid4()
        head = shared.head()
        body = {"ids": [kept, erased, str(unknown)], **extra}
        response = shared.client.post(f"{PATIENTS}/bulk/{operation}", json=body)
        assert refused(response) == {erased: "erased", str(unknown): "not found"}
        assert shared.head() == head
        assert ok(shared.client.get(f"{PATIENTS}/{kept}"))["status"] == "active"

    @pytest.mark.parametrize("ids", [[], ["not-a-uuid"], [str(uuid4()) for _ in range(10_001)]])
    def test_the_ids_must_be_one_to_ten_thousand_uuids(
        self, shared_client: TestClient, ids: list[str]
    ) -> None:
        response = shared_client.post(f"{PATIENTS}/bulk/tag", json={"ids": ids, "tag": "vip"})
        assert {field.split(".")[0] for field in invalid_fields(response)} == {"ids"}

    def test_a_bad_tag_is_named_before_any_patient_is_read(self, shared_client: TestClient) -> None:
        response = shared_client.post(
            f"{PATIENTS}/bulk/tag", json={"ids": [str(uuid4())], "tag": "a\x01b"}
        )
        assert invalid_fields(response) == {"tag"}


class TestWhoMayChangePatients:
    def test_the_call_centre_changes_a_patient(self, shared: Served) -> None:
        patient_id = registered_id(shared.client)
        headers = bearer_headers(shared.container, "call_centre")
        response = shared.client.post(
            f"{PATIENTS}/{patient_id}/archive", json={"comment": "asked by phone"}, headers=headers
        )
        assert ok(response)["status"] == "archived"
        assert aggregate(shared, patient_id).archive_comment == "asked by phone"

    @pytest.mark.parametrize("role", ["marketer", "analyst"])
    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("PATCH", "", {"surname": "Петрова"}),
            ("POST", "/tags", {"tag": "vip"}),
            ("POST", "/archive", {"comment": "why"}),
            ("POST", "bulk", {"tag": "vip"}),
        ],
    )
    def test_other_roles_get_403_and_nothing_changes(
        self, shared: Served, role: str, method: str, path: str, body: dict[str, Any]
    ) -> None:
        patient_id = registered_id(shared.client)
        headers = bearer_headers(shared.container, role)
        url = f"{PATIENTS}/bulk/tag" if path == "bulk" else f"{PATIENTS}/{patient_id}{path}"
        if path == "bulk":
            body = body | {"ids": [patient_id]}
        head = shared.head()
        problem(shared.client.request(method, url, json=body, headers=headers), 403)
        assert shared.head() == head
