"""Every change to a patient and every view of a profile is attributable: who, when, what."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.auth import bearer_headers
from tests.integration.patients.serving import Served

PATIENTS = "/api/v1/patients"
MARIA = {"surname": "Аудитова", "given_name": "Мария", "phone": "+7 916 555-01-02"}


def trail(served: Served, patient_id: str) -> list[tuple[str, str, str | None]]:
    """(action, actor's role, actor) of the patient's audit entries, oldest first."""
    audit = served.container.audit
    head = audit.service().recorder.max_notification_id()
    page = audit.queries().search(subject_id=patient_id, after=head)
    return [(e.action, e.role or "", e.actor) for e in reversed(page.items)]


def username(served: Served, headers: dict[str, str]) -> str:
    me = served.client.get("/api/v1/auth/me", headers=headers)
    return str(me.json()["username"])


def test_registration_view_and_erasure_name_their_actor(served: Served) -> None:
    client: TestClient = served.client
    operator = bearer_headers(served.container, "call_centre")
    marketer = bearer_headers(served.container, "marketer")
    admin = bearer_headers(served.container, "admin")

    patient_id = client.post(PATIENTS, json=MARIA, headers=operator).json()["id"]
    assert client.get(f"{PATIENTS}/{patient_id}", headers=marketer).status_code == 200
    assert client.delete(f"{PATIENTS}/{patient_id}", headers=admin).status_code == 204

    assert trail(served, patient_id) == [
        ("patient.registered", "call_centre", username(served, operator)),
        ("patient.viewed", "marketer", username(served, marketer)),
        ("patient.erased", "admin", username(served, admin)),
    ]


def test_a_refused_view_is_neither_shown_nor_recorded_as_a_view(served: Served) -> None:
    patient_id = served.client.post(PATIENTS, json=MARIA).json()["id"]
    analyst = bearer_headers(served.container, "analyst")

    response = served.client.get(f"{PATIENTS}/{patient_id}", headers=analyst)

    assert response.status_code == 403
    assert "Аудитова" not in response.text
    assert [action for action, _, _ in trail(served, patient_id)] == ["patient.registered"]


def test_the_audit_trail_holds_no_personal_data(served: Served) -> None:
    patient_id = served.client.post(PATIENTS, json=MARIA).json()["id"]
    served.client.get(f"{PATIENTS}/{patient_id}")
    trail(served, patient_id)  # caught up

    stored = b"".join(
        n.state for n in served.container.audit.service().recorder.select_notifications(None, 1000)
    )
    assert stored  # the scan reads real entries
    for value in ("Аудитова", "Мария", "9165550102"):
        assert value.encode() not in stored
