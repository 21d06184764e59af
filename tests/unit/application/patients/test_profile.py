from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from clinic.application.patients.commands import (
    AddContactPoint,
    CorrectPersonalData,
    GrantConsent,
    LinkRepresentative,
    LinkSourceRecord,
    RegisterPatient,
    RemoveContactPoint,
    WithdrawConsent,
)
from clinic.application.patients.profile import (
    PatientProfile,
    PatientProfileQueries,
    PatientReference,
    ProfileConsent,
    ProfileContactPoint,
    ProfileSourceRecord,
)
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.service import PatientsService
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import NotFoundError, PermissionDeniedError
from clinic.domain.shared.access import Role
from tests.unit.application.fakes import (
    POPO,
    FixedClock,
    InMemoryPatientList,
    RecordingAuditTrail,
)

NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
FORM_SIGNED = datetime(2025, 5, 20, 12, 0, tzinfo=UTC)
CLERK = Actor.of("clerk", Role.CALL_CENTRE)
MARKETER = Actor.of("marketer", Role.MARKETER)
ANALYST = Actor.of("analyst", Role.ANALYST)
MARIA = RegisterPatient(
    surname="Иванова",
    given_name="Мария",
    patronymic="Петровна",
    sex="F",
    birth_date="15.03.1985",
    phone="+7 916 123-45-67",
    email="maria@mail.ru",
    city="Москва",
    address="ул. Ленина, 1",
    postcode="101000",
    time_zone="Europe/Moscow",
    source="import:xlsx",
    external_id="X-17",
)
PERSONAL_VALUES = (
    "Иванова", "Мария", "Петровна", "Светлова", "1985", "+79161234567", "maria@mail.ru",
    "52841977", "ул. Ленина", "101000", "X-17", "MIS-5", "форма №12", "переехала",
)  # fmt: skip


@pytest.fixture
def service() -> Iterator[PatientsService]:
    service = PatientsService(FixedClock(NOW), env=POPO)
    yield service
    service.close()


@pytest.fixture
def patient_list() -> InMemoryPatientList:
    return InMemoryPatientList()


@pytest.fixture
def audit() -> RecordingAuditTrail:
    return RecordingAuditTrail()


@pytest.fixture
def queries(
    service: PatientsService, patient_list: InMemoryPatientList, audit: RecordingAuditTrail
) -> PatientProfileQueries:
    return PatientProfileQueries(service, patient_list, audit)


def project(service: PatientsService, patient_list: InMemoryPatientList) -> None:
    """Brings the patient list up to date with every event of the service."""
    patient_list.reset()
    projection = PatientListProjection()
    for notification in service.recorder.select_notifications(start=1, limit=10_000):
        projection.apply(service.mapper.to_domain_event(notification), patient_list)
    patient_list.flush()


def register_full_profile(service: PatientsService) -> UUID:
    """Maria with something in every section, changed by the clerk."""
    maria = service.register_patient(MARIA, by=CLERK).patient_id
    service.correct_personal_data(
        CorrectPersonalData(maria, {"surname": "Светлова", "city": "Химки"}), by=CLERK
    )
    service.add_contact_point(AddContactPoint(maria, "telegram", "52841977", "mis"), by=CLERK)
    service.remove_contact_point(RemoveContactPoint(maria, "email", "maria@mail.ru"), by=CLERK)
    service.grant_consent(
        GrantConsent(maria, "sms", "marketing", "paper", "форма №12", FORM_SIGNED), by=CLERK
    )
    service.withdraw_consent(WithdrawConsent(maria, "email", "service"), by=CLERK)
    service.tag_patient(maria, "vip", by=CLERK)
    service.link_source_record(LinkSourceRecord(maria, "mis", "MIS-5"), by=CLERK)
    service.archive_patient(maria, "переехала", by=CLERK)
    return maria


def all_values(profile: PatientProfile) -> str:
    return repr(dataclasses.asdict(profile)) + repr(profile.full_name)


