from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.comparisons import DIFFERS, EXACT, UNKNOWN
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.scoring import Scorer, compare
from tests.unit.domain.patients.matching.strategies import match_records, record_sets


def features(**fields: object) -> Features:
    return Features.of(
        MatchRecord(record_id=str(fields.pop("record_id", "a")), **fields), BlockList()
    )  # type: ignore[arg-type]


class TestScore:
    @given(match_records("a"), match_records("b"))
    def test_is_symmetric(self, a: MatchRecord, b: MatchRecord) -> None:
        scorer, blocklist = Scorer(), BlockList()
        fa, fb = Features.of(a, blocklist), Features.of(b, blocklist)
        assert scorer.score(fa, fb).total == scorer.score(fb, fa).total

    def test_transliterated_names_agree_exactly(self) -> None:
        score = Scorer().score(
            features(surname="Иванова", given_name="Мария"),
            features(surname="Ivanova", given_name="Mariya"),
        )
        assert (score.level("surname"), score.level("given_name")) == (EXACT, EXACT)

    def test_yo_and_ye_agree(self) -> None:
        score = Scorer().score(features(surname="Соловьёв"), features(surname="Соловьев"))
        assert score.level("surname") == EXACT

    def test_a_diminutive_agrees_with_the_full_name(self) -> None:
        score = Scorer().score(features(given_name="Саша"), features(given_name="Александр"))
        assert score.level("given_name") == EXACT

    def test_a_different_patronymic_weighs_against(self) -> None:
        same = {"surname": "Иванов", "given_name": "Иван", "birth_date": date(1980, 1, 1)}
        score = Scorer().score(
            features(patronymic="Петрович", **same), features(patronymic="Иванович", **same)
        )
        assert score.level("patronymic") == DIFFERS
        assert score.total < Scorer().score(features(**same), features(**same)).total

    def test_swapped_surname_and_given_name_agree(self) -> None:
        score = Scorer().score(
            features(surname="Иванова", given_name="Мария"),
            features(surname="Мария", given_name="Иванова"),
        )
        assert (score.level("surname"), score.level("given_name")) == (EXACT, EXACT)

    def test_phones_typed_differently_agree(self) -> None:
        score = Scorer().score(
            features(phones=("8 (916) 362-04-17",)), features(phones=("+7 916 362 04 17",))
        )
        assert score.level("phone") == EXACT

    def test_blocked_phones_count_as_missing(self) -> None:
        score = Scorer().score(
            features(phones=("+70000000000",)), features(phones=("+70000000000",))
        )
        assert score.level("phone") == UNKNOWN

    def test_a_shared_postcode_counts_the_town_once(self) -> None:
        score = Scorer().score(
            features(city="Казань", postcode="420111"), features(city="Казань", postcode="420111")
        )
        assert (score.level("postcode"), score.level("city")) == (EXACT, UNKNOWN)

    @given(match_records("a"), match_records("b"))
    def test_the_total_is_the_sum_of_the_agreements(self, a: MatchRecord, b: MatchRecord) -> None:
        scorer, blocklist = Scorer(), BlockList()
        levels, values = compare(Features.of(a, blocklist), Features.of(b, blocklist))
        score = scorer.explain(levels, values)
        assert scorer.total(levels, values) == score.total
        assert score.total == sum(agreement.weight for agreement in score.agreements)


class TestCommonValues:
    @given(record_sets(max_size=6), st.integers(min_value=100, max_value=140))
    def test_symmetric_with_frequencies_too(self, records: list[MatchRecord], copies: int) -> None:
        blocklist = BlockList()
        batch = [Features.of(r, blocklist) for r in records]
        scorer = Scorer().with_common_values(batch * (copies // len(batch) + 1))
        for a in batch:
            for b in batch:
                assert scorer.score(a, b).total == scorer.score(b, a).total
