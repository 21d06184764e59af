from __future__ import annotations

from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.frequencies import MAX_BONUS, MIN_RECORDS, Frequencies
from clinic.domain.patients.matching.record import MatchRecord

RARE = [f"Rare{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(60)]


def people(surnames: list[str]) -> list[Features]:
    return [
        Features.of(MatchRecord(record_id=str(i), surname=surname), BlockList())
        for i, surname in enumerate(surnames)
    ]


class TestFrequencies:
    def test_a_common_surname_weighs_less_and_a_rare_one_more(self) -> None:
        records = people(["Иванова"] * 60 + RARE)
        frequencies = Frequencies.of(records)
        common, rare = (records[0].surname, records[-1].surname)
        assert frequencies.names[common or ""] < 0 < frequencies.names[rare or ""] <= MAX_BONUS

    def test_the_adjustment_goes_to_the_fields_agreed_on(self) -> None:
        frequencies = Frequencies.of(people(["Иванова"] * 60 + RARE))
        adjustments = frequencies.adjustments(("ivanova", None, None, None, None))
        assert set(adjustments) == {"surname"}
        assert frequencies.adjustment(("ivanova", None, None, None, None)) < 0

    def test_few_records_say_nothing(self) -> None:
        frequencies = Frequencies.of(people(["Иванова"] * (MIN_RECORDS - 1)))
        assert frequencies.adjustment(("ivanova", "ivanova", None, None, None)) == 0
