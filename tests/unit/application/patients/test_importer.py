"""The importer on an in-memory event store: rows to profiles, merges, suggestions, idempotence."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.application.patients.import_columns import TEMPLATE_COLUMNS, ColumnMapping
from clinic.application.patients.import_rows import RowProblem
from clinic.application.patients.importer import (
    ImportRun,
    PatientImporter,
    match_record,
    patient_id_for,
)
from clinic.application.patients.service import PatientsService
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import PermissionDeniedError
from clinic.domain.patients.consents import Channel, Purpose
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.patient import Patient
from clinic.domain.patients.suggestions import MatchSuggestion
from clinic.domain.patients.values import PatientStatus
from clinic.domain.shared.access import Role
from tests.unit.application.fakes import POPO, FixedClock

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
ADMIN = Actor.of("admin", Role.ADMIN)
MAPPING = ColumnMapping({column: column for column in TEMPLATE_COLUMNS})


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]


def row(number: int, **values: str) -> Row:
    return Row(number, {column: values.get(column, "") for column in TEMPLATE_COLUMNS})


class StoreBackedList:
    """What the patient list would answer, read straight from the aggregates saved so far;
    `others` profiles more are counted as listed, none of them a candidate."""

    def __init__(self, service: PatientsService, others: int = 0) -> None:
        self._service = service
        self._others = others

    def patients(self) -> list[Patient]:
        ids = {
            n.originator_id
            for n in self._service.recorder.select_notifications(start=1, limit=1_000_000)
        }
        found = [self._service.repository.get(i) for i in ids]
        return [p for p in found if isinstance(p, Patient)]

    def existing(self, patient_ids: Collection[UUID]) -> set[UUID]:
        listed = {p.id for p in self.patients() if p.status != PatientStatus.ERASED}
        return set(patient_ids) & listed

    def candidates(self, records: Sequence[MatchRecord]) -> list[MatchRecord]:
        matchable = (PatientStatus.ACTIVE, PatientStatus.ARCHIVED)
        return [match_record(p) for p in self.patients() if p.status in matchable]

    def listed(self) -> int:
        matchable = (PatientStatus.ACTIVE, PatientStatus.ARCHIVED)
        return self._others + sum(1 for p in self.patients() if p.status in matchable)


@pytest.fixture
def service() -> Iterator[PatientsService]:
    service = PatientsService(FixedClock(NOW), env=POPO)
    yield service
    service.close()


@pytest.fixture
def importer(service: PatientsService) -> PatientImporter:
    listing = StoreBackedList(service)
    return PatientImporter(service, listing, listing, wait_for=lambda _position: None)


def run(importer: PatientImporter, rows: list[Row], source: str = "mis", **options: Any) -> Any:
    problems: list[RowProblem] = []
    counts = importer.run(
        rows,
        ImportRun(source, MAPPING, ADMIN, on_problems=problems.extend, **options),
    )
    return counts, problems


def profile(service: PatientsService, source: str, external_id: str) -> Patient:
    patient = service.get_patient(patient_id_for(source, external_id))
    while patient.merged_into is not None:
        patient = service.get_patient(patient.merged_into)
    return patient


MARIA = {
    "surname": "Иванова",
    "given_name": "Мария",
    "birth_date": "15.03.1985",
    "phone": "8 (916) 123-45-67",
}


class TestRows:
    def test_valid_rows_become_profiles_with_everything_the_row_says(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        rows = [
            row(
                2,
                external_id="A1",
                **MARIA,
                email="maria@mail.ru",
                whatsapp="+7 916 123-45-67",
                consent_sms="да",
                consent_messengers="нет",
                tags="VIP; дети",
            ),
            row(3, external_id="A2", phone="+7 903 765 43 21"),  # a phone alone is enough
        ]
        counts, problems = run(importer, rows)

        assert (counts.read, counts.created, counts.rejected, problems) == (2, 2, 0, [])
        maria = profile(service, "mis", "A1")
        assert (maria.surname, maria.phone, maria.email) == (
            "Иванова",
            "+79161234567",
            "maria@mail.ru",
        )
        assert maria.has_consent(Channel.SMS, Purpose.MARKETING)
        assert not maria.has_consent(Channel.WHATSAPP, Purpose.MARKETING)
        assert (Channel.TELEGRAM, Purpose.MARKETING) in maria.consents  # the refusal is kept
        assert maria.tags == {"vip", "дети"}
        assert [(r.source, r.external_id) for r in maria.source_records] == [("mis", "A1")]
        assert profile(service, "mis", "A2").surname is None

    def test_bad_rows_are_rejected_naming_row_and_column_and_the_rest_is_imported(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        rows = [
            row(2, external_id="A1", **MARIA),
            row(3, external_id="", surname="Петров"),
            row(4, external_id="A3", sex="X", birth_date="31.02.1990"),
            row(5, external_id="A4", surname="Сидоров", consent_email="может быть"),
        ]
        counts, problems = run(importer, rows)

        assert (counts.read, counts.created, counts.rejected) == (4, 1, 3)
        assert {(p.row, p.column) for p in problems} == {
            (3, "external_id"),
            (4, "sex"),
            (4, "birth_date"),
            (4, "surname, given_name, phone, email"),
            (5, "consent_email"),
        }

    def test_a_records_second_row_is_rejected_naming_the_first(
        self, importer: PatientImporter
    ) -> None:
        rows = [row(2, external_id="A1", **MARIA), row(3, external_id="A1", surname="Петрова")]
        counts, problems = run(importer, rows)
        assert (counts.created, counts.rejected) == (1, 1)
        assert problems == [RowProblem(3, "external_id", "repeats row 2", "repeated")]

    def test_an_erased_patient_is_not_imported_again(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        run(importer, [row(2, external_id="A1", **MARIA)])
        service.erase_patient(patient_id_for("mis", "A1"))

        counts, problems = run(importer, [row(2, external_id="A1", **MARIA)])

        assert (counts.created, counts.rejected) == (0, 1)
        assert [(p.row, p.code) for p in problems] == [(2, "erased")]

    def test_a_dry_run_counts_and_reports_but_writes_nothing(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        counts, problems = run(
            importer, [row(2, external_id="A1", **MARIA), row(3, external_id="A2")], dry_run=True
        )
        assert (counts.read, counts.created, counts.rejected) == (2, 1, 1)
        assert [p.row for p in problems] == [3]
        assert service.recorder.max_notification_id() is None

    def test_importing_needs_the_merge_permission(self, importer: PatientImporter) -> None:
        with pytest.raises(PermissionDeniedError):
            importer.run([], ImportRun("mis", MAPPING, Actor.of("cc", Role.CALL_CENTRE)))


class TestReimport:
    def test_the_same_rows_again_change_nothing(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        rows = [row(2, external_id="A1", **MARIA, tags="vip"), row(3, external_id="A2", **MARIA)]
        run(importer, rows)
        head = service.recorder.max_notification_id()

        counts, _ = run(importer, rows)

        assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)
        assert service.recorder.max_notification_id() == head

    def test_a_changed_row_updates_its_profile(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        run(importer, [row(2, external_id="A1", **MARIA)])
        counts, _ = run(importer, [row(2, external_id="A1", **MARIA, city="Казань", tags="new")])

        assert (counts.created, counts.updated) == (0, 1)
        maria = profile(service, "mis", "A1")
        assert (maria.city, maria.tags) == ("Казань", {"new"})

    def test_a_blank_cell_clears_nothing(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        run(importer, [row(2, external_id="A1", **MARIA)])
        run(importer, [row(2, external_id="A1", phone=MARIA["phone"])])
        assert profile(service, "mis", "A1").surname == "Иванова"


class TestResolution:
    def test_the_same_person_in_another_source_is_merged_into_the_first_profile(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        run(importer, [row(2, external_id="A1", **MARIA)], source="mis")
        service.clock.moment += timedelta(days=1)  # type: ignore[attr-defined]
        counts, _ = run(
            importer,
            [row(2, external_id="77", **MARIA, email="maria@mail.ru")],
            source="site",
        )

        assert counts.merged == 1
        survivor = profile(service, "mis", "A1")
        assert profile(service, "site", "77").id == survivor.id
        assert survivor.email == "maria@mail.ru"
        absorbed = service.get_patient(patient_id_for("site", "77"))
        assert (absorbed.status, absorbed.merged_into) == (PatientStatus.MERGED, survivor.id)

    def test_duplicates_within_one_file_are_merged(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        counts, _ = run(
            importer,
            [row(2, external_id="A1", **MARIA), row(3, external_id="A9", **MARIA, city="Москва")],
        )
        assert counts.merged == 1
        assert profile(service, "mis", "A9").id == profile(service, "mis", "A1").id
        assert profile(service, "mis", "A1").city == "Москва"

    def test_a_likely_but_unsure_match_is_suggested_not_merged(
        self, importer: PatientImporter, service: PatientsService
    ) -> None:
        run(importer, [row(2, external_id="A1", **MARIA)], source="mis")
        near = {"surname": "Петрова", "given_name": "Мария", "birth_date": "15.03.1985"}
        counts, _ = run(importer, [row(2, external_id="B1", **near)], source="paper")

        assert (counts.merged, counts.suggested) == (0, 1)
        suggestions = [
            a
            for a in (service.repository.get(n.originator_id) for n in _notifications(service))
            if isinstance(a, MatchSuggestion)
        ]
        assert len(suggestions) == 1
        assert set(suggestions[0].patient_ids) == {
            patient_id_for("mis", "A1"),
            patient_id_for("paper", "B1"),
        }

    @pytest.mark.parametrize(("others", "merged"), [(0, 1), (1_000_000, 0)])
    def test_a_namesake_in_the_same_town_merges_into_a_small_list_not_into_a_million(
        self, service: PatientsService, others: int, merged: int
    ) -> None:
        listing = StoreBackedList(service, others)
        importer = PatientImporter(service, listing, listing, wait_for=lambda _position: None)
        namesake = {
            "surname": "Кузнецов", "given_name": "Александр", "patronymic": "Сергеевич",
            "sex": "M", "city": "Москва",
        }  # fmt: skip
        run(importer, [row(2, external_id="A1", **namesake, birth_date="05.03.1980")])
        counts, _ = run(
            importer, [row(2, external_id="B1", **namesake, birth_date="20.11.1980")], "paper"
        )
        assert (counts.merged, counts.suggested) == (merged, 1 - merged)


def _notifications(service: PatientsService) -> list[Any]:
    return service.recorder.select_notifications(start=1, limit=100_000)


names = st.sampled_from(["Иванова", "Петрова", "Сидорова", ""])
phones = st.sampled_from(["+79161234567", "+79037654321", "", "12"])
rows_strategy = st.lists(
    st.builds(
        lambda ext, surname, phone, tags: {
            "external_id": ext,
            "surname": surname,
            "given_name": "Мария",
            "phone": phone,
            "tags": tags,
        },
        st.sampled_from(["A1", "A2", "A3", "A4", ""]),
        names,
        phones,
        st.sampled_from(["", "vip", "vip;дети"]),
    ),
    max_size=8,
)


class TestImportTwiceIsImportOnce:
    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(values=rows_strategy)
    def test_a_second_import_of_any_file_records_nothing(
        self, values: list[dict[str, str]]
    ) -> None:
        service = PatientsService(FixedClock(NOW), env=POPO)
        try:
            listing = StoreBackedList(service)
            importer = PatientImporter(service, listing, listing, wait_for=lambda _p: None)
            rows = [row(i + 2, **v) for i, v in enumerate(values)]
            first, _ = run(importer, rows)
            head = service.recorder.max_notification_id()

            second, _ = run(importer, rows)

            assert service.recorder.max_notification_id() == head
            assert (second.created, second.updated, second.merged, second.suggested) == (0,) * 4
            assert second.rejected == first.rejected
        finally:
            service.close()
