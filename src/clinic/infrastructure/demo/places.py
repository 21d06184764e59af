"""Russian cities where a clinic chain's patients live, with their IANA time zones."""

from __future__ import annotations

from dataclasses import dataclass

from clinic.infrastructure.demo.distributions import Weighted


@dataclass(frozen=True, slots=True)
class City:
    name: str
    time_zone: str


# Weights: roughly the cities' populations, with Moscow over-represented as private clinics are.
_CITIES: tuple[tuple[str, str, float], ...] = (
    ("Москва", "Europe/Moscow", 30.0),
    ("Санкт-Петербург", "Europe/Moscow", 12.0),
    ("Новосибирск", "Asia/Novosibirsk", 4.0),
    ("Екатеринбург", "Asia/Yekaterinburg", 4.0),
    ("Казань", "Europe/Moscow", 3.5),
    ("Краснодар", "Europe/Moscow", 3.5),
    ("Нижний Новгород", "Europe/Moscow", 3.0),
    ("Красноярск", "Asia/Krasnoyarsk", 3.0),
    ("Челябинск", "Asia/Yekaterinburg", 3.0),
    ("Самара", "Europe/Samara", 3.0),
    ("Уфа", "Asia/Yekaterinburg", 3.0),
    ("Ростов-на-Дону", "Europe/Moscow", 3.0),
    ("Омск", "Asia/Omsk", 2.5),
    ("Воронеж", "Europe/Moscow", 2.5),
    ("Пермь", "Asia/Yekaterinburg", 2.5),
    ("Волгоград", "Europe/Volgograd", 2.0),
    ("Саратов", "Europe/Saratov", 2.0),
    ("Тюмень", "Asia/Yekaterinburg", 2.0),
    ("Иркутск", "Asia/Irkutsk", 1.5),
    ("Хабаровск", "Asia/Vladivostok", 1.5),
    ("Владивосток", "Asia/Vladivostok", 1.5),
    ("Калининград", "Europe/Kaliningrad", 1.5),
    ("Ярославль", "Europe/Moscow", 1.5),
    ("Барнаул", "Asia/Barnaul", 1.5),
    ("Томск", "Asia/Tomsk", 1.2),
    ("Сочи", "Europe/Moscow", 1.0),
    ("Балашиха", "Europe/Moscow", 1.0),
    ("Химки", "Europe/Moscow", 1.0),
    ("Подольск", "Europe/Moscow", 1.0),
    ("Мытищи", "Europe/Moscow", 1.0),
)

CITIES: Weighted[City] = Weighted(
    [City(name, zone) for name, zone, _ in _CITIES], [weight for _, _, weight in _CITIES]
)
