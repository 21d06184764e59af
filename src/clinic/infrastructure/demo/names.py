"""Russian names from Faker's ru_RU lists, read once and weighted towards the common ones.

Faker's surname lists are ordered by frequency and the male and female lists are aligned
(Смирнов ↔ Смирнова), so one index gives a family's surname in either form. First names and
patronymics are alphabetical, so the common ones get a boost.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker.providers.person.ru_RU import Provider as RussianPersonProvider

from clinic.infrastructure.demo.distributions import Weighted, by_rank, favouring

FEMALE, MALE = "F", "M"
COMMON_NAME_BOOST = 40.0

COMMON_MALE_NAMES = {
    "Александр", "Алексей", "Анатолий", "Андрей", "Антон", "Артем", "Борис", "Вадим",
    "Валерий", "Василий", "Виктор", "Владимир", "Владислав", "Геннадий", "Денис", "Дмитрий",
    "Евгений", "Егор", "Иван", "Игорь", "Илья", "Кирилл", "Константин", "Максим", "Матвей",
    "Михаил", "Никита", "Николай", "Олег", "Павел", "Петр", "Роман", "Сергей", "Станислав",
    "Тимофей", "Федор", "Юрий", "Ярослав",
}  # fmt: skip
COMMON_FEMALE_NAMES = {
    "Александра", "Алина", "Алла", "Анастасия", "Анна", "Валентина", "Валерия", "Вера",
    "Вероника", "Виктория", "Галина", "Дарья", "Евгения", "Екатерина", "Елена", "Елизавета",
    "Ирина", "Ксения", "Лариса", "Любовь", "Людмила", "Марина", "Мария", "Надежда", "Наталья",
    "Нина", "Оксана", "Ольга", "Полина", "Светлана", "София", "Татьяна", "Юлия",
}  # fmt: skip
COMMON_PATRONYMIC_STEMS = (
    "Александров", "Алексеев", "Анатольев", "Андреев", "Борисов", "Васильев", "Викторов",
    "Владимиров", "Геннадьев", "Дмитриев", "Евгеньев", "Иванов", "Игорев", "Михайлов",
    "Николаев", "Олегов", "Павлов", "Петров", "Сергеев", "Юрьев",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FullName:
    surname: str
    given_name: str
    patronymic: str


def _patronymics(names: tuple[str, ...]) -> Weighted[str]:
    unique = tuple(dict.fromkeys(names))  # Faker's lists repeat a few entries
    common = {name for name in unique if name.startswith(COMMON_PATRONYMIC_STEMS)}
    return favouring(unique, common, COMMON_NAME_BOOST)


class RussianNames:
    """Draws a name whose surname, given name and patronymic all agree with the person's sex."""

    def __init__(self) -> None:
        faker = RussianPersonProvider
        self._surname_index = by_rank(range(len(faker.last_names_male)))
        self._surnames = {MALE: faker.last_names_male, FEMALE: faker.last_names_female}
        self._given_names = {
            MALE: favouring(faker.first_names_male, COMMON_MALE_NAMES, COMMON_NAME_BOOST),
            FEMALE: favouring(faker.first_names_female, COMMON_FEMALE_NAMES, COMMON_NAME_BOOST),
        }
        self._patronymics = {
            MALE: _patronymics(faker.middle_names_male),
            FEMALE: _patronymics(faker.middle_names_female),
        }

    def pick(self, rng: random.Random, sex: str) -> FullName:
        return FullName(
            surname=self._surnames[sex][self._surname_index.pick(rng)],
            given_name=self._given_names[sex].pick(rng),
            patronymic=self._patronymics[sex].pick(rng),
        )
