from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID, uuid4

import pytest

from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.errors import MatchCountChangedError
from clinic.application.patients.list_filter import PatientListFilter, PatientSort
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.queries import MAX_BULK_PATIENTS, PatientQueries
from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import NotFoundError, PermissionDeniedError
from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.shared.access import Role
from clinic.domain.shared.errors import InvalidFieldError
from tests.unit.application.fakes import (
    CannedPatientView,
    FixedClock,
    RecordingAuditTrail,
    RecordingWaiter,
)

# Early on 1 January in Moscow, still 31 December in UTC: ages count on the UTC day.
NOW = datetime(2025, 1, 1, 2, 30, tzinfo=timezone(timedelta(hours=3)))
ADMIN = Actor.of("admin", Role.ADMIN)
ANALYST = Actor.of("analyst", Role.ANALYST)
WOMEN = PatientListFilter.parse(sex="F")


def summary(surname: str) -> PatientSummary:
    return PatientSummary(
        id=uuid4(),
        surname=surname,
        given_name="Мария",
        patronymic=None,
        sex="F",
        birth_date=None,
        phone=None,
        email=None,
        status="active",
        registered_at=datetime(2025, 6, 1, tzinfo=UTC),
    )


@pytest.fixture
def maria() -> PatientSummary:
    return summary("Иванова")


@pytest.fixture
def view(maria: PatientSummary) -> CannedPatientView:
    return CannedPatientView(rows={maria.id: maria}, by_source={("mis", "A-17"): maria.id})


@pytest.fixture
def waiter() -> RecordingWaiter:
    return RecordingWaiter()


@pytest.fixture
def audit() -> RecordingAuditTrail:
    return RecordingAuditTrail()


@pytest.fixture
def queries(
    view: CannedPatientView, waiter: RecordingWaiter, audit: RecordingAuditTrail
) -> PatientQueries:
    return PatientQueries(view, waiter, audit, clock=FixedClock(NOW))


def more_patients(view: CannedPatientView, count: int) -> None:
    view.rows.update({p.id: p for p in (summary("Андреев") for _ in range(count))})


class TestGetPatient:
    def test_returns_the_row_of_the_patient_list(
        self, queries: PatientQueries, maria: PatientSummary
    ) -> None:
        assert queries.get_patient(maria.id) == maria

    def test_an_unknown_id_is_not_found(self, queries: PatientQueries) -> None:
        missing = UUID(int=1)
        with pytest.raises(NotFoundError) as raised:
            queries.get_patient(missing)
        assert (raised.value.what, raised.value.key) == ("patient", missing)

    def test_without_after_it_does_not_wait(
        self, queries: PatientQueries, waiter: RecordingWaiter, maria: PatientSummary
    ) -> None:
        queries.get_patient(maria.id)
        assert waiter.waits == []

    def test_after_waits_for_the_patient_list_to_reach_the_position(
        self, queries: PatientQueries, waiter: RecordingWaiter, maria: PatientSummary
    ) -> None:
        queries.get_patient(maria.id, after=42)
        [(projection, position, timeout)] = waiter.waits
        assert (projection, position) == (PatientListProjection.name, 42)
        assert timeout > 0

    def test_it_waits_before_reporting_a_patient_missing(
        self, queries: PatientQueries, waiter: RecordingWaiter
    ) -> None:
        with pytest.raises(NotFoundError):
            queries.get_patient(UUID(int=1), after=7)
        assert [w[:2] for w in waiter.waits] == [(PatientListProjection.name, 7)]


