"""Realistic, reproducible demo patients: the one data source of `clinic demo` and `bench/`.

Everything is drawn from one `random.Random(seed)`, so a seed always gives the same people in
the same order (and the first N people of a larger run are the N people of a smaller one).
Faker is used only for its ru_RU name lists: its per-call API costs several times this whole
generator per person (~60 µs against ~12 µs), which matters at a million people.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from clinic.application.patients.commands import RegisterPatient
from clinic.infrastructure.demo.contacts import email_address, mobile_number, typed_phone
from clinic.infrastructure.demo.distributions import Weighted
from clinic.infrastructure.demo.names import FEMALE, MALE, RussianNames
from clinic.infrastructure.demo.places import CITIES

DEFAULT_SEED = 2026
# Ages are counted at this fixed date, not today, so a seed gives the same people every year.
AGES_AT = date(2025, 1, 1)

SEXES: Weighted[str] = Weighted((FEMALE, MALE), (58, 42))  # women visit private clinics more

# (youngest, oldest) age in whole years → share of patients: children and teenagers, working
# ages, pensioners; the oldest band reaches back to 1935.
AGE_MIX: tuple[tuple[tuple[int, int], float], ...] = (
    ((0, 6), 7), ((7, 13), 7), ((14, 17), 4), ((18, 24), 8), ((25, 34), 17), ((35, 44), 19),
    ((45, 54), 15), ((55, 64), 12), ((65, 74), 8), ((75, 89), 3),
)  # fmt: skip

NO_PHONE_SHARE = 0.03
NO_PATRONYMIC_SHARE = 0.02
ADULT_AGE, SENIOR_AGE = 14, 60
EMAIL_SHARE_BY_AGE = {"child": 0.10, "adult": 0.75, "senior": 0.40}


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """One demo patient as they would give their details at reception.

    `phone` is typed the way people type it (`8 (916) 123-45-67`), not normalised.
    """

    surname: str
    given_name: str
    patronymic: str | None
    sex: str
    birth_date: date
    phone: str | None
    email: str | None
    city: str
    time_zone: str

    @property
    def age(self) -> int:
        """Whole years at `AGES_AT`."""
        born = self.birth_date
        had_birthday = (born.month, born.day) <= (AGES_AT.month, AGES_AT.day)
        return AGES_AT.year - born.year - (not had_birthday)

    def registration(self) -> RegisterPatient:
        return RegisterPatient(
            surname=self.surname,
            given_name=self.given_name,
            patronymic=self.patronymic,
            sex=self.sex,
            birth_date=self.birth_date.strftime("%d.%m.%Y"),
            phone=self.phone,
            email=self.email,
            city=self.city,
            time_zone=self.time_zone,
        )


def generate_people(count: int, seed: int = DEFAULT_SEED) -> Iterator[DemoPerson]:
    """`count` demo people, the same ones for the same seed."""
    rng = random.Random(seed)
    names = RussianNames()
    for _ in range(count):
        yield _person(rng, names)


def demo_registrations(
    count: int, *, seed: int = DEFAULT_SEED, batch_size: int = 1000
) -> Iterator[list[RegisterPatient]]:
    """Registration commands for `count` demo people, in lists of at most `batch_size`."""
    batch: list[RegisterPatient] = []
    for person in generate_people(count, seed):
        batch.append(person.registration())
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _person(rng: random.Random, names: RussianNames) -> DemoPerson:
    sex = SEXES.pick(rng)
    name = names.pick(rng, sex)
    born = _birth_date(rng)
    city = CITIES.pick(rng)
    return DemoPerson(
        surname=name.surname,
        given_name=name.given_name,
        patronymic=None if rng.random() < NO_PATRONYMIC_SHARE else name.patronymic,
        sex=sex,
        birth_date=born,
        phone=None if rng.random() < NO_PHONE_SHARE else typed_phone(rng, mobile_number(rng)),
        email=_email(rng, name.given_name, name.surname, born),
        city=city.name,
        time_zone=city.time_zone,
    )


def _birth_date(rng: random.Random) -> date:
    first, last = BIRTH_DAY_RANGES.pick(rng)
    return date.fromordinal(rng.randint(first, last))


def _birth_days(youngest: int, oldest: int) -> tuple[int, int]:
    """Ordinals of the first and last birth day of people aged `youngest`..`oldest` at AGES_AT."""
    latest = AGES_AT - timedelta(days=1) if youngest == 0 else _years_before(AGES_AT, youngest)
    earliest = _years_before(AGES_AT, oldest + 1) + timedelta(days=1)
    return earliest.toordinal(), latest.toordinal()


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)  # AGES_AT is 1 January: no 29 February problem


BIRTH_DAY_RANGES: Weighted[tuple[int, int]] = Weighted(
    [_birth_days(*ages) for ages, _ in AGE_MIX], [share for _, share in AGE_MIX]
)


def _email(rng: random.Random, given_name: str, surname: str, born: date) -> str | None:
    age = AGES_AT.year - born.year
    group = "child" if age < ADULT_AGE else "senior" if age >= SENIOR_AGE else "adult"
    if rng.random() >= EMAIL_SHARE_BY_AGE[group]:
        return None
    return email_address(rng, given_name, surname, born)
