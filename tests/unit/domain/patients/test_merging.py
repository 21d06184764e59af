from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.domain.patients.consents import Channel, Consent, Purpose
from clinic.domain.patients.contacts import ContactKind, ContactPoint
from clinic.domain.patients.errors import PatientNotChangeableError, PatientNotMergedError
from clinic.domain.patients.merging import choose_survivor, merge, unmerge
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.values import PatientStatus, PersonalData
from clinic.domain.shared.errors import InvalidFieldError

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PHONES = ("+79161234567", "+79037654321", "+79990001122")
EMAILS = ("anna@mail.ru", "a.petrova@yandex.ru")


def register(at: datetime = NOW, **raw: Any) -> Patient:
    data = PersonalData.parse(today=NOW.date(), **raw)
    return Patient.register(uuid4(), data, at, source="mis", external_id=str(uuid4())[:8])


def state(patient: Patient) -> dict[str, Any]:
    """What a profile shows: every field a merge may touch."""
    return {
        "status": patient.status,
        "names": (patient.surname, patient.given_name, patient.patronymic),
        "born": (patient.sex, patient.birth_date, patient.city),
        "contacts": sorted((p.kind, p.value, p.source) for p in patient.contact_points),
        "primary": (patient.phone, patient.email),
        "records": sorted((r.source, r.external_id) for r in patient.source_records),
        "tags": sorted(patient.tags),
        "consents": dict(patient.consents),
        "merged_into": patient.merged_into,
    }


def reloaded(patient: Patient) -> Patient:
    """The aggregate rebuilt from every event it recorded (as a repository loads it)."""
    rebuilt: Patient | None = None
    for domain_event in patient.collect_events():
        rebuilt = domain_event.mutate(rebuilt)
    assert rebuilt is not None
    return rebuilt


class TestMerge:
    def test_the_survivor_keeps_its_values_fills_its_gaps_and_takes_the_others_contacts(
        self,
    ) -> None:
        survivor = register(surname="Петрова", given_name="Анна", phone=PHONES[0])
        other = register(
            NOW + timedelta(days=1),
            surname="Петрова",
            given_name="Аня",
            birth_date="01.02.1990",
            phone=PHONES[1],
            email=EMAILS[0],
        )
        other.add_tag("vip", by="admin", now=NOW)

        merge(survivor, other, rule="phone", score=20.0, by="admin", now=NOW)

        assert survivor.given_name == "Анна"  # its own value wins
        assert survivor.birth_date == other.birth_date  # its gap is filled
        assert survivor.phone == PHONES[0]  # its primary stays primary
        assert {p.value for p in survivor.contact_points} == {PHONES[0], PHONES[1], EMAILS[0]}
        assert survivor.email == EMAILS[0]
        assert set(other.source_records) <= set(survivor.source_records)
        assert survivor.tags == {"vip"}
        assert other.status == PatientStatus.MERGED
        assert other.merged_into == survivor.id
        [absorbed] = [e for e in survivor.collect_events() if isinstance(e, Patient.Absorbed)]
        assert (absorbed.rule, absorbed.score, absorbed.by) == ("phone", 20.0, "admin")
        assert absorbed.filled == {"birth_date": other.birth_date}

    def test_the_most_recent_consent_wins_so_a_later_withdrawal_survives(self) -> None:
        survivor, other = register(given_name="Анна"), register(given_name="Анна")
        survivor.grant_consent(consent(True, NOW - timedelta(days=9)), by="a", now=NOW)
        other.withdraw_consent(consent(False, NOW - timedelta(days=1)), by="a", now=NOW)

        merge(survivor, other, rule="score", score=17.0, by="admin", now=NOW)

        assert not survivor.has_consent(Channel.SMS, Purpose.MARKETING)

    def test_an_older_consent_of_the_absorbed_profile_does_not_override(self) -> None:
        survivor, other = register(given_name="Анна"), register(given_name="Анна")
        survivor.grant_consent(consent(True, NOW - timedelta(days=1)), by="a", now=NOW)
        other.withdraw_consent(consent(False, NOW - timedelta(days=9)), by="a", now=NOW)

        merge(survivor, other, rule="score", score=17.0, by="admin", now=NOW)

        assert survivor.has_consent(Channel.SMS, Purpose.MARKETING)

    def test_merged_and_erased_profiles_and_the_same_profile_are_refused(self) -> None:
        a, b, c = register(given_name="А"), register(given_name="Б"), register(given_name="В")
        with pytest.raises(InvalidFieldError):
            merge(a, a, rule="manual", score=0, by="admin", now=NOW)
        merge(a, b, rule="manual", score=0, by="admin", now=NOW)
        with pytest.raises(PatientNotChangeableError):
            merge(c, b, rule="manual", score=0, by="admin", now=NOW)
        c.erase(NOW)
        with pytest.raises(PatientNotChangeableError):
            merge(a, c, rule="manual", score=0, by="admin", now=NOW)

    def test_the_profile_registered_first_survives(self) -> None:
        later = register(NOW + timedelta(hours=1), given_name="Б")
        first = register(NOW, given_name="А")
        assert choose_survivor(later, first) == (first, later)


