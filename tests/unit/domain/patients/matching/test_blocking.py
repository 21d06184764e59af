from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from clinic.domain.patients.matching.blocking import blocking_keys, candidate_pairs
from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.record import MatchRecord
from tests.unit.domain.patients.matching.strategies import record_sets


def features(record_id: str, **fields: object) -> Features:
    return Features.of(MatchRecord(record_id=record_id, **fields), BlockList())  # type: ignore[arg-type]


class TestBlockingKeys:
    def test_records_that_may_match_share_a_key(self) -> None:
        pairs = [
            ({"phones": ("+74953620417",)}, {"phones": ("+78123620417",)}),  # another area code
            ({"emails": ("anna.p@mail.ru",)}, {"emails": ("anna.p@yandex.ru",)}),  # provider
            (
                {"given_name": "Мария", "birth_date": date(1985, 3, 4)},
                {"given_name": "Маша", "birth_date": date(1985, 3, 4)},  # diminutive, same day
            ),
            ({"surname": "Ivanova", "city": "Kazan"}, {"surname": "Иванова", "city": "Kazan"}),
            ({"given_name": "Bevan"}, {"given_name": "Irwin", "surname": "Bevan"}),
        ]
        for one, other in pairs:
            assert blocking_keys(features("a", **one)) & blocking_keys(features("b", **other))


class TestCandidatePairs:
    def test_a_small_block_compares_every_pair(self) -> None:
        records = [features(str(n), surname="Smirnova", given_name=f"Anna{n}") for n in range(5)]
        assert len(set(candidate_pairs(records, max_block=5))) == 10

    def test_a_large_block_compares_neighbours_only(self) -> None:
        records = [
            features(f"{n:03d}", surname="Smirnova", given_name=name)
            for n, name in enumerate(("Anna", "Olga", "Irina", "Elena", "Maria", "Nina") * 20)
        ]
        pairs = set(candidate_pairs(records, max_block=10, window=3))
        assert len(pairs) < len(records) * 20
        assert all(i < j for i, j in pairs)

    @given(record_sets(), st.integers(min_value=1, max_value=4))
    def test_each_pair_once_in_order(self, records: list[MatchRecord], window: int) -> None:
        batch = [Features.of(r, BlockList()) for r in records]
        pairs = list(candidate_pairs(batch, max_block=3, window=window))
        assert len(pairs) == len(set(pairs))
        assert all(0 <= i < j < len(batch) for i, j in pairs)

    @given(record_sets())
    def test_records_sharing_a_key_in_a_small_block_are_compared(
        self, records: list[MatchRecord]
    ) -> None:
        batch = [Features.of(r, BlockList()) for r in records]
        pairs = set(candidate_pairs(batch, max_block=len(batch)))
        for i, a in enumerate(batch):
            for j in range(i + 1, len(batch)):
                if blocking_keys(a) & blocking_keys(batch[j]):
                    assert (i, j) in pairs
