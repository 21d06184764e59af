"""Field comparators: how two values of one field agree, as a level.

Levels, from strongest to weakest: exact, close (a typo), similar, partial, differs; unknown when
either side is missing. Every comparator is symmetric. String comparisons are cached by value
pair, because blocks compare the same names and dates over and over.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import Hamming, JaroWinkler, Levenshtein
from rapidfuzz.fuzz import ratio, token_set_ratio

from clinic.domain.patients.matching.features import Birth, Features

EXACT = "exact"
CLOSE = "close"
SIMILAR = "similar"
PARTIAL = "partial"
DIFFERS = "differs"
UNKNOWN = "unknown"

RANK = {EXACT: 4, CLOSE: 3, SIMILAR: 2, PARTIAL: 1, UNKNOWN: 0, DIFFERS: -1}
"""How much a level says for a match; used to pick the better reading of crossed names."""

_CACHE = 1 << 18
_NAME_CLOSE, _NAME_SIMILAR = 0.92, 0.8  # Jaro–Winkler: one typo in five letters; two or so
_CITY_CLOSE = 0.9
_LETTERS_ALIKE = 80  # percent: the letters of `Lesde` and `Leeds`, of `Baltasf` and `Belfast`
_PHONE_TAIL = 7  # the subscriber number without the area code

NameLevels = tuple[str, str, str | None, str | None]
"""Surname level, given-name level, and the values they agree on exactly (for frequencies)."""


def names(a: Features, b: Features) -> NameLevels:
    """Surname and given name, or read crosswise when one side has them swapped or has only one
    name part that is the other side's surname (`Bevan` against `Irwin Bevan`)."""
    surname = text_level(a.surname, b.surname)
    given = given_level(a.given, a.given_canonical, b.given, b.given_canonical)
    if surname == EXACT and given == EXACT:
        return surname, given, a.surname, a.given_canonical
    one = text_level(a.surname, b.given)
    other = text_level(a.given, b.surname)
    (high, high_value), (low, low_value) = sorted(
        ((one, a.surname if one == EXACT else None), (other, a.given if other == EXACT else None)),
        key=lambda level: (-RANK[level[0]], level[1] or ""),
    )  # sorted by strength, then value, so that the reading stays symmetric
    if (
        high not in (DIFFERS, UNKNOWN)
        and low != DIFFERS
        and RANK[high] + RANK[low] > RANK[surname] + RANK[given]
    ):
        return high, low, high_value, low_value
    return (
        surname,
        given,
        a.surname if surname == EXACT else None,
        a.given_canonical if given == EXACT else None,
    )


def text_level(a: str | None, b: str | None) -> str:
    """Names and other short texts: exact, close (Jaro–Winkler ≥ 0.92), similar (≥ 0.8)."""
    if not a or not b:
        return UNKNOWN
    if a == b:
        return EXACT
    return _similarity_level(_jaro_winkler(a, b) if a < b else _jaro_winkler(b, a))


def given_level(a: str | None, a_full: str | None, b: str | None, b_full: str | None) -> str:
    """Given names: a diminutive equals its full name; an initial agrees partially."""
    if not a or not b:
        return UNKNOWN
    if a == b or a_full == b_full:
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
    """Exact; close (a typo or a day/month swap); partial (two typos, or within a year); similar
    (within ten years, or a wrong digit in the year); differs."""
    if a is None or b is None:
        return UNKNOWN
    if a[0] == b[0]:
        return EXACT
    return _birth(a, b) if a[0] < b[0] else _birth(b, a)


def birth_dates_agree(a: Birth | None, b: Birth | None) -> bool:
    """Whether two birth dates may belong to one person (within ten years, or a typo apart)."""
    return birth_date_level(a, b) != DIFFERS


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
            if len(x) == len(y) and Hamming.distance(x, y) == 1:
                return CLOSE
            if x[-_PHONE_TAIL:] == y[-_PHONE_TAIL:]:
                best = PARTIAL
    return best


def emails_level(a: frozenset[str], b: frozenset[str]) -> str:
    """Exact; close (a typo or three); partial (the same mailbox at another provider)."""
    if not a or not b:
        return UNKNOWN
    if not a.isdisjoint(b):
        return EXACT
    best = DIFFERS
    for x in a:
        x_mailbox = x.partition("@")[0]
        for y in b:
            y_mailbox = y.partition("@")[0]
            if x_mailbox == y_mailbox:
                best = PARTIAL
            elif (
                Levenshtein.normalized_similarity(x, y) >= 0.8  # noqa: PLR2004 - a typo or three
                and Levenshtein.normalized_similarity(x_mailbox, y_mailbox) >= 0.75  # noqa: PLR2004
            ):
                return CLOSE
    return best


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
    return ratio(sorted(a.replace(" ", "")), sorted(b.replace(" ", ""))) >= _LETTERS_ALIKE


@lru_cache(maxsize=_CACHE)
def _birth(a: Birth, b: Birth) -> str:
    (a_digits, a_day), (b_digits, b_day) = a, b
    typos = Hamming.distance(a_digits, b_digits)
    if typos == 1 or a_digits == b_digits[:4] + b_digits[6:] + b_digits[4:6]:
        return CLOSE
    apart = abs(a_day - b_day)
    if typos == 2 or apart <= 366:  # noqa: PLR2004 - two typos or a year
        return PARTIAL
    if apart <= 3653 or _year_typo(a_digits, b_digits):  # noqa: PLR2004 - ten years
        return SIMILAR
    return DIFFERS


def _year_typo(a: str, b: str) -> bool:
    """One wrong digit in the year and the day within about two months: 1984-09-19, 1974-08-21."""
    if Hamming.distance(a[:4], b[:4]) != 1:
        return False
    day_a, day_b = int(a[4:6]) * 31 + int(a[6:]), int(b[4:6]) * 31 + int(b[6:])
    return abs(day_a - day_b) <= 62  # noqa: PLR2004