class TestSearchPatients:
    def test_returns_the_page_of_the_view(
        self, queries: PatientQueries, maria: PatientSummary
    ) -> None:
        page = queries.search_patients("Ив")
        assert page.items == [maria]
        assert page.next_cursor is None

    def test_the_query_is_stripped_and_the_cursor_passed_on(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        queries.search_patients("  Иванова  ", limit=10, cursor="abc")
        [(criteria, sort, limit, cursor)] = view.searches
        assert (criteria.query, sort, limit, cursor) == ("Иванова", PatientSort.NAME, 10, "abc")

    def test_filters_and_sort_are_passed_on(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        queries.search_patients(filters=WOMEN, sort=PatientSort.NEWEST_FIRST)
        [(criteria, sort, _, _)] = view.searches
        assert (criteria.filters, sort) == (WOMEN, PatientSort.NEWEST_FIRST)

    def test_without_filters_it_selects_anyone(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        queries.search_patients()
        assert view.searches[0][0].filters == PatientListFilter()

    def test_ages_are_counted_on_the_clocks_utc_day(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        queries.search_patients()
        assert view.searches[0][0].today == date(2024, 12, 31)

    @pytest.mark.parametrize(("asked", "used"), [(-5, 1), (0, 1), (1, 1), (200, 200), (10**6, 200)])
    def test_the_page_size_is_kept_between_1_and_200(
        self, queries: PatientQueries, view: CannedPatientView, asked: int, used: int
    ) -> None:
        queries.search_patients("", limit=asked)
        assert view.searches[-1][2] == used

    def test_after_waits_for_the_patient_list_before_searching(
        self, queries: PatientQueries, waiter: RecordingWaiter
    ) -> None:
        queries.search_patients("Ив", after=3)
        assert [w[:2] for w in waiter.waits] == [(PatientListProjection.name, 3)]

    def test_without_after_it_does_not_wait(
        self, queries: PatientQueries, waiter: RecordingWaiter
    ) -> None:
        queries.search_patients("Ив")
        assert waiter.waits == []


class TestCountPatients:
    def test_counts_the_rows_of_the_patient_list(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        more_patients(view, 2)
        assert queries.count_patients() == 3

    def test_counts_what_the_search_and_filters_select(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        queries.count_patients(" ив ", WOMEN)
        [criteria] = view.counted
        assert (criteria.query, criteria.filters) == ("ив", WOMEN)


class TestSelectPatients:
    def test_gives_the_ids_when_as_many_match_as_were_confirmed(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        more_patients(view, 2)
        assert queries.select_patients("", WOMEN, expected_count=3) == list(view.rows)

    @pytest.mark.parametrize("confirmed", [0, 2, 4])
    def test_another_count_is_refused_saying_how_many_match_now(
        self, queries: PatientQueries, view: CannedPatientView, confirmed: int
    ) -> None:
        more_patients(view, 2)
        with pytest.raises(MatchCountChangedError) as raised:
            queries.select_patients("", WOMEN, expected_count=confirmed)
        assert (raised.value.expected, raised.value.matched) == (confirmed, 3)

    def test_the_most_a_bulk_change_covers_are_selected(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        more_patients(view, MAX_BULK_PATIENTS - 1)
        ids = queries.select_patients("", WOMEN, expected_count=MAX_BULK_PATIENTS)
        assert len(ids) == MAX_BULK_PATIENTS

    def test_more_are_refused_naming_the_filter_even_when_confirmed(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        more_patients(view, MAX_BULK_PATIENTS)
        with pytest.raises(InvalidFieldError) as raised:
            queries.select_patients("", WOMEN, expected_count=MAX_BULK_PATIENTS + 1)
        assert (raised.value.field, raised.value.code) == ("filter", "too_many")

    def test_more_than_confirmed_is_a_changed_count_with_the_exact_number(
        self, queries: PatientQueries, view: CannedPatientView
    ) -> None:
        more_patients(view, MAX_BULK_PATIENTS + 5)
        with pytest.raises(MatchCountChangedError) as raised:
            queries.select_patients("", WOMEN, expected_count=10)
        assert raised.value.matched == MAX_BULK_PATIENTS + 6


class TestFindPatientBySource:
    def test_finds_the_patient_with_the_record(
        self, queries: PatientQueries, maria: PatientSummary
    ) -> None:
        assert queries.find_patient_by_source("mis", "A-17") == maria

    def test_the_source_and_id_are_read_as_they_are_stored(
        self, queries: PatientQueries, maria: PatientSummary
    ) -> None:
        assert queries.find_patient_by_source(" MIS ", "  A-17 ") == maria

    def test_an_unknown_record_is_not_found_without_repeating_its_id(
        self, queries: PatientQueries
    ) -> None:
        with pytest.raises(NotFoundError) as raised:
            queries.find_patient_by_source("mis", "B-99")
        assert "B-99" not in str(raised.value)
        assert "mis" in str(raised.value)

    def test_a_malformed_record_names_its_fields(self, queries: PatientQueries) -> None:
        with pytest.raises(InvalidPersonalDataError) as raised:
            queries.find_patient_by_source("не источник", " ")
        assert set(raised.value.errors) == {"source", "external_id"}


class TestViewPatientBySource:
    def test_the_view_is_audited_as_a_view_of_the_patient_found(
        self, queries: PatientQueries, audit: RecordingAuditTrail, maria: PatientSummary
    ) -> None:
        assert queries.view_patient_by_source("mis", "A-17", ADMIN) == maria
        assert audit.entries == [("admin", "patient.viewed", str(maria.id), None)]

    def test_who_may_not_see_personal_data_learns_nothing(
        self, queries: PatientQueries, audit: RecordingAuditTrail
    ) -> None:
        with pytest.raises(PermissionDeniedError):
            queries.view_patient_by_source("mis", "B-99", ANALYST)
        assert audit.entries == []

    def test_a_record_nobody_has_is_not_audited(
        self, queries: PatientQueries, audit: RecordingAuditTrail
    ) -> None:
        with pytest.raises(NotFoundError):
            queries.view_patient_by_source("mis", "B-99", ADMIN)
        assert audit.entries == []
