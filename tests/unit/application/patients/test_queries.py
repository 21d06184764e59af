from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.projections import PatientListProjection
from clinic.application.patients.queries import PatientQueries
from clinic.application.shared.errors import NotFoundError
from tests.unit.application.fakes import CannedPatientView, RecordingWaiter


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
    return CannedPatientView(rows={maria.id: maria})


@pytest.fixture
def waiter() -> RecordingWaiter:
    return RecordingWaiter()


@pytest.fixture
def queries(view: CannedPatientView, waiter: RecordingWaiter) -> PatientQueries:
    return PatientQueries(view, waiter)


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
        assert view.searches == [("Иванова", 10, "abc")]

    @pytest.mark.parametrize(("asked", "used"), [(-5, 1), (0, 1), (1, 1), (200, 200), (10**6, 200)])
    def test_the_page_size_is_kept_between_1_and_200(
        self, queries: PatientQueries, view: CannedPatientView, asked: int, used: int
    ) -> None:
        queries.search_patients("", limit=asked)
        assert view.searches[-1][1] == used

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
    def test_counts_the_rows_of_the_patient_list(self, view: CannedPatientView) -> None:
        view.rows.update({p.id: p for p in (summary("Андреев"), summary("Борисов"))})
        assert PatientQueries(view, RecordingWaiter()).count_patients() == 3
