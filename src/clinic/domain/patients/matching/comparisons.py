"""Field comparators: how two values of one field agree, as a level.

Levels, from strongest to weakest: exact, close (a typo), similar, partial, differs; unknown when
either side is missing. Every comparator is symmetric. String comparisons are cached by value
pair, because blocks compare the same names and dates over and over.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Hamming, JaroWinkler, Levenshtein
from rapidfuzz.fuzz import ratio, token_set_ratio

from clinic.domain.patients.matching.features import PHONE_TAIL, Birth, Features
from clinic.domain.patients.matching.nicknames import canonical_given_name, given_names

EXACT = "exact"
CLOSE = "close"
SIMILAR = "similar"
PARTIAL = "partial"
DIFFERS = "differs"
UNKNOWN = "unknown"

RANK = {EXACT: 4, CLOSE: 3, SIMILAR: 2, PARTIAL: 1, UNKNOWN: 0, DIFFERS: -1}
"""How much a level says for a match; used to pick the better reading of crossed names."""

_CACHE = 1 << 16
_NAME_CLOSE, _NAME_SIMILAR = 0.92, 0.8  # Jaro–Winkler: one typo in five letters; two or so
_CITY_CLOSE = 0.9
_NOT_DIGITS = re.compile(r"\D")
_LETTERS_ALIKE = 80  # percent: the letters of `Lesde` and `Leeds`, of `Baltasf` and `Belfast`

NameLevels = tuple[str, str, str | None, str | None]
"""Surname level, given-name level, and the values they agree on exactly (for frequencies)."""
NameParts = tuple[str | None, str | None]
"""A surname and a given name."""
GivenMatch = tuple[str, str | None]
"""A given-name level and, when exact, the full name both stand for (`given_match`)."""


def names(a: Features, b: Features) -> NameLevels:
    """Surname and given name, or read crosswise when one side has them swapped or has only one
    name part that is the other side's surname (`Bevan` against `Irwin Bevan`)."""
    return names_by_value(a.surname, a.given, b.surname, b.given)


@lru_cache(maxsize=_CACHE)
def names_by_value(
    a_surname: str | None, a_given: str | None, b_surname: str | None, b_given: str | None
) -> NameLevels:
    one = text_level(a_surname, b_given)
    other = DIFFERS if one == DIFFERS else text_level(a_given, b_surname)  # (no reading then)
    return read_names(
        (a_surname, a_given),
        text_level(a_surname, b_surname),
        given_match(a_given, b_given),
        (one, other),
    )


def read_names(
    a: NameParts, surname: str, givens: GivenMatch, crossed: tuple[str, str]
) -> NameLevels:
    """`names` of `a` and another record from how their parts compare: the surnames
    (`text_level`), the given names (`given_match`), and crosswise (`text_level` of a's surname
    and the other's given name, of a's given name and the other's surname)."""
    given, given_value = givens
    if surname == EXACT and given == EXACT:
        return surname, given, a[0], given_value
    reading = _crossed(a, *crossed)
    if reading and RANK[reading[0]] + RANK[reading[1]] > RANK[surname] + RANK[given]:
        return reading
    return surname, given, _value(surname, a[0]), given_value


def given_match(a: str | None, b: str | None) -> GivenMatch:
    """`given_level`, and the full name two agreeing given names stand for."""
    level = given_level(a, _known(a), b, _known(b))
    return level, _given_value(a, b) if level == EXACT else None


def _crossed(a: NameParts, one: str, other: str) -> NameLevels | None:
    """Each side's surname against the other's given name, the stronger agreement first (ties
    by value, so that the reading is the same from either side), if it is a plausible one."""
    if DIFFERS in (one, other):
        return None
    one_value, other_value = _value(one, a[0]), _value(other, a[1])
    if RANK[one] < RANK[other] or (
        RANK[one] == RANK[other] and (one_value or "") > (other_value or "")
    ):
        one, other, one_value, other_value = other, one, other_value, one_value
    if one == UNKNOWN:
        return None
    return one, other, one_value, other_value


def _value(level: str, value: str | None) -> str | None:
    return value if level == EXACT else None


def _known(given: str | None) -> frozenset[str]:
    return given_names(given) if given else frozenset()


def _given_value(a: str | None, b: str | None) -> str | None:
    """The full name two agreeing given names stand for (the same from either side)."""
    a_full, b_full = canonical_given_name(a or ""), canonical_given_name(b or "")
    if a_full == b_full:
        return a_full or None
    return min(_known(a) & _known(b), default=a_full or None)


def text_level(a: str | None, b: str | None) -> str:
    """Names and other short texts: exact, close (Jaro–Winkler ≥ 0.92), similar (≥ 0.8)."""
    if not a or not b:
        return UNKNOWN
    if a == b:
        return EXACT
    return _similarity_level(_jaro_winkler(a, b) if a < b else _jaro_winkler(b, a))


