from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.domain.patients.consents import Channel, Consent, Purpose
from clinic.domain.patients.contacts import ContactKind, ContactPoint
from clinic.domain.patients.errors import PatientNotChangeableError
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.registration import RegistrationDetails
from clinic.domain.patients.sources import SourceRecord
from clinic.domain.patients.values import PatientStatus, PersonalData
from clinic.domain.shared.errors import InvalidFieldError

NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)


def personal_data(**overrides: str) -> PersonalData:
    raw = {
        "surname": "Иванова",
        "given_name": "Мария",
        "patronymic": "Петровна",
        "sex": "F",
        "birth_date": "15.03.1985",
        "phone": "8 (916) 123-45-67",
        "email": "maria@mail.ru",
    }
    return PersonalData.parse(today=NOW.date(), **(raw | overrides))


class TestRegisterPatient:
    def test_registering_records_one_registered_event_with_the_data(self) -> None:
        patient_id = uuid4()
        patient = Patient.register(patient_id, personal_data(), NOW)

        [registered] = patient.collect_events()
        assert isinstance(registered, Patient.Registered)
        assert registered.originator_id == patient_id
        assert registered.originator_version == 1
        assert (
            registered.surname,
            registered.given_name,
            registered.patronymic,
            registered.sex,
            registered.birth_date,
            registered.phone,
            registered.email,
            registered.registered_at,
        ) == (
            "Иванова",
            "Мария",
            "Петровна",
            "F",
            date(1985, 3, 15),
            "+79161234567",
            "maria@mail.ru",
            NOW,
        )

    def test_a_registered_patient_is_active_with_the_data(self) -> None:
        patient = Patient.register(uuid4(), personal_data(), NOW)
        assert patient.status == "active"
        assert (patient.surname, patient.given_name, patient.phone, patient.birth_date) == (
            "Иванова",
            "Мария",
            "+79161234567",
            date(1985, 3, 15),
        )
        assert patient.registered_at == NOW

    def test_absent_optional_data_is_recorded_as_none(self) -> None:
        data = PersonalData.parse(today=NOW.date(), surname="Петров", given_name="Иван")
        [registered] = Patient.register(uuid4(), data, NOW).collect_events()
        assert (
            registered.patronymic,
            registered.sex,
            registered.birth_date,
            registered.phone,
            registered.email,
        ) == (None, None, None, None, None)

    def test_replaying_the_event_rebuilds_the_same_patient(self) -> None:
        patient = Patient.register(uuid4(), personal_data(sex="М"), NOW)
        [registered] = patient.collect_events()
        rebuilt = registered.mutate(None)
        assert isinstance(rebuilt, Patient)
        assert rebuilt.id == patient.id
        assert rebuilt.sex == "M"
        assert rebuilt.__dict__ == patient.__dict__


LATER = NOW + timedelta(hours=1)
BY = "admin"


def patient(**overrides: str) -> Patient:
    registered = Patient.register(uuid4(), personal_data(**overrides), NOW, by=BY)
    registered.collect_events()
    return registered


def events_of(patient: Patient) -> list[object]:
    return list(patient.collect_events())


def replayed(events: list[object]) -> Patient:
    """A patient rebuilt from all its events, the registration first."""
    rebuilt = None
    for event in events:
        rebuilt = event.mutate(rebuilt)  # type: ignore[attr-defined]
    assert isinstance(rebuilt, Patient)
    return rebuilt


def phone(typed: str, source: str = "manual") -> ContactPoint:
    return ContactPoint.parse("phone", typed, source)


class TestRegistrationWithPlaceAndSource:
    def test_registration_carries_place_source_record_and_who(self) -> None:
        data = personal_data(city="Казань", postcode="420000", time_zone="Europe/Moscow")
        registered = Patient.register(uuid4(), data, NOW, source="mis", external_id="A-1", by=BY)
        assert (registered.city, registered.postcode, registered.time_zone) == (
            "Казань",
            "420000",
            "Europe/Moscow",
        )
        assert registered.source_records == [SourceRecord("mis", "A-1")]
        assert registered.registered_by == BY

    def test_the_registered_phone_and_email_are_the_first_contact_points(self) -> None:
        registered = Patient.register(uuid4(), personal_data(), NOW, source="website")
        assert registered.contact_points == [
            ContactPoint(ContactKind.PHONE, "+79161234567", "website"),
            ContactPoint(ContactKind.EMAIL, "maria@mail.ru", "website"),
        ]


