from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.domain.patients.matching.names import name_key, normalise_name, transliterate
from clinic.domain.patients.matching.nicknames import canonical_given_name, given_names

CYRILLIC_NAMES = st.sampled_from(
    [
        "Иванова",
        "Соловьёв",
        "Васильев",
        "Фёдоров",
        "Яковлев",
        "Григорьев",
        "Воробьёв",
        "Королёв",
        "Киселёва",
        "Ильин",
        "Щербаков",
        "Чернышёв",
        "Журавлёв",
        "Овчинников",
        "Кудрявцев",
        "Мария",
        "Анастасия",
        "Дарья",
        "Софья",
        "Ксения",
        "Юлия",
        "Наталья",
        "Артём",
        "Илья",
        "Юрий",
        "Семён",
        "Вячеслав",
        "Георгий",
        "Фёдор",
        "Святослав",
        "Петрович",
        "Юрьевич",
        "Васильевна",
        "Ильич",
        "Кузьминична",
        "Хрущёв",
        "Цой",
        "Майя",
        "Жанна",
    ]
)


class TestNormaliseName:
    @given(st.text(max_size=30))
    def test_is_idempotent(self, raw: str) -> None:
        once = normalise_name(raw)
        assert normalise_name(once) == once

    def test_yo_is_ye_and_punctuation_goes(self) -> None:
        assert normalise_name("  Фёдорова-Щедрина ") == "федорова щедрина"
        assert normalise_name("O'Brien,  Jr.") == "o brien jr"


class TestNameKey:
    @pytest.mark.parametrize(
        ("latin", "cyrillic"),
        [
            ("Ivanova", "Иванова"),
            ("Sergey", "Сергей"),
            ("Andrey", "Андрей"),
            ("Dmitriy", "Дмитрий"),
            ("Dmitry", "Дмитрий"),
            ("Fyodor", "Фёдор"),
            ("Fedor", "Фёдор"),
            ("Yelena", "Елена"),
            ("Khrushchev", "Хрущёв"),
            ("Yuri", "Юрий"),
            ("Tatyana", "Татьяна"),
            ("Natalya", "Наталья"),
            ("Alexey", "Алексей"),
            ("Tchaikovsky", "Чайковский"),
            ("Vasilyevna", "Васильевна"),
            ("Solzhenitsyn", "Солженицын"),
        ],
    )
    def test_transliterations_of_one_name_share_a_key(self, latin: str, cyrillic: str) -> None:
        assert name_key(latin) == name_key(cyrillic)

    @given(CYRILLIC_NAMES)
    def test_key_of_a_cyrillic_name_is_stable(self, name: str) -> None:
        key = name_key(name)
        assert name_key(key) == key

    @given(CYRILLIC_NAMES)
    def test_icao_spelling_of_a_name_has_its_key(self, name: str) -> None:
        assert name_key(transliterate(name)) == name_key(name)

    def test_icao_transliteration(self) -> None:
        assert transliterate("Щукина Юлия") == "shchukina iuliia"


class TestNicknames:
    def test_a_diminutive_stands_for_the_full_name(self) -> None:
        assert canonical_given_name(name_key("Саша")) == name_key("Александр")
        assert canonical_given_name(name_key("Tom")) == name_key("Thomas")

    def test_a_full_name_stands_for_itself(self) -> None:
        assert canonical_given_name(name_key("Мария")) == name_key("Мария")

    def test_a_diminutive_may_stand_for_several_names(self) -> None:
        assert {name_key("Вячеслав"), name_key("Ярослав")} <= given_names(name_key("Слава"))
        assert {name_key("Henry"), name_key("Harold")} <= given_names(name_key("Harry"))

    def test_spellings_of_one_diminutive_agree(self) -> None:
        for spelling in ("Eddy", "Eddie", "Eddi"):
            assert name_key("Edward") in given_names(name_key(spelling))

    def test_a_name_not_listed_stands_for_itself(self) -> None:
        assert given_names(name_key("Zebedee")) == {name_key("Zebedee")}