def given_level(
    a: str | None, a_names: frozenset[str], b: str | None, b_names: frozenset[str]
) -> str:
    """Given names: a diminutive equals the full names it may stand for (`a_names`, `b_names`);
    an initial agrees partially."""
    if not a or not b:
        return UNKNOWN
    if a == b or not a_names.isdisjoint(b_names):
        return EXACT
    if len(a) == 1 or len(b) == 1:
        return PARTIAL if a[0] == b[0] else DIFFERS
    return _similarity_level(_jaro_winkler(a, b) if a < b else _jaro_winkler(b, a))


def patronymic_level(a: str | None, b: str | None) -> str:
    if not a or not b:
        return UNKNOWN
    if len(a) == 1 or len(b) == 1:
        return PARTIAL if a[0] == b[0] else DIFFERS
    level = text_level(a, b)
    return DIFFERS if level == SIMILAR else level


def birth_date_level(a: Birth | None, b: Birth | None) -> str:
    """Exact; close (a typo or a day/month swap); partial (within a year, two neighbouring
    digits swapped, or two typos within ten years); similar (within ten years, or a wrong digit
    in the year); differs (1960 and 1985 differ in two digits, yet are a generation apart)."""
    if a is None or b is None:
        return UNKNOWN
    if a[0] == b[0]:
        return EXACT
    if dates_far_apart(a[1], a[2], b[1], b[2]):
        return DIFFERS
    return _birth(a, b) if a[0] < b[0] else _birth(b, a)


def dates_far_apart(a_day: int, a_day_of_year: int, b_day: int, b_day_of_year: int) -> bool:
    """Whether two birth dates (ordinal days and days of the year, see `Birth`) differ, found
    without their digits: more than ten years apart, only digits of the year may be mistyped
    or swapped (see `_birth`), and those leave the day of the year within two months."""
    return abs(a_day - b_day) > 3653 and abs(a_day_of_year - b_day_of_year) > 62  # noqa: PLR2004


def birth_dates_agree(a: Birth | None, b: Birth | None) -> bool:
    """Whether two birth dates may belong to one person: within ten years, a typo apart, or the
    same day and month in years two typos apart (1827-11-24, 1851-11-24)."""
    if birth_date_level(a, b) != DIFFERS:
        return True
    return a is not None and b is not None and _birthday_with_year_typos(a[0], b[0])


def equal_level(a: str | None, b: str | None) -> str:
    if not a or not b:
        return UNKNOWN
    return EXACT if a == b else DIFFERS


def city_level(a: str | None, b: str | None) -> str:
    if not a or not b:
        return UNKNOWN
    if a == b:
        return EXACT
    similarity = _jaro_winkler(a, b) if a < b else _jaro_winkler(b, a)
    return CLOSE if similarity >= _CITY_CLOSE else DIFFERS


def places_agree(a: str, b: str) -> bool:
    """Whether two city names may be one place, leniently (a guard must not split a person
    over a typo): Jaro–Winkler ≥ 0.8, the same letters in another order, or a word in common
    (`Devon`, `North Devon`)."""
    if a == b:
        return True
    x, y = (a, b) if a < b else (b, a)
    return _jaro_winkler(x, y) >= _NAME_SIMILAR or _places_overlap(x, y)


def phones_level(a: frozenset[str], b: frozenset[str]) -> str:
    """Exact; close (one mistyped digit); partial (the same subscriber number, another area
    code); differs."""
    if not a or not b:
        return UNKNOWN
    if not a.isdisjoint(b):
        return EXACT
    best = DIFFERS
    for x in a:
        for y in b:
            level = phone_level(x, y)
            if level == CLOSE:
                return CLOSE
            if level == PARTIAL:
                best = PARTIAL
    return best


def phone_level(a: str, b: str) -> str:
    """Two different numbers: close, partial or differs (see `phones_level`)."""
    if len(a) == len(b) and Hamming.distance(a, b) == 1:
        return CLOSE
    return PARTIAL if a[-PHONE_TAIL:] == b[-PHONE_TAIL:] else DIFFERS


def record_phones_level(a: Features, b: Features) -> str:
    """`phones_level` of two records. A shortcut: one mistyped digit leaves one part of a
    number as it was (the subscriber number or the codes before it), another area code the
    subscriber number; numbers without a part in common differ."""
    if not a.phones or not b.phones:
        return UNKNOWN
    if not a.phones.isdisjoint(b.phones):
        return EXACT
    if a.phone_parts.isdisjoint(b.phone_parts):
        return DIFFERS
    return phones_level(a.phones, b.phones)