class TestRegistrationWithDetails:
    """An import registers a patient with everything its source knows, in one event."""

    def details(self) -> RegistrationDetails:
        telegram = ContactPoint.parse("telegram", "123456", "mis")
        return RegistrationDetails(
            contact_points=(telegram, phone("8 916 123-45-67", "mis"), telegram),
            consents=(
                Consent(Channel.SMS, Purpose.MARKETING, True, "mis", NOW, "form 7"),
                Consent(Channel.EMAIL, Purpose.MARKETING, False, "mis", NOW, None),
            ),
            tags=("vip", "vip", "дети"),
        )

    def test_one_event_records_contacts_consents_and_tags(self) -> None:
        patient = Patient.register(uuid4(), personal_data(), NOW, source="mis", by=BY,
                                   details=self.details())  # fmt: skip

        [registered] = patient.collect_events()
        assert [(p.kind, p.value) for p in patient.contact_points] == [
            (ContactKind.PHONE, "+79161234567"),
            (ContactKind.EMAIL, "maria@mail.ru"),
            (ContactKind.TELEGRAM, "123456"),
        ]  # the phone the personal data gives and the repeated chat id are recorded once
        assert patient.has_consent(Channel.SMS, Purpose.MARKETING)
        assert not patient.has_consent(Channel.EMAIL, Purpose.MARKETING)
        assert patient.consents[Channel.SMS, Purpose.MARKETING].evidence == "form 7"
        assert patient.tags == {"vip", "дети"}
        assert replayed([registered]).__dict__ == patient.__dict__

    def test_the_evidence_is_kept_apart_from_the_bare_consents(self) -> None:
        patient = Patient.register(uuid4(), personal_data(), NOW, details=self.details())
        [registered] = patient.collect_events()
        assert "consent_evidence" in Patient.Registered.personal_fields
        assert "consents" not in Patient.Registered.personal_fields
        assert registered.consent_evidence == ["form 7", None]
        assert all("evidence" not in consent for consent in registered.consents)

    def test_read_back_after_an_erasure_the_bare_consents_and_tags_remain(self) -> None:
        patient = Patient.register(uuid4(), personal_data(), NOW, details=self.details())
        [registered] = patient.collect_events()
        for field in Patient.Registered.personal_fields:
            object.__setattr__(registered, field, None)  # what the shredded key leaves
        rebuilt = replayed([registered])
        assert rebuilt.contact_points == []
        assert rebuilt.consents[Channel.SMS, Purpose.MARKETING].evidence is None
        assert rebuilt.tags == {"vip", "дети"}

    def test_a_consent_given_in_the_future_is_refused(self) -> None:
        later = Consent(Channel.SMS, Purpose.MARKETING, True, "mis", LATER, None)
        with pytest.raises(InvalidFieldError) as refused:
            Patient.register(uuid4(), personal_data(), NOW,
                             details=RegistrationDetails(consents=(later,)))  # fmt: skip
        assert refused.value.code == "in_future"

    def test_a_version_2_registration_loads_without_details(self) -> None:
        state: dict[str, object] = {}
        Patient.Registered.upcast_v2_v3(state)
        assert state == {"contact_points": [], "consents": [], "consent_evidence": [], "tags": []}


class TestCorrectPersonalData:
    def test_only_changed_fields_are_recorded_with_who_and_when(self) -> None:
        maria = patient()
        maria.correct(
            {"surname": "Петрова", "given_name": "Мария", "city": "Тверь"}, by=BY, now=LATER
        )
        [corrected] = events_of(maria)
        assert isinstance(corrected, Patient.PersonalDataCorrected)
        assert (corrected.corrected, corrected.surname, corrected.city) == (
            ["city", "surname"],
            "Петрова",
            "Тверь",
        )
        assert (corrected.by, corrected.corrected_at) == (BY, LATER)
        assert (maria.surname, maria.given_name, maria.city) == ("Петрова", "Мария", "Тверь")

    def test_none_clears_a_field(self) -> None:
        maria = patient()
        maria.correct({"patronymic": None}, by=BY, now=LATER)
        assert maria.patronymic is None

    def test_no_difference_records_nothing(self) -> None:
        maria = patient()
        maria.correct({"surname": "Иванова"}, by=BY, now=LATER)
        assert events_of(maria) == []


