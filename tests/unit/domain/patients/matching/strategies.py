"""Hypothesis strategies: records drawn from small pools, so that many of them match."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from clinic.domain.patients.matching.record import MatchRecord

SURNAMES = ("Иванова", "Ivanova", "Иванов", "Петрова", "Petrova", "Смирнов", "Smirnov", "Соловьёв")
GIVEN_NAMES = ("Мария", "Maria", "Mariya", "Сергей", "Sergey", "Анна", "Anna", "Саша", "Александр")
PATRONYMICS = ("Петровна", "Petrovna", "Сергеевич", "Ивановна")
BIRTH_DATES = (date(1985, 3, 15), date(1985, 3, 16), date(1985, 15 - 12, 3), date(1990, 1, 1))
PHONES = ("+79161234560", "+79161234561", "+70000000000", "+79035550101")
EMAILS = ("maria@mail.ru", "test@mail.ru", "anna.p@yandex.ru", "m.ivanova@gmail.com")
CITIES = ("Москва", "Moskva", "Казань", "Kazan")


def optional(values: tuple[object, ...]) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), st.sampled_from(values))


@st.composite
def match_records(draw: st.DrawFn, record_id: str) -> MatchRecord:
    return MatchRecord(
        record_id=record_id,
        source=draw(st.one_of(st.none(), st.just("mis"))),
        external_id=draw(st.one_of(st.none(), st.sampled_from(("1", "2")))),
        surname=draw(optional(SURNAMES)),  # type: ignore[arg-type]
        given_name=draw(optional(GIVEN_NAMES)),  # type: ignore[arg-type]
        patronymic=draw(optional(PATRONYMICS)),  # type: ignore[arg-type]
        sex=draw(optional(("M", "F"))),  # type: ignore[arg-type]
        birth_date=draw(optional(BIRTH_DATES)),  # type: ignore[arg-type]
        phones=tuple(draw(st.lists(st.sampled_from(PHONES), max_size=2, unique=True))),
        emails=tuple(draw(st.lists(st.sampled_from(EMAILS), max_size=1))),
        city=draw(optional(CITIES)),  # type: ignore[arg-type]
        postcode=draw(optional(("420111", "420112", "119991"))),  # type: ignore[arg-type]
    )


@st.composite
def record_sets(draw: st.DrawFn, max_size: int = 12) -> list[MatchRecord]:
    size = draw(st.integers(min_value=2, max_value=max_size))
    return [draw(match_records(f"r{index:02d}")) for index in range(size)]
