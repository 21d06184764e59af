from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given

from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.comparisons import (
    CLOSE,
    DIFFERS,
    EXACT,
    PARTIAL,
    SIMILAR,
    UNKNOWN,
    birth_date_level,
    birth_dates_agree,
    emails_level,
    names,
    phones_level,
    places_agree,
)
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.record import MatchRecord
from tests.unit.domain.patients.matching.strategies import match_records


def features(**fields: object) -> Features:
    return Features.of(
        MatchRecord(record_id=str(fields.pop("record_id", "a")), **fields), BlockList()
    )  # type: ignore[arg-type]


def born(day: date) -> tuple[str, int]:
    return features(birth_date=day).birth  # type: ignore[return-value]


class TestNames:
    def test_a_lone_name_part_agrees_with_the_others_surname(self) -> None:
        surname, given_name, value, _ = names(
            features(given_name="Bevan"), features(given_name="Irwin", surname="Bevan")
        )
        assert (surname, given_name, value) == (EXACT, UNKNOWN, "bevan")

    def test_two_full_names_are_not_crossed_on_one_coincidence(self) -> None:
        surname, given_name, _, _ = names(
            features(surname="Smith", given_name="John"),
            features(surname="John", given_name="Brown"),
        )
        assert (surname, given_name) == (DIFFERS, DIFFERS)

    def test_a_diminutive_agrees_with_each_name_it_may_stand_for(self) -> None:
        harry = features(given_name="Harry")
        assert names(harry, features(given_name="Henry"))[1] == EXACT
        assert names(harry, features(given_name="Harold"))[1] == EXACT
        assert names(features(given_name="Henry"), features(given_name="Harold"))[1] != EXACT

    def test_titles_are_not_names(self) -> None:
        assert features(given_name="Sir", surname="Bt.").given is None
        assert features(given_name="Sir John").given == "john"

    @given(match_records("a"), match_records("b"))
    def test_read_the_same_from_either_side(self, a: MatchRecord, b: MatchRecord) -> None:
        fa, fb = Features.of(a, BlockList()), Features.of(b, BlockList())
        assert names(fa, fb) == names(fb, fa)


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
            (date(1960, 5, 1), date(1985, 9, 1), DIFFERS),  # two digits, a generation apart
        ],
    )
    def test_levels(self, a: date, b: date, level: str) -> None:
        assert birth_date_level(born(a), born(b)) == level
        assert birth_date_level(born(b), born(a)) == level


class TestBirthDatesAgree:
    def test_a_parent_and_a_child_do_not(self) -> None:
        assert not birth_dates_agree(born(date(1960, 5, 1)), born(date(1985, 9, 12)))

    def test_a_year_mistyped_twice_may_still_be_one_birthday(self) -> None:
        assert birth_dates_agree(born(date(1827, 11, 24)), born(date(1851, 11, 24)))


class TestPhonesLevel:
    def test_one_mistyped_digit_is_close(self) -> None:
        assert phones_level(frozenset({"+79163620417"}), frozenset({"+79163620418"})) == CLOSE

    def test_the_same_number_in_another_area_is_partial(self) -> None:
        assert phones_level(frozenset({"+74953620417"}), frozenset({"+78123620417"})) == PARTIAL


class TestEmailsLevel:
    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("isaac.iames@smjth.com", "isaac.james@smith.com"),
            ("robert255@smith.net", "roberta25@smith.net"),
            ("glolat86@bishop-giles.com", "lolat86@bishop-giles.com"),
        ],
    )
    def test_a_typo_or_two_is_close(self, a: str, b: str) -> None:
        assert emails_level(frozenset({a}), frozenset({b})) == CLOSE

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("nikitanovikov611@mail.ru", "nikitanovikov188@mail.ru"),
            ("s.mikhaylov73609@mail.ru", "y.mikhaylov68709@mail.ru"),
            ("kovaleva63997@mail.ru", "kovaleva73897@mail.ru"),
        ],
    )
    def test_one_name_with_other_numbers_is_two_people(self, a: str, b: str) -> None:
        assert emails_level(frozenset({a}), frozenset({b})) == DIFFERS

    def test_the_same_mailbox_elsewhere_is_partial(self) -> None:
        assert emails_level(frozenset({"m.ivanova@mail.ru"}), frozenset({"m.ivanova@bk.ru"})) == (
            PARTIAL
        )


class TestPlacesAgree:
    @pytest.mark.parametrize(
        ("a", "b"),
        [("london", "lonon"), ("leeds", "lesde"), ("devon", "north devon"), ("москва", "москва")],
    )
    def test_typos_and_parts_of_one_place_agree(self, a: str, b: str) -> None:
        assert places_agree(a, b)
        assert places_agree(b, a)

    def test_different_towns_do_not(self) -> None:
        assert not places_agree("dartford", "warrington")