class TestContactPoints:
    def test_adding_records_the_point_with_its_source(self) -> None:
        maria = patient(phone="", email="")
        maria.add_contact_point(phone("+7 903 111-22-33", "import"), by=BY, now=LATER)
        [added] = events_of(maria)
        assert isinstance(added, Patient.ContactPointAdded)
        assert (added.kind, added.value, added.source, added.primary) == (
            "phone",
            "+79031112233",
            "import",
            True,
        )
        assert maria.phone == "+79031112233"

    def test_adding_a_point_the_patient_has_is_a_no_op(self) -> None:
        maria = patient()
        maria.add_contact_point(phone("8 916 123 45 67", "import"), by=BY, now=LATER)
        assert events_of(maria) == []

    def test_removing_the_primary_makes_the_next_of_its_kind_primary(self) -> None:
        maria = patient()
        maria.add_contact_point(phone("+79031112233"), by=BY, now=LATER)
        maria.remove_contact_point(ContactKind.PHONE, "+79161234567", by=BY, now=LATER)
        [_, removed] = events_of(maria)
        assert isinstance(removed, Patient.ContactPointRemoved)
        assert removed.primary_after == "+79031112233"
        assert maria.phone == "+79031112233"

    def test_removing_a_point_the_patient_lacks_is_a_no_op(self) -> None:
        maria = patient()
        maria.remove_contact_point(ContactKind.WHATSAPP, "+79161234567", by=BY, now=LATER)
        assert events_of(maria) == []

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.booleans(),
                st.sampled_from(["phone", "whatsapp", "telegram"]),
                st.sampled_from(["+79161234567", "+79031112233", "+79259998877"]),
            ),
            max_size=20,
        )
    )
    def test_any_sequence_leaves_the_set_a_plain_model_computes(
        self, steps: list[tuple[bool, str, str]]
    ) -> None:
        maria = Patient.register(uuid4(), personal_data(email=""), NOW, by=BY)
        model = {("phone", "+79161234567")}
        for add, kind, typed in steps:
            value = typed.lstrip("+") if kind == "telegram" else typed
            if add:
                maria.add_contact_point(ContactPoint.parse(kind, value, "x"), by=BY, now=LATER)
                model.add((kind, value))
            else:
                maria.remove_contact_point(ContactKind(kind), value, by=BY, now=LATER)
                model.discard((kind, value))
        assert {(p.kind.value, p.value) for p in maria.contact_points} == model
        assert len(maria.contact_points) == len(model)
        assert replayed(list(maria.collect_events())).contact_points == maria.contact_points


class TestConsents:
    def consent(self, granted: bool = True, evidence: str | None = "form 1") -> Consent:
        return Consent(Channel.SMS, Purpose.MARKETING, granted, "website", NOW, evidence)

    def test_granting_records_the_consent(self) -> None:
        maria = patient()
        maria.grant_consent(self.consent(), by=BY, now=LATER)
        [granted] = events_of(maria)
        assert isinstance(granted, Patient.ConsentGranted)
        assert (granted.channel, granted.purpose, granted.evidence, granted.at, granted.by) == (
            "sms",
            "marketing",
            "form 1",
            NOW,
            BY,
        )
        assert maria.has_consent(Channel.SMS, Purpose.MARKETING)
        assert not maria.has_consent(Channel.SMS, Purpose.SERVICE)

    def test_the_same_consent_again_is_a_no_op_but_new_evidence_is_recorded(self) -> None:
        maria = patient()
        maria.grant_consent(self.consent(), by=BY, now=LATER)
        maria.grant_consent(self.consent(), by=BY, now=LATER)
        maria.grant_consent(self.consent(evidence="form 2"), by=BY, now=LATER)
        assert len(events_of(maria)) == 2

    def test_withdrawing_is_recorded_once(self) -> None:
        maria = patient()
        maria.grant_consent(self.consent(), by=BY, now=LATER)
        maria.withdraw_consent(self.consent(granted=False), by=BY, now=LATER)
        maria.withdraw_consent(self.consent(granted=False), by=BY, now=LATER)
        assert [type(e) for e in events_of(maria)] == [
            Patient.ConsentGranted,
            Patient.ConsentWithdrawn,
        ]
        assert not maria.has_consent(Channel.SMS, Purpose.MARKETING)

    def test_a_consent_given_in_the_future_is_refused(self) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            patient().grant_consent(self.consent(), by=BY, now=NOW - timedelta(seconds=1))
        assert raised.value.field == "at"


class TestTags:
    def test_tagging_twice_records_once(self) -> None:
        maria = patient()
        maria.add_tag("vip", by=BY, now=LATER)
        maria.add_tag("vip", by=BY, now=LATER)
        [tagged] = events_of(maria)
        assert isinstance(tagged, Patient.Tagged)
        assert (tagged.tag, tagged.by, tagged.tagged_at) == ("vip", BY, LATER)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.tuples(st.booleans(), st.sampled_from(["vip", "child", "debt"]))))
    def test_any_sequence_leaves_the_set_a_plain_model_computes(
        self, steps: list[tuple[bool, str]]
    ) -> None:
        maria = patient()
        model: set[str] = set()
        for add, tag in steps:
            if add:
                maria.add_tag(tag, by=BY, now=LATER)
                model.add(tag)
            else:
                maria.remove_tag(tag, by=BY, now=LATER)
                model.discard(tag)
        events = list(maria.collect_events())
        assert maria.tags == model
        assert len(events) <= len(steps)
        assert all((type(e) is Patient.Tagged) != (type(e) is Patient.Untagged) for e in events)


