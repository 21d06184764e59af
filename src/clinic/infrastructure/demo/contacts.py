"""Russian mobile numbers typed the ways people type them, and e-mails made from names."""

from __future__ import annotations

import random
from datetime import date
from functools import cache

from clinic.infrastructure.demo.distributions import Weighted

SUBSCRIBER_NUMBERS = 10_000_000
POPULAR_CODE_WEIGHT = 4.0

# Mobile operator codes (DEF) in real use by MTS, Beeline, MegaFon and Tele2; every number in
# them passes `phonenumbers.is_valid_number` as a Russian mobile. 930 is left out: only part of
# it is allocated, and 94x / 970-976 are not Russian mobile ranges.
_OPERATOR_CODES = (
    *range(900, 907),
    *range(908, 930),
    *range(931, 940),
    *range(950, 954),
    958,
    *range(960, 970),
    *range(977, 1000),
)
_POPULAR_CODES = {903, 905, 910, 915, 916, 917, 925, 926, 965, 967, 968, 977, 985, 999}
OPERATOR_CODES: Weighted[int] = Weighted(
    _OPERATOR_CODES,
    [POPULAR_CODE_WEIGHT if code in _POPULAR_CODES else 1.0 for code in _OPERATOR_CODES],
)

# {c}: operator code, {a}{b}{d}: the subscriber number split 3-2-2.
PHONE_FORMS: Weighted[str] = Weighted(
    (
        "+7 {c} {a}-{b}-{d}",
        "8 ({c}) {a}-{b}-{d}",
        "8{c}{a}{b}{d}",
        "+7{c}{a}{b}{d}",
        "{c}{a}{b}{d}",
        "8-{c}-{a}-{b}-{d}",
        "+7 ({c}) {a}-{b}-{d}",
        "8 {c} {a} {b} {d}",
    ),
    (25, 20, 20, 15, 8, 6, 4, 2),
)

EMAIL_DOMAINS: Weighted[str] = Weighted(
    ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru", "ya.ru"),
    (35, 25, 15, 5, 5, 4, 5, 3),
)

# {g}: given name, {s}: surname, {i}: given initial, {y}/{yy}: birth year, {n}: a number.
# Most forms carry a number, as real mailboxes do: without one, two Anna Ivanovas born the same
# year would share an address and identity resolution would merge them (99.7% unique at 1M).
EMAIL_LOCAL_PARTS: Weighted[str] = Weighted(
    (
        "{s}.{g}{n}",
        "{g}{s}{n}",
        "{s}{n}{yy}",
        "{i}.{s}{yy}{n}",
        "{g}.{s}.{y}",
        "{s}_{g}{n}",
        "{g}_{s}_{yy}",
    ),
    (3, 3, 2, 2, 1, 2, 1),
)

# Passport-style transliteration (as people spell their names in addresses).
# fmt: off
_TRANSLITERATION = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "-": "", " ": "",
})
# fmt: on


@cache
def transliterate(name: str) -> str:
    """`Фёдор` → `fedor`; cached, as a few hundred names make up millions of people."""
    return name.lower().translate(_TRANSLITERATION)


def mobile_number(rng: random.Random) -> str:
    """A random Russian mobile number as its 10 national digits, e.g. `9161234567`."""
    return f"{OPERATOR_CODES.pick(rng)}{rng.randrange(SUBSCRIBER_NUMBERS):07d}"


def typed_phone(rng: random.Random, national: str) -> str:
    """`9161234567` written as a person would type it: `8 (916) 123-45-67`, `+7 916 ...`."""
    return PHONE_FORMS.pick(rng).format(
        c=national[:3], a=national[3:6], b=national[6:8], d=national[8:]
    )


def email_address(rng: random.Random, given_name: str, surname: str, birth_date: date) -> str:
    """An address like `anna.ivanova87@mail.ru` made from the person's name and birth year."""
    given = transliterate(given_name)
    local = EMAIL_LOCAL_PARTS.pick(rng).format(
        g=given,
        s=transliterate(surname),
        i=given[:1],
        y=birth_date.year,
        yy=f"{birth_date.year % 100:02d}",
        n=rng.randrange(1, 1000),
    )
    return f"{local}@{EMAIL_DOMAINS.pick(rng)}"