def emails_level(a: frozenset[str], b: frozenset[str]) -> str:
    """Exact; close (a typo or three, the numbers in the mailboxes but one typo apart); partial
    (the same mailbox at another provider)."""
    if not a or not b:
        return UNKNOWN
    if not a.isdisjoint(b):
        return EXACT
    best = DIFFERS
    for x in a:
        x_mailbox = mailbox(x)
        for y in b:
            level = email_level(x, x_mailbox, y, mailbox(y))
            if level == CLOSE:
                return CLOSE
            if level == PARTIAL:
                best = PARTIAL
    return best


def email_level(a: str, a_mailbox: str, b: str, b_mailbox: str) -> str:
    """Two different addresses and their mailboxes: partial, close or differs (see
    `emails_level`)."""
    if a_mailbox == b_mailbox:
        return PARTIAL
    if (
        Levenshtein.normalized_similarity(a, b) >= 0.8  # noqa: PLR2004 - a typo or three
        and Levenshtein.normalized_similarity(a_mailbox, b_mailbox) >= 0.75  # noqa: PLR2004
        and Levenshtein.distance(_digits(a_mailbox), _digits(b_mailbox)) <= 1
    ):
        return CLOSE
    return DIFFERS


def _digits(text: str) -> str:
    """The digits of a mailbox: `ivanov1984` and `ivanov1990` are the same name, chosen by two
    people (mailboxes made of a name and a number are common): their numbers must agree but for
    one typo, or the addresses are not close."""
    return _NOT_DIGITS.sub("", text)


def mailbox(email: str) -> str:
    """The part of an address before the `@`."""
    return email.partition("@")[0]


def address_level(a: str | None, b: str | None) -> str:
    if not a or not b:
        return UNKNOWN
    if a == b:
        return EXACT
    return CLOSE if token_set_ratio(a, b) >= 90 else DIFFERS  # noqa: PLR2004


def postcode_level(a: Features, b: Features) -> str:
    if not a.postcode or not b.postcode:
        return UNKNOWN
    if a.postcode == b.postcode:
        return EXACT
    return CLOSE if a.postcode_district == b.postcode_district else DIFFERS


@lru_cache(maxsize=_CACHE)
def _jaro_winkler(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a, b)


def _similarity_level(similarity: float) -> str:
    if similarity >= _NAME_CLOSE:
        return CLOSE
    return SIMILAR if similarity >= _NAME_SIMILAR else DIFFERS


@lru_cache(maxsize=_CACHE)
def _places_overlap(a: str, b: str) -> bool:
    if not set(a.split()).isdisjoint(b.split()):
        return True
    return ratio(_letters(a), _letters(b)) >= _LETTERS_ALIKE


def _letters(text: str) -> str:
    return "".join(sorted(text.replace(" ", "")))


def _birth(a: Birth, b: Birth) -> str:
    """The level of two different dates, `a` the earlier in digits."""
    (a_digits, a_day, _), (b_digits, b_day, _) = a, b
    typos = Hamming.distance(a_digits, b_digits)
    if typos == 1:
        return CLOSE
    apart = abs(a_day - b_day)
    if apart <= 366:  # noqa: PLR2004 - a year; day and month swapped keep the year
        return CLOSE if a_digits == b_digits[:4] + b_digits[6:] + b_digits[4:6] else PARTIAL
    if typos == 2 and _swapped_digits(a_digits, b_digits):  # noqa: PLR2004 - two digits
        return PARTIAL
    if apart <= 3653:  # noqa: PLR2004 - ten years
        return PARTIAL if typos == 2 else SIMILAR  # noqa: PLR2004 - two typos
    return SIMILAR if _year_typo(a_digits, b_digits) else DIFFERS


@lru_cache(maxsize=_CACHE)
def _birthday_with_year_typos(a: str, b: str) -> bool:
    return a[4:] == b[4:] and Hamming.distance(a[:4], b[:4]) <= 2  # noqa: PLR2004


def _swapped_digits(a: str, b: str) -> bool:
    """Two neighbouring digits typed the other way round: 1985 and 1958, 03-15 and 03-51."""
    wrong = [i for i in range(len(a)) if a[i] != b[i]]
    return len(wrong) == 2 and wrong[1] == wrong[0] + 1 and a[wrong[0]] == b[wrong[1]]  # noqa: PLR2004


def _year_typo(a: str, b: str) -> bool:
    """One wrong digit in the year and the day within about two months: 1984-09-19, 1974-08-21."""
    if Hamming.distance(a[:4], b[:4]) != 1:
        return False
    day_a, day_b = int(a[4:6]) * 31 + int(a[6:]), int(b[4:6]) * 31 + int(b[6:])
    return abs(day_a - day_b) <= 62  # noqa: PLR2004
