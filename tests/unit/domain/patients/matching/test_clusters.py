from __future__ import annotations

from datetime import date

from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.clusters import (
    BIRTH_DATE,
    PATRONYMIC,
    PLACE,
    REJECTED,
    SEX,
    Clusters,
)
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.record import MatchRecord


def record(record_id: str, **fields: object) -> Features:
    return Features.of(MatchRecord(record_id=record_id, **fields), BlockList())  # type: ignore[arg-type]


class TestRefusal:
    def test_a_chain_cannot_join_a_parent_and_a_child(self) -> None:
        parent = record("a", birth_date=date(1960, 5, 1))
        unknown = record("b")
        child = record("c", birth_date=date(1985, 9, 12))
        clusters = Clusters([parent, unknown, child])
        clusters.merge("a", "b")
        assert clusters.refusal("b", "c") == BIRTH_DATE

    def test_every_birth_date_must_fit_not_just_one(self) -> None:
        clusters = Clusters(
            [
                record("a", birth_date=date(1985, 3, 4)),
                record("b", birth_date=date(1986, 3, 4)),
                record("c", birth_date=date(1995, 6, 1)),
            ]
        )
        clusters.merge("a", "b")
        assert clusters.refusal("c", "a") == BIRTH_DATE  # 1995 is 10 years after 1985

    def test_a_chain_cannot_join_two_fathers_children(self) -> None:
        clusters = Clusters(
            [
                record("a", patronymic="Александровна"),
                record("b"),
                record("c", patronymic="Борисовна"),
            ]
        )
        clusters.merge("a", "b")
        assert clusters.refusal("b", "c") == PATRONYMIC

    def test_a_typo_or_an_initial_in_the_patronymic_is_no_conflict(self) -> None:
        clusters = Clusters(
            [
                record("a", patronymic="Александровна"),
                record("b", patronymic="Алексанровна"),
                record("c", patronymic="А"),
            ]
        )
        clusters.merge("a", "b")
        assert clusters.refusal("b", "c") is None

    def test_different_sexes_do_not_merge(self) -> None:
        clusters = Clusters([record("a", sex="F"), record("b", sex="M")])
        assert clusters.refusal("a", "b") == SEX

    def test_a_rejected_pair_keeps_its_clusters_apart(self) -> None:
        clusters = Clusters([record("a"), record("b"), record("c")], [frozenset(("a", "c"))])
        clusters.merge("a", "b")
        assert clusters.refusal("b", "c") == REJECTED

    def test_different_places_throughout_stop_a_merge_by_score_only(self) -> None:
        clusters = Clusters([record("a", city="Dartford"), record("b", city="Warrington")])
        assert clusters.refusal("a", "b", by_score=True) == PLACE
        assert clusters.refusal("a", "b") is None  # a shared phone may join them

    def test_a_typo_in_the_town_is_no_conflict(self) -> None:
        clusters = Clusters([record("a", city="London"), record("b", city="Lonon")])
        assert clusters.refusal("a", "b", by_score=True) is None


class TestSupport:
    def test_a_single_record_joins_on_one_link(self) -> None:
        clusters = Clusters([record("a"), record("b"), record("c")])
        clusters.merge("a", "b")
        assert clusters.supported("c", "a")

    def test_two_profiles_of_several_records_need_two_links(self) -> None:
        clusters = Clusters([record(x) for x in "abcd"])
        clusters.merge("a", "b")
        clusters.merge("c", "d")
        assert not clusters.supported("a", "c")
        assert clusters.supported("b", "d")


class TestGroups:
    def test_every_record_in_one_group_ordered(self) -> None:
        clusters = Clusters([record(x) for x in "dcba"])
        clusters.merge("d", "b")
        assert clusters.groups() == (("a",), ("b", "d"), ("c",))
