from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from clinic.application.analytics import queries as analytics_queries
from clinic.application.analytics.dto import (
    AgeBandCount,
    PatientFacts,
    PatientFactsPage,
    PatientFilter,
    PseudonymisedPatient,
)
from clinic.application.analytics.queries import PseudonymisedPatientQueries
from clinic.domain.shared.age_bands import AgeBand
from tests.unit.application.fakes import FixedClock

NOW = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)
PII_WORDS = ("name", "surname", "patronymic", "phone", "email", "birth", "id")


@dataclass
class CannedFactsView:
    """A PatientFactsView over fixed rows; a cursor is the index of the next row."""

    rows: list[PatientFacts] = field(default_factory=list)
    counts: dict[tuple[AgeBand, str | None], int] = field(default_factory=dict)
    pages: list[tuple[PatientFilter, date, int, str | None]] = field(default_factory=list)

    def page(
        self, filters: PatientFilter, today: date, limit: int, cursor: str | None
    ) -> PatientFactsPage:
        self.pages.append((filters, today, limit, cursor))
        start = int(cursor or 0)
        end = start + limit
        return PatientFactsPage(self.rows[start:end], str(end) if end < len(self.rows) else None)

    def count(self, filters: PatientFilter, today: date) -> int:
        return len(self.rows)

    def count_by_age_band_and_sex(
        self, filters: PatientFilter, today: date
    ) -> dict[tuple[AgeBand, str | None], int]:
        return self.counts


class NumberingPseudonymiser:
    """Numbers subjects in the order first seen: stable and distinct, like the real one."""

    def __init__(self) -> None:
        self.known: dict[UUID, str] = {}

    def pseudonym(self, subject_id: UUID) -> str:
        return self.known.setdefault(subject_id, f"p_{len(self.known):020d}")


def facts(birth_date: date | None = None, **changes: object) -> PatientFacts:
    values: dict[str, object] = {
        "id": uuid4(),
        "sex": "F",
        "birth_date": birth_date,
        "status": "active",
        "registered_at": NOW - timedelta(days=3),
    }
    return PatientFacts(**(values | changes))  # type: ignore[arg-type]


def queries_over(view: CannedFactsView) -> PseudonymisedPatientQueries:
    return PseudonymisedPatientQueries(view, NumberingPseudonymiser(), FixedClock(NOW))


class TestPseudonymisedPatient:
    def test_carries_no_name_contact_birth_date_or_patient_id(self) -> None:
        names = {f.name for f in fields(PseudonymisedPatient)}
        assert names == {"pseudonym", "sex", "age_band", "status", "registered_on"}
        assert not [n for n in names for word in PII_WORDS if word in n.split("_")]


class TestListPatients:
    def test_each_patient_gets_a_pseudonym_in_place_of_the_id(self) -> None:
        rows = [facts(), facts()]
        page = queries_over(CannedFactsView(rows)).list_patients(PatientFilter())
        assert [p.pseudonym for p in page.items] == ["p_" + "0" * 20, "p_" + "0" * 19 + "1"]

    def test_the_same_patient_keeps_their_pseudonym_from_call_to_call(self) -> None:
        queries = queries_over(CannedFactsView([facts(), facts()]))
        first = queries.list_patients(PatientFilter()).items
        assert queries.list_patients(PatientFilter()).items == first

    def test_age_bands_are_reckoned_on_the_clocks_today(self) -> None:
        eighteen_today, eighteen_tomorrow = date(2008, 6, 1), date(2008, 6, 2)
        view = CannedFactsView([facts(eighteen_today), facts(eighteen_tomorrow), facts(None)])
        page = queries_over(view).list_patients(PatientFilter())
        assert [p.age_band for p in page.items] == [
            AgeBand.FROM_18,
            AgeBand.UNDER_18,
            AgeBand.UNKNOWN,
        ]
        assert view.pages[0][1] == NOW.date()

    def test_the_registration_moment_becomes_its_utc_day(self) -> None:
        moscow_morning = datetime(2026, 5, 2, 1, 0, tzinfo=UTC).astimezone()
        page = queries_over(CannedFactsView([facts(registered_at=moscow_morning)])).list_patients(
            PatientFilter()
        )
        assert page.items[0].registered_on == date(2026, 5, 2)

    @pytest.mark.parametrize(("asked", "used"), [(0, 1), (50, 50), (10_000, 200)])
    def test_the_page_size_is_kept_within_bounds(self, asked: int, used: int) -> None:
        view = CannedFactsView()
        queries_over(view).list_patients(PatientFilter(), limit=asked)
        assert view.pages[0][2] == used

    def test_the_filter_and_cursor_go_to_the_view(self) -> None:
        view = CannedFactsView([facts() for _ in range(3)])
        wanted = PatientFilter(sex="M", age_band=AgeBand.FROM_65, status="active")
        page = queries_over(view).list_patients(wanted, limit=2)
        queries_over(view).list_patients(wanted, limit=2, cursor=page.next_cursor)
        assert [(f, cursor) for f, _, _, cursor in view.pages] == [(wanted, None), (wanted, "2")]


class TestExportPatients:
    def test_yields_every_patient_a_page_at_a_time(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(analytics_queries, "EXPORT_PAGE_SIZE", 2)
        view = CannedFactsView([facts() for _ in range(5)])
        exported = list(queries_over(view).export_patients(PatientFilter()))
        assert len({p.pseudonym for p in exported}) == 5
        assert [cursor for *_, cursor in view.pages] == [None, "2", "4"]

    def test_reads_the_next_page_only_when_the_last_is_used_up(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(analytics_queries, "EXPORT_PAGE_SIZE", 2)
        view = CannedFactsView([facts() for _ in range(5)])
        exported = queries_over(view).export_patients(PatientFilter())
        next(exported)
        next(exported)
        assert len(view.pages) == 1


class TestCountByAgeBand:
    def test_gives_every_band_and_sex_with_zeros_where_nobody_is(self) -> None:
        view = CannedFactsView(counts={(AgeBand.FROM_25, "F"): 3, (AgeBand.UNKNOWN, None): 1})
        counts = queries_over(view).count_by_age_band(PatientFilter())
        assert len(counts) == len(AgeBand) * 3
        assert [c for c in counts if c.count] == [
            AgeBandCount(AgeBand.FROM_25, "F", 3),
            AgeBandCount(AgeBand.UNKNOWN, None, 1),
        ]
        assert [c.age_band for c in counts[::3]] == list(AgeBand)


class TestPatientFilter:
    def test_describes_itself_for_the_audit_trail_as_plain_text(self) -> None:
        wanted = PatientFilter(sex="F", age_band=AgeBand.FROM_35, registered_from=date(2026, 1, 1))
        assert wanted.described() == {
            "sex": "F",
            "age_band": "35–44",
            "status": None,
            "registered_from": "2026-01-01",
            "registered_to": None,
        }
