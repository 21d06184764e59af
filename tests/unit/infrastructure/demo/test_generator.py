from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from faker.providers.person.ru_RU import Provider as RussianPersonProvider
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.domain.patients.values import PersonalData, Sex
from clinic.domain.shared.phone import normalise_phone
from clinic.infrastructure.demo.generator import (
    AGES_AT,
    DemoPerson,
    demo_registrations,
    generate_people,
)
from clinic.infrastructure.demo.names import COMMON_FEMALE_NAMES, COMMON_MALE_NAMES

SAMPLE = 5000
TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def people() -> list[DemoPerson]:
    return list(generate_people(SAMPLE, seed=7))


def share(people: list[DemoPerson], condition: Callable[[DemoPerson], bool]) -> float:
    return sum(1 for person in people if condition(person)) / len(people)


class TestDeterminism:
    def test_the_same_seed_gives_the_same_people(self) -> None:
        assert list(generate_people(300, seed=11)) == list(generate_people(300, seed=11))

    def test_another_seed_gives_other_people(self) -> None:
        assert list(generate_people(300, seed=11)) != list(generate_people(300, seed=12))

    def test_a_smaller_run_is_the_start_of_a_larger_one(self) -> None:
        assert list(generate_people(100, seed=3)) == list(generate_people(1000, seed=3))[:100]

    def test_registrations_are_the_people_in_batches(self) -> None:
        batches = list(demo_registrations(2500, seed=5, batch_size=1000))
        assert [len(batch) for batch in batches] == [1000, 1000, 500]
        people = list(generate_people(2500, seed=5))
        assert [c for batch in batches for c in batch] == [p.registration() for p in people]


class TestTheDomainAcceptsEveryRow:
    def test_every_registration_parses(self, people: list[DemoPerson]) -> None:
        for person in people:
            PersonalData.parse(today=TODAY, **person.registration().fields())

    @settings(max_examples=20, deadline=None)
    @given(seed=st.integers(min_value=0, max_value=2**32))
    def test_any_seed_gives_valid_rows(self, seed: int) -> None:
        for person in generate_people(50, seed=seed):
            PersonalData.parse(today=TODAY, **person.registration().fields())

    def test_parsing_keeps_what_was_generated(self, people: list[DemoPerson]) -> None:
        for person in people[:500]:
            data = PersonalData.parse(today=TODAY, **person.registration().fields())
            assert (data.surname, data.given_name, data.patronymic) == (
                person.surname,
                person.given_name,
                person.patronymic,
            )
            assert data.sex == Sex(person.sex)
            assert data.birth_date == person.birth_date
            assert (str(data.phone) if data.phone else None) == (
                normalise_phone(person.phone) if person.phone else None
            )


class TestNamesAgreeWithSex:
    def test_women_have_female_names_surnames_and_patronymics(
        self, people: list[DemoPerson]
    ) -> None:
        for person in (p for p in people if p.sex == "F"):
            assert person.given_name in RussianPersonProvider.first_names_female
            assert person.surname in RussianPersonProvider.last_names_female
            assert person.patronymic is None or person.patronymic.endswith(("вна", "чна"))

    def test_men_have_male_names_surnames_and_patronymics(self, people: list[DemoPerson]) -> None:
        for person in (p for p in people if p.sex == "M"):
            assert person.given_name in RussianPersonProvider.first_names_male
            assert person.surname in RussianPersonProvider.last_names_male
            assert person.patronymic is None or person.patronymic.endswith("ич")

    def test_both_sexes_are_well_represented(self, people: list[DemoPerson]) -> None:
        assert 0.5 < share(people, lambda p: p.sex == "F") < 0.66

    def test_most_people_have_a_common_name(self, people: list[DemoPerson]) -> None:
        common = COMMON_FEMALE_NAMES | COMMON_MALE_NAMES
        assert share(people, lambda p: p.given_name in common) > 0.8

    def test_surnames_follow_their_frequency(self, people: list[DemoPerson]) -> None:
        surnames = Counter(p.surname for p in people if p.sex == "M")
        assert surnames["Смирнов"] > surnames[RussianPersonProvider.last_names_male[-1]]


class TestPhones:
    def test_phones_are_mostly_unique(self) -> None:
        phones = [normalise_phone(p.phone) for p in generate_people(20_000) if p.phone]
        assert len(set(phones)) / len(phones) > 0.999

    def test_phones_are_typed_in_many_forms(self, people: list[DemoPerson]) -> None:
        phones = [p.phone for p in people if p.phone]
        assert any(p.startswith("8 (") for p in phones)
        assert any(p.startswith("+7 ") for p in phones)
        assert any(p.isdigit() and len(p) == 11 for p in phones)
        assert any(p.isdigit() and len(p) == 10 for p in phones)

    def test_a_few_people_have_no_phone(self, people: list[DemoPerson]) -> None:
        assert 0.01 < share(people, lambda p: p.phone is None) < 0.06


class TestEmails:
    def test_some_people_have_no_email(self, people: list[DemoPerson]) -> None:
        assert 0.2 < share(people, lambda p: p.email is None) < 0.6

    def test_emails_are_mostly_unique(self) -> None:
        emails = [p.email for p in generate_people(20_000) if p.email]
        assert len(set(emails)) / len(emails) > 0.995

    def test_emails_are_at_common_russian_domains(self, people: list[DemoPerson]) -> None:
        domains = Counter(p.email.split("@")[1] for p in people if p.email)
        assert {"mail.ru", "yandex.ru", "gmail.com"} <= set(domains)
        assert domains.most_common(1)[0][0] == "mail.ru"


class TestBirthDates:
    def test_birth_dates_fall_between_1935_and_2024(self, people: list[DemoPerson]) -> None:
        assert min(p.birth_date for p in people) >= date(1935, 1, 1)
        assert max(p.birth_date for p in people) <= date(2024, 12, 31)

    def test_ages_mix_children_adults_and_pensioners(self, people: list[DemoPerson]) -> None:
        assert 0.1 < share(people, lambda p: p.age < 18) < 0.3
        assert 0.4 < share(people, lambda p: 18 <= p.age < 60) < 0.8
        assert 0.1 < share(people, lambda p: p.age >= 60) < 0.3

    @pytest.mark.parametrize(
        ("born", "age"), [(date(1990, 1, 1), 35), (date(1990, 1, 2), 34), (date(2024, 12, 31), 0)]
    )
    def test_age_is_counted_at_a_fixed_date(self, born: date, age: int) -> None:
        person = next(generate_people(1))
        assert date(2025, 1, 1) == AGES_AT
        assert replace(person, birth_date=born).age == age


class TestPlaces:
    def test_every_time_zone_exists(self, people: list[DemoPerson]) -> None:
        for zone in {p.time_zone for p in people}:
            ZoneInfo(zone)

    def test_moscow_is_the_most_common_city_but_not_the_only_one(
        self, people: list[DemoPerson]
    ) -> None:
        cities = Counter(p.city for p in people)
        assert cities.most_common(1)[0][0] == "Москва"
        assert len(cities) > 20