class TestProfileSections:
    def test_shows_the_current_personal_data_and_place(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        profile = queries.profile(register_full_profile(service), CLERK)
        assert (profile.full_name, profile.sex, profile.birth_date) == (
            "Светлова Мария Петровна",
            "F",
            date(1985, 3, 15),
        )
        assert (profile.city, profile.address, profile.postcode, profile.time_zone) == (
            "Химки",
            "ул. Ленина, 1",
            "101000",
            "Europe/Moscow",
        )
        assert profile.registered_at == NOW

    def test_shows_status_and_archive_comment(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        profile = queries.profile(register_full_profile(service), CLERK)
        assert (profile.status, profile.archive_comment) == ("archived", "переехала")

    def test_shows_contact_points_with_their_sources(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        profile = queries.profile(register_full_profile(service), CLERK)
        assert profile.contact_points == (
            ProfileContactPoint("phone", "+79161234567", "import:xlsx"),
            ProfileContactPoint("telegram", "52841977", "mis"),
        )

    def test_shows_consents_with_source_time_and_evidence(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        profile = queries.profile(register_full_profile(service), CLERK)
        assert profile.consents == (
            ProfileConsent("email", "service", False, "manual", NOW, None),
            ProfileConsent("sms", "marketing", True, "paper", FORM_SIGNED, "форма №12"),
        )

    def test_shows_tags_and_source_records(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        profile = queries.profile(register_full_profile(service), CLERK)
        assert profile.tags == ("vip",)
        assert profile.source_records == (
            ProfileSourceRecord("import:xlsx", "X-17"),
            ProfileSourceRecord("mis", "MIS-5"),
        )

    def test_an_unknown_id_is_not_found(self, queries: PatientProfileQueries) -> None:
        missing = uuid4()
        with pytest.raises(NotFoundError) as raised:
            queries.profile(missing, CLERK)
        assert (raised.value.what, raised.value.key) == ("patient", missing)


class TestRepresentativeAndDependants:
    @pytest.fixture
    def family(
        self, service: PatientsService, patient_list: InMemoryPatientList
    ) -> tuple[UUID, UUID, UUID]:
        mother = service.register_patient(MARIA).patient_id
        son = service.register_patient(RegisterPatient(surname="Иванов", given_name="Пётр"))
        daughter = service.register_patient(RegisterPatient(surname="Иванова", given_name="Анна"))
        for child in (son.patient_id, daughter.patient_id):
            service.link_representative(LinkRepresentative(child, mother))
        project(service, patient_list)
        return mother, son.patient_id, daughter.patient_id

    def test_a_dependant_names_its_representative(
        self, queries: PatientProfileQueries, family: tuple[UUID, UUID, UUID]
    ) -> None:
        mother, son, _ = family
        assert queries.profile(son, CLERK).representative == PatientReference(
            mother, "Иванова Мария Петровна"
        )

    def test_the_representative_lists_its_dependants_by_name(
        self, queries: PatientProfileQueries, family: tuple[UUID, UUID, UUID]
    ) -> None:
        mother, son, daughter = family
        assert queries.profile(mother, CLERK).dependants == (
            PatientReference(son, "Иванов Пётр"),
            PatientReference(daughter, "Иванова Анна"),
        )

    def test_an_unlinked_dependant_is_listed_no_more(
        self,
        service: PatientsService,
        patient_list: InMemoryPatientList,
        queries: PatientProfileQueries,
        family: tuple[UUID, UUID, UUID],
    ) -> None:
        mother, son, daughter = family
        service.unlink_representative(son)
        project(service, patient_list)
        assert queries.profile(mother, CLERK).dependants == (
            PatientReference(daughter, "Иванова Анна"),
        )
        assert queries.profile(son, CLERK).representative is None

    def test_an_erased_representative_is_named_by_id_only(
        self, service: PatientsService, queries: PatientProfileQueries, family: tuple[UUID, ...]
    ) -> None:
        mother, son, _ = family
        service.erase_patient(mother)
        assert queries.profile(son, CLERK).representative == PatientReference(mother, None)


class TestHistory:
    def test_has_one_entry_per_event_oldest_first(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        history = queries.profile(register_full_profile(service), CLERK).history
        assert [entry.change for entry in history] == [
            "patient.registered",
            "personal_data.corrected",
            "contact_point.added",
            "contact_point.removed",
            "consent.granted",
            "consent.withdrawn",
            "tag.added",
            "source_record.linked",
            "patient.archived",
        ]

    def test_says_who_changed_and_when(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        history = queries.profile(register_full_profile(service), CLERK).history
        assert {entry.by for entry in history} == {"clerk"}
        assert {entry.at for entry in history if not entry.change.startswith("consent.")} == {NOW}

    def test_names_the_fields_but_shows_only_non_personal_values(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        history = queries.profile(register_full_profile(service), CLERK).history
        corrected, added, granted = history[1], history[2], history[4]
        assert (corrected.fields, corrected.values) == (("city", "surname"), {"city": "Химки"})
        assert added.fields == ("kind", "value", "source", "primary")
        assert added.values == {"kind": "telegram", "source": "mis", "primary": True}
        assert granted.values == {
            "channel": "sms",
            "purpose": "marketing",
            "source": "paper",
            "at": FORM_SIGNED.isoformat(),
        }

    def test_holds_no_personal_value_of_any_event(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        history = queries.profile(register_full_profile(service), CLERK).history
        shown = repr([entry.values for entry in history])
        assert [value for value in PERSONAL_VALUES if value in shown] == []

    def test_shows_representatives_by_id(
        self, service: PatientsService, queries: PatientProfileQueries
    ) -> None:
        mother = service.register_patient(MARIA).patient_id
        son = service.register_patient(RegisterPatient(surname="Иванов", given_name="Пётр"))
        service.link_representative(LinkRepresentative(son.patient_id, mother))
        linked = queries.profile(son.patient_id, CLERK).history[-1]
        assert (linked.change, linked.values) == (
            "representative.linked",
            {"representative_id": str(mother)},
        )


class TestErasedProfile:
    @pytest.fixture
    def erased(self, service: PatientsService, queries: PatientProfileQueries) -> PatientProfile:
        maria = register_full_profile(service)
        service.restore_patient(maria)
        service.erase_patient(maria)
        return queries.profile(maria, CLERK)

    def test_is_erased_with_no_personal_data(self, erased: PatientProfile) -> None:
        assert erased.status == "erased"
        assert erased.full_name is None
        assert (erased.contact_points, erased.consents, erased.tags) == ((), (), ())
        assert (erased.source_records, erased.representative) == ((), None)

    def test_holds_no_personal_value_anywhere(self, erased: PatientProfile) -> None:
        shown = all_values(erased)
        assert [value for value in PERSONAL_VALUES if value in shown] == []

    def test_keeps_the_history_without_values(self, erased: PatientProfile) -> None:
        assert erased.history[-1].change == "patient.erased"
        assert len(erased.history) == 11
        assert all(entry.values == {} for entry in erased.history)


class TestAuditedView:
    def test_a_view_is_recorded_as_patient_viewed(
        self,
        service: PatientsService,
        queries: PatientProfileQueries,
        audit: RecordingAuditTrail,
    ) -> None:
        maria = service.register_patient(MARIA).patient_id
        queries.profile(maria, MARKETER)
        assert audit.entries == [("marketer", "patient.viewed", str(maria), None)]

    def test_someone_without_patients_read_is_refused_and_not_recorded(
        self,
        service: PatientsService,
        queries: PatientProfileQueries,
        audit: RecordingAuditTrail,
    ) -> None:
        maria = service.register_patient(MARIA).patient_id
        with pytest.raises(PermissionDeniedError):
            queries.profile(maria, ANALYST)
        assert audit.entries == []

    def test_an_unknown_patient_is_not_recorded(
        self, queries: PatientProfileQueries, audit: RecordingAuditTrail
    ) -> None:
        with pytest.raises(NotFoundError):
            queries.profile(uuid4(), MARKETER)
        assert audit.entries == []
