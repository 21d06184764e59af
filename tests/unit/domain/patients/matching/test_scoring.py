from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given

from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.scoring import (
    CLOSE,
    DIFFERS,
    EXACT,
    PARTIAL,
    SIMILAR,
    Scorer,
    birth_date_level,
)
from tests.unit.domain.patients.matching.strategies import match_records


def features(**fields: object) -> Features:
    return Features.of(
        MatchRecord(record_id=str(fields.pop("record_id", "a")), **fields), BlockList()
    )  # type: ignore[arg-type]


def born(day: date) -> tuple[str, int]:
    return features(birth_date=day).birth  # type: ignore[return-value]


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
        assert score.level("phone") == "unknown"


class TestBirthDateLevel:
    @pytest.mark.parametrize(
        ("a", "b", "level"),
        [
            (date(1985, 3, 15), date(1985, 3, 15), EXACT),
            (date(1985, 3, 4), date(1985, 4, 3), CLOSE),  # day and month swapped
            (date(1985, 3, 15), date(1985, 3, 16), CLOSE),  # one digit
            (date(1985, 3, 15), date(1958, 3, 15), PARTIAL),  # two digits
            (date(1985, 3, 15), date(1986, 1, 20), PARTIAL),  # within a year
            (date(1985, 3, 15), date(1975, 3, 20), SIMILAR),  # a wrong digit in the year
            (date(1985, 3, 15), date(1955, 7, 1), DIFFERS),
        ],
    )
    def test_levels(self, a: date, b: date, level: str) -> None:
        assert birth_date_level(born(a), born(b)) == level
        assert birth_date_level(born(b), born(a)) == level
