"""The unified profile over HTTP, on each backend: every section, dependants, who may see it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from clinic.application.patients.commands import (
    AddContactPoint,
    CorrectPersonalData,
    GrantConsent,
    LinkRepresentative,
    LinkSourceRecord,
    RegisterPatient,
)
from tests.integration.auth import bearer_headers
from tests.integration.patients.serving import Served
from tests.integration.patients.test_patient_audit import trail

PATIENTS = "/api/v1/patients"
FORM_SIGNED = datetime(2025, 5, 20, 12, 0, tzinfo=UTC)
MARIA = RegisterPatient(
    surname="Профилева",
    given_name="Мария",
    patronymic="Петровна",
    sex="F",
    birth_date="15.03.1985",
    phone="+7 916 555-03-04",
    email="profile@example.ru",
    city="Москва",
    address="ул. Ленина, 1",
    postcode="101000",
    time_zone="Europe/Moscow",
    source="import:xlsx",
    external_id="X-17",
)


def profile_of(served: Served, patient_id: UUID, **headers: str) -> Any:
    response = served.client.get(f"{PATIENTS}/{patient_id}/profile", headers=headers or None)
    assert response.status_code == 200, response.text
    return response.json()


def register(served: Served, command: RegisterPatient) -> UUID:
    return served.container.patients.service().register_patient(command).patient_id


def caught_up(served: Served, patient_id: UUID, position: int | None) -> None:
    """Waits until the patient list has applied the command at `position`."""
    served.container.patients.queries().get_patient(patient_id, after=position)


def test_a_profile_shows_every_section(served: Served) -> None:
    service = served.container.patients.service()
    maria = register(served, MARIA)
    service.correct_personal_data(CorrectPersonalData(maria, {"surname": "Светлова"}))
    service.add_contact_point(AddContactPoint(maria, "telegram", "52841977", "mis"))
    service.grant_consent(
        GrantConsent(maria, "sms", "marketing", "paper", "форма №12", FORM_SIGNED)
    )
    service.tag_patient(maria, "vip")
    service.link_source_record(LinkSourceRecord(maria, "mis", "MIS-5"))
    service.archive_patient(maria, "переехала")

    profile = profile_of(served, maria)

    assert (profile["full_name"], profile["birth_date"], profile["city"]) == (
        "Светлова Мария Петровна",
        "1985-03-15",
        "Москва",
    )
    assert (profile["status"], profile["archive_comment"]) == ("archived", "переехала")
    assert [(p["kind"], p["value"], p["source"]) for p in profile["contact_points"]] == [
        ("phone", "+79165550304", "import:xlsx"),
        ("email", "profile@example.ru", "import:xlsx"),
        ("telegram", "52841977", "mis"),
    ]
    [consent] = profile["consents"]
    assert (consent["channel"], consent["granted"], consent["evidence"]) == (
        "sms",
        True,
        "форма №12",
    )
    assert datetime.fromisoformat(consent["at"]) == FORM_SIGNED
    assert profile["tags"] == ["vip"]
    assert [r["external_id"] for r in profile["source_records"]] == ["X-17", "MIS-5"]
    assert [c["change"] for c in profile["history"]] == [
        "patient.registered",
        "personal_data.corrected",
        "contact_point.added",
        "consent.granted",
        "tag.added",
        "source_record.linked",
        "patient.archived",
    ]
    assert profile["history"][1]["fields"] == ["surname"]
    assert profile["history"][1]["values"] == {}


def test_dependants_appear_on_the_representatives_profile(served: Served) -> None:
    service = served.container.patients.service()
    mother = register(served, MARIA)
    son = register(served, RegisterPatient(surname="Профилев", given_name="Пётр"))
    position = service.link_representative(LinkRepresentative(son, mother))
    caught_up(served, son, position)

    assert profile_of(served, mother)["dependants"] == [
        {"id": str(son), "full_name": "Профилев Пётр"}
    ]
    assert profile_of(served, son)["representative"] == {
        "id": str(mother),
        "full_name": "Профилева Мария Петровна",
    }


def test_an_erased_profile_has_no_personal_data(served: Served) -> None:
    maria = register(served, MARIA)
    served.container.patients.service().tag_patient(maria, "vip")
    assert served.client.delete(f"{PATIENTS}/{maria}").status_code == 204

    response = served.client.get(f"{PATIENTS}/{maria}/profile")

    assert response.json()["status"] == "erased"
    for value in ("Профилева", "Мария", "+79165550304", "profile@example.ru", "X-17", "vip"):
        assert value not in response.text


def test_an_unknown_patient_is_not_found(served: Served) -> None:
    response = served.client.get(f"{PATIENTS}/{UUID(int=1)}/profile")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_an_analyst_is_refused_and_the_view_is_not_audited(served: Served) -> None:
    maria = register(served, MARIA)
    analyst = bearer_headers(served.container, "analyst")

    response = served.client.get(f"{PATIENTS}/{maria}/profile", headers=analyst)

    assert response.status_code == 403
    assert "Профилева" not in response.text
    assert [action for action, _, _ in trail(served, str(maria))] == ["patient.registered"]


def test_a_marketer_sees_it_and_the_view_is_audited(served: Served) -> None:
    maria = register(served, MARIA)

    profile = profile_of(served, maria, **bearer_headers(served.container, "marketer"))

    assert profile["surname"] == "Профилева"
    assert [(action, role) for action, role, _ in trail(served, str(maria))] == [
        ("patient.registered", "admin"),
        ("patient.viewed", "marketer"),
    ]