class TestUnmerge:
    def test_what_changed_since_the_merge_stays(self) -> None:
        survivor = register(given_name="Анна", phone=PHONES[0])
        other = register(given_name="Анна", phone=PHONES[1], birth_date="01.02.1990")
        merge(survivor, other, rule="phone", score=20.0, by="admin", now=NOW)
        survivor.correct({"birth_date": NOW.date() - timedelta(days=9000)}, by="a", now=NOW)
        survivor.remove_contact_point(ContactKind.PHONE, PHONES[1], by="a", now=NOW)

        unmerge(survivor, other, by="admin", now=NOW)

        assert survivor.birth_date == NOW.date() - timedelta(days=9000)  # corrected: kept
        assert [p.value for p in survivor.contact_points] == [PHONES[0]]
        assert other.status == PatientStatus.ACTIVE
        assert other.phone == PHONES[1]

    def test_unmerging_a_profile_that_is_not_merged_into_it_is_refused(self) -> None:
        a, b, c = register(given_name="А"), register(given_name="Б"), register(given_name="В")
        merge(a, b, rule="manual", score=0, by="admin", now=NOW)
        with pytest.raises(PatientNotMergedError):
            unmerge(c, b, by="admin", now=NOW)
        with pytest.raises(PatientNotMergedError):
            unmerge(a, c, by="admin", now=NOW)

    def test_an_archived_profile_is_archived_again_after_the_unmerge(self) -> None:
        a, b = register(given_name="А"), register(given_name="Б")
        b.archive("дубль", by="admin", now=NOW)
        merge(a, b, rule="manual", score=0, by="admin", now=NOW)
        unmerge(a, b, by="admin", now=NOW)
        assert b.status == PatientStatus.ARCHIVED


def consent(granted: bool, at: datetime) -> Consent:
    return Consent(Channel.SMS, Purpose.MARKETING, granted, "mis", at, None)


@st.composite
def profiles(draw: st.DrawFn, at: datetime) -> Patient:
    """A profile with some of: name parts, birth date, phones, e-mails, tags, consents."""
    raw = {
        "surname": draw(st.sampled_from((None, "Петрова", "Иванова"))),
        "given_name": draw(st.sampled_from(("Анна", "Мария"))),
        "birth_date": draw(st.sampled_from((None, "01.02.1990", "03.04.1985"))),
        "sex": draw(st.sampled_from((None, "F"))),
        "city": draw(st.sampled_from((None, "Москва"))),
    }
    patient = register(at, **raw)
    for phone in draw(st.lists(st.sampled_from(PHONES), max_size=3)):
        point = ContactPoint(ContactKind.PHONE, phone, "mis")
        patient.add_contact_point(point, by="a", now=at)
    for email in draw(st.lists(st.sampled_from(EMAILS), max_size=2)):
        patient.add_contact_point(ContactPoint(ContactKind.EMAIL, email, "site"), by="a", now=at)
    for tag in draw(st.lists(st.sampled_from(("vip", "дети", "стоматология")), max_size=3)):
        patient.add_tag(tag, by="a", now=at)
    for channel in draw(st.lists(st.sampled_from(list(Channel)), max_size=3, unique=True)):
        days = draw(st.integers(min_value=1, max_value=30))
        given = Consent(channel, Purpose.MARKETING, draw(st.booleans()), "mis", at, None)
        given = Consent(given.channel, given.purpose, given.granted, "mis",
                        at - timedelta(days=days), None)  # fmt: skip
        if given.granted:
            patient.grant_consent(given, by="a", now=at)
        else:
            patient.withdraw_consent(given, by="a", now=at)
    if draw(st.booleans()):
        patient.archive("дубль", by="a", now=at)
    return patient


class TestMergeThenUnmerge:
    @settings(max_examples=150, deadline=None)
    @given(
        survivor=profiles(NOW),
        other=profiles(NOW + timedelta(hours=1)),
    )
    def test_restores_both_profiles_also_when_rebuilt_from_their_events(
        self, survivor: Patient, other: Patient
    ) -> None:
        before = (state(survivor), state(other))

        merge(survivor, other, rule="score", score=18.5, by="admin", now=NOW)
        unmerge(survivor, other, by="admin", now=NOW)

        assert (state(survivor), state(other)) == before
        assert (state(reloaded(survivor)), state(reloaded(other))) == before
