from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.domain.patients.matching.decisions import (
    DISTINCT_PEOPLE_RULE,
    EMAIL_RULE,
    FAMILY_RULE,
    PHONE_RULE,
    SCORE_RULE,
    SOURCE_RECORD_RULE,
    MatchOutcome,
    Thresholds,
)
from clinic.domain.patients.matching.frequencies import MIN_RECORDS
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.resolver import Resolver
from clinic.domain.shared.phone import Phone
from tests.unit.domain.patients.matching.strategies import match_records, record_sets

MARIA = MatchRecord(
    record_id="a",
    surname="Фёдорова",
    given_name="Мария",
    patronymic="Петровна",
    sex="F",
    birth_date=date(1985, 3, 4),
    city="Москва",
)


def copy(record: MatchRecord, record_id: str, **changes: object) -> MatchRecord:
    fields = {name: getattr(record, name) for name in record.__dataclass_fields__}
    return MatchRecord(**{**fields, "record_id": record_id, **changes})  # type: ignore[arg-type]


class TestRussianSpecifics:
    def test_yo_transliteration_and_swapped_day_month_merge(self) -> None:
        other = copy(
            MARIA, "b", surname="Fedorova", given_name="Mariya", birth_date=date(1985, 4, 3)
        )
        resolution = Resolver().resolve([MARIA, other])
        assert resolution.clusters == (("a", "b"),)
        assert resolution.merges[0].rule == SCORE_RULE

    def test_a_different_patronymic_keeps_namesakes_apart(self) -> None:
        namesake = copy(MARIA, "b", patronymic="Ивановна", birth_date=date(1985, 3, 5))
        resolution = Resolver().resolve([MARIA, namesake])
        assert resolution.clusters == (("a",), ("b",))
        assert [s.record_ids for s in resolution.suggestions] == [("a", "b")]

    def test_phones_written_8_or_plus_7_are_one_number(self) -> None:
        a = copy(MARIA, "a", phones=(Phone.parse("8 (916) 362-04-17").e164,))
        b = MatchRecord(record_id="b", phones=(Phone.parse("+7 916 362 04 17").e164,))
        resolution = Resolver().resolve([a, b])
        assert resolution.clusters == (("a", "b"),)
        assert resolution.merges[0].rule == PHONE_RULE

    def test_a_child_sharing_a_parents_phone_is_not_merged(self) -> None:
        parent = copy(MARIA, "a", phones=("+79163620417",))
        child = MatchRecord(
            record_id="b",
            surname="Фёдорова",
            given_name="Анна",
            birth_date=date(2015, 6, 1),
            phones=("+79163620417",),
        )
        resolution = Resolver().resolve([parent, child])
        assert resolution.clusters == (("a",), ("b",))
        assert not resolution.merges


class TestFamilies:
    def test_twins_sharing_a_phone_are_only_suggested(self) -> None:
        petr = MatchRecord(
            record_id="a",
            surname="Соколов",
            given_name="Пётр",
            patronymic="Андреевич",
            sex="M",
            birth_date=date(2015, 6, 1),
            phones=("+79163620417",),
            address="ул. Ленина, 5, кв. 12",
        )
        pavel = copy(petr, "b", given_name="Павел")
        resolution = Resolver().resolve([petr, pavel])
        assert resolution.clusters == (("a",), ("b",))
        assert [s.rule for s in resolution.suggestions] == [FAMILY_RULE]

    def test_a_brother_at_the_same_postcode_is_not_merged(self) -> None:
        ivan = MatchRecord(
            record_id="a", surname="Смирнов", given_name="Иван", postcode="420111", city="Казань"
        )
        oleg = copy(ivan, "b", given_name="Олег", birth_date=date(1990, 1, 1))
        decision = Resolver().decide(Resolver().features(ivan), Resolver().features(oleg))
        assert decision.outcome is not MatchOutcome.MERGE

    def test_a_father_and_his_namesake_son_are_not_merged(self) -> None:
        father = copy(MARIA, "a", given_name="John", surname="Smith", sex="M", patronymic=None)
        father = copy(father, "a", address="1 High Street", birth_date=date(1960, 5, 1))
        son = copy(father, "b", birth_date=date(1985, 9, 12))
        assert Resolver().resolve([father, son]).clusters == (("a",), ("b",))

    def test_opposite_sex_twins_called_sasha_are_not_merged(self) -> None:
        brother = MatchRecord(
            record_id="a",
            surname="Орлов",
            given_name="Саша",
            sex="M",
            birth_date=date(2012, 2, 2),
            phones=("+79163620417",),
        )
        sister = copy(brother, "b", surname="Орлова", sex="F")
        resolver = Resolver()
        decision = resolver.decide(resolver.features(brother), resolver.features(sister))
        assert decision.outcome is not MatchOutcome.MERGE
        assert resolver.resolve([brother, sister]).clusters == (("a",), ("b",))