class TestRepresentative:
    def test_linking_replacing_and_unlinking(self) -> None:
        child, mother, father = patient(), uuid4(), uuid4()
        child.link_representative(mother, by=BY, now=LATER)
        child.link_representative(mother, by=BY, now=LATER)
        child.link_representative(father, by=BY, now=LATER)
        child.unlink_representative(by=BY, now=LATER)
        child.unlink_representative(by=BY, now=LATER)
        events = events_of(child)
        assert [type(e).__name__ for e in events] == [
            "RepresentativeLinked",
            "RepresentativeLinked",
            "RepresentativeUnlinked",
        ]
        assert child.representative_id is None

    def test_a_patient_cannot_represent_themself(self) -> None:
        maria = patient()
        with pytest.raises(InvalidFieldError) as raised:
            maria.link_representative(maria.id, by=BY, now=LATER)
        assert raised.value.code == "self_representative"


class TestSourceRecords:
    def test_a_record_is_linked_once(self) -> None:
        maria = patient()
        maria.link_source_record(SourceRecord("mis", "17"), by=BY, now=LATER)
        maria.link_source_record(SourceRecord("mis", "17"), by=BY, now=LATER)
        [linked] = events_of(maria)
        assert isinstance(linked, Patient.SourceRecordLinked)
        assert maria.source_records == [SourceRecord("mis", "17")]


class TestArchiveAndRestore:
    def test_archive_restore_archive(self) -> None:
        maria = patient()
        maria.archive("moved away", by=BY, now=LATER)
        assert (maria.status, maria.archive_comment) == ("archived", "moved away")
        maria.restore(by=BY, now=LATER)
        assert (maria.status, maria.archive_comment) == ("active", None)
        maria.archive("duplicate", by=BY, now=LATER)
        events = events_of(maria)
        assert [type(e) for e in events] == [Patient.Archived, Patient.Restored, Patient.Archived]
        assert maria.status == "archived"

    def test_archiving_an_archived_or_restoring_an_active_patient_records_nothing(self) -> None:
        maria = patient()
        maria.restore(by=BY, now=LATER)
        maria.archive("moved away", by=BY, now=LATER)
        maria.archive("again", by=BY, now=LATER)
        assert len(events_of(maria)) == 1
        assert maria.archive_comment == "moved away"

    def test_archiving_needs_a_comment(self) -> None:
        with pytest.raises(InvalidFieldError) as raised:
            patient().archive("   ", by=BY, now=LATER)
        assert (raised.value.field, raised.value.code) == ("comment", "required")


class TestErasedAndMergedPatients:
    @pytest.mark.parametrize(
        "command",
        [
            lambda p: p.correct({"surname": "Петрова"}, by=BY, now=LATER),
            lambda p: p.add_contact_point(phone("+79031112233"), by=BY, now=LATER),
            lambda p: p.remove_contact_point(ContactKind.PHONE, "+79031112233", by=BY, now=LATER),
            lambda p: p.add_tag("vip", by=BY, now=LATER),
            lambda p: p.remove_tag("vip", by=BY, now=LATER),
            lambda p: p.link_representative(uuid4(), by=BY, now=LATER),
            lambda p: p.link_source_record(SourceRecord("mis", "1"), by=BY, now=LATER),
            lambda p: p.archive("why", by=BY, now=LATER),
            lambda p: p.restore(by=BY, now=LATER),
        ],
    )
    @pytest.mark.parametrize("status", [PatientStatus.ERASED, PatientStatus.MERGED])
    def test_every_change_is_refused(
        self, command: Callable[[Patient], None], status: PatientStatus
    ) -> None:
        maria = patient()
        if status is PatientStatus.ERASED:
            maria.erase(erased_at=LATER, by=BY)
        else:
            maria.status = status  # no merge command yet: the state a merge will leave
        maria.collect_events()
        with pytest.raises(PatientNotChangeableError) as raised:
            command(maria)
        assert raised.value.status == status
        assert events_of(maria) == []

    def test_erasure_clears_every_personal_value_and_says_who(self) -> None:
        maria = patient(address="ул. Ленина, 1", postcode="101000", city="Москва")
        maria.link_source_record(SourceRecord("mis", "17"), by=BY, now=LATER)
        maria.archive("moved", by=BY, now=LATER)
        maria.erase(erased_at=LATER, by="dpo")
        erased = events_of(maria)[-1]
        assert isinstance(erased, Patient.Erased)
        assert erased.by == "dpo"
        assert (maria.surname, maria.address, maria.postcode, maria.phone) == (None,) * 4
        assert (maria.contact_points, maria.source_records, maria.archive_comment) == ([], [], None)
        assert maria.city == "Москва"