class TestDeterministicRules:
    def test_the_same_source_record_always_merges(self) -> None:
        a = MatchRecord(record_id="a", source="mis", external_id="42", surname="Петров")
        b = MatchRecord(record_id="b", source="mis", external_id="42", surname="Сидоров")
        resolution = Resolver().resolve([a, b])
        assert resolution.merges[0].rule == SOURCE_RECORD_RULE

    def test_the_same_email_merges(self) -> None:
        a = MatchRecord(record_id="a", emails=("Maria.F@mail.ru",))
        b = MatchRecord(record_id="b", emails=("maria.f@mail.ru",))
        assert Resolver().resolve([a, b]).merges[0].rule == EMAIL_RULE

    def test_namesakes_given_one_email_are_only_suggested(self) -> None:
        # Mailboxes made of a name and a birth year collide: two Irina Lebedevas born in 1990,
        # one Alexandrovna, one Borisovna, each typed irina_lebedeva_90@ into a clinic's form.
        irina = MatchRecord(
            record_id="a",
            surname="Лебедева",
            given_name="Ирина",
            patronymic="Александровна",
            sex="F",
            birth_date=date(1990, 4, 8),
            emails=("irina_lebedeva_90@gmail.com",),
            city="Москва",
        )
        namesake = copy(irina, "b", patronymic="Борисовна", birth_date=date(1990, 8, 13))
        resolver = Resolver()
        decision = resolver.decide(resolver.features(irina), resolver.features(namesake))
        assert decision.rule == DISTINCT_PEOPLE_RULE
        assert decision.outcome is MatchOutcome.SUGGEST
        assert resolver.resolve([irina, namesake]).clusters == (("a",), ("b",))

    def test_the_same_email_with_the_patronymic_left_out_merges(self) -> None:
        irina = MatchRecord(
            record_id="a",
            surname="Лебедева",
            given_name="Ирина",
            patronymic="Александровна",
            emails=("irina_lebedeva_90@gmail.com",),
        )
        again = copy(irina, "b", patronymic=None)
        resolution = Resolver().resolve([irina, again])
        assert resolution.clusters == (("a", "b"),)
        assert resolution.merges[0].rule == EMAIL_RULE

    @given(
        st.sampled_from(("+70000000000", "+79990000000", "+79161234567")),
        st.sampled_from(("test@mail.ru", "test12@yandex.ru", "ivan@example.com")),
    )
    def test_blocked_values_never_match(self, phone: str, email: str) -> None:
        a = MatchRecord(record_id="a", surname="Иванов", phones=(phone,), emails=(email,))
        b = MatchRecord(record_id="b", surname="Петров", phones=(phone,), emails=(email,))
        resolution = Resolver().resolve([a, b])
        assert resolution.clusters == (("a",), ("b",))
        assert not resolution.suggestions


class TestThresholds:
    def test_a_pair_between_thresholds_is_suggested(self) -> None:
        weaker = MatchRecord(record_id="b", surname="Федорова", given_name="Мария")
        resolution = Resolver(thresholds=Thresholds(merge=40, suggest=5)).resolve([MARIA, weaker])
        assert resolution.clusters == (("a",), ("b",))
        assert [s.outcome for s in resolution.suggestions] == [MatchOutcome.SUGGEST]


class TestBatches:
    def test_one_suggestion_per_pair_of_profiles(self) -> None:
        first = copy(MARIA, "a1", phones=("+79163620417",))
        again = copy(first, "a2", city=None)
        namesake = copy(MARIA, "b", patronymic="Ивановна", birth_date=date(1985, 3, 5))
        resolution = Resolver().resolve([first, again, namesake])
        assert resolution.clusters == (("a1", "a2"), ("b",))
        assert len(resolution.suggestions) == 1

    def test_a_batch_dense_with_duplicates_lends_its_pairs_a_prior(self) -> None:
        people = [
            MatchRecord(
                record_id=f"{person:03d}-{copy_number}",
                surname=f"Surname{chr(97 + person % 26)}{chr(97 + person // 26)}",
                given_name="Anna",
                birth_date=date(1950 + person % 50, 1 + person % 12, 1 + person % 28),
            )
            for person in range(40)
            for copy_number in range(3)
        ]
        assert len(people) >= MIN_RECORDS
        resolver = Resolver()
        merge = resolver.resolve(people).merges[0]
        features = {r.record_id: resolver.features(r) for r in people}
        scorer = resolver.scorer.with_common_values(list(features.values()))
        alone = resolver.decide(*(features[i] for i in merge.record_ids), scorer)
        assert merge.score > alone.score  # the same evidence, and the batch's prior on top

    def test_the_longer_the_list_the_more_a_merge_by_score_needs(self) -> None:
        sizes = [0, 1, 100, 1_000, 50_000, 1_000_000, 100_000_000]
        priors = [Resolver.list_prior(size) for size in sizes]
        assert priors == sorted(priors, reverse=True)
        assert priors[:3] == [0.0, 0.0, 0.0]  # never more eager than the thresholds mean
        assert priors[3] < 0

    def test_namesakes_born_the_same_year_merge_into_a_small_list_only(self) -> None:
        kuznetsov = MatchRecord(
            record_id="a",
            surname="Кузнецов",
            given_name="Александр",
            patronymic="Сергеевич",
            sex="M",
            birth_date=date(1980, 3, 5),
            city="Москва",
        )
        namesake = copy(kuznetsov, "b", birth_date=date(1980, 11, 20))
        resolver = Resolver()
        pair = resolver.features(kuznetsov), resolver.features(namesake)
        small = resolver.decide(*pair, prior=Resolver.list_prior(1_000))
        large = resolver.decide(*pair, prior=Resolver.list_prior(1_000_000))
        assert small.outcome is MatchOutcome.MERGE
        assert large.outcome is MatchOutcome.SUGGEST
        assert small.score - large.score == pytest.approx(10.0, abs=0.1)  # log2 of 1,000×

    def test_a_small_batch_decides_as_pairs_do(self) -> None:
        other = copy(MARIA, "b", surname="Fedorova", birth_date=date(1985, 4, 3))
        resolver = Resolver()
        merge = resolver.resolve([MARIA, other]).merges[0]
        alone = resolver.decide(resolver.features(MARIA), resolver.features(other))
        assert (merge.outcome, merge.score) == (alone.outcome, alone.score)


class TestProperties:
    @given(record_sets(), st.randoms(use_true_random=False))
    def test_clusters_do_not_depend_on_input_order(self, records: list[MatchRecord], rng) -> None:  # type: ignore[no-untyped-def]
        shuffled = records[:]
        rng.shuffle(shuffled)
        assert Resolver().resolve(records) == Resolver().resolve(shuffled)

    @given(record_sets(), st.data())
    def test_a_rejected_pair_is_never_merged_or_suggested(
        self, records: list[MatchRecord], data: st.DataObject
    ) -> None:
        ids = [r.record_id for r in records]
        first, second = data.draw(
            st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True)
        )
        rejected = {frozenset((first, second))}
        resolution = Resolver().resolve(records, rejected)
        assert not any(first in c and second in c for c in resolution.clusters)
        assert all(s.pair not in rejected for s in resolution.suggestions)

    @given(record_sets())
    def test_a_merge_in_a_batch_is_a_merge_of_the_pair_alone(
        self, records: list[MatchRecord]
    ) -> None:
        resolver = Resolver()
        features = {r.record_id: resolver.features(r) for r in records}
        for merge in resolver.resolve(records).merges:
            a, b = (features[i] for i in merge.record_ids)
            assert resolver.decide(a, b).outcome is MatchOutcome.MERGE

    @given(match_records("a"), match_records("b"))
    def test_decide_is_symmetric(self, a: MatchRecord, b: MatchRecord) -> None:
        resolver = Resolver()
        fa, fb = resolver.features(a), resolver.features(b)
        assert resolver.decide(fa, fb) == resolver.decide(fb, fa)

    @given(record_sets())
    def test_every_record_is_in_exactly_one_cluster(self, records: list[MatchRecord]) -> None:
        members = [m for c in Resolver().resolve(records).clusters for m in c]
        assert sorted(members) == sorted(r.record_id for r in records)
