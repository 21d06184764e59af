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
_LETTERS_ALIKE = 80  # percent: the letters of `Lesde` and `Leeds`, of `Baltasf` and `Belfast`
_PHONE_TAIL = 7  # the subscriber number without the area code

NameLevels = tuple[str, str, str | None, str | None]
"""Surname level, given-name level, and the values they agree on exactly (for frequencies)."""


def names(a: Features, b: Features) -> NameLevels:
    """Surname and given name, or read crosswise when one side has them swapped or has only one
    name part that is the other side's surname (`Bevan` against `Irwin Bevan`)."""
    return _names(a.surname, a.given, b.surname, b.given)


@lru_cache(maxsize=_CACHE)
def _names(
    a_surname: str | None, a_given: str | None, b_surname: str | None, b_given: str | None
) -> NameLevels:
    surname = text_level(a_surname, b_surname)
    given = given_level(a_given, _known(a_given), b_given, _known(b_given))
    if surname == EXACT and given == EXACT:
        return surname, given, a_surname, _given_value(a_given, b_given)
    if (a_surname and b_given) or (a_given and b_surname):
        crossed = _crossed(a_surname, a_given, b_surname, b_given)
        if crossed and RANK[crossed[0]] + RANK[crossed[1]] > RANK[surname] + RANK[given]:
            return crossed
    given_value = _given_value(a_given, b_given) if given == EXACT else None
    return surname, given, _value(surname, a_surname), given_value


def _crossed(
    a_surname: str | None, a_given: str | None, b_surname: str | None, b_given: str | None
) -> NameLevels | None:
    """Each side's surname against the other's given name, the stronger agreement first (ties
    by value, so that the reading is the same from either side), if it is a plausible one."""
    one, other = text_level(a_surname, b_given), text_level(a_given, b_surname)
    if DIFFERS in (one, other):
        return None
    one_value, other_value = _value(one, a_surname), _value(other, a_given)
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
    return _birth(a, b) if a[0] < b[0] else _birth(b, a)


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
    return ratio(_letters(a), _letters(b)) >= _LETTERS_ALIKE


def _letters(text: str) -> str:
    return "".join(sorted(text.replace(" ", "")))


@lru_cache(maxsize=_CACHE)
def _birth(a: Birth, b: Birth) -> str:
    (a_digits, a_day), (b_digits, b_day) = a, b
    typos = Hamming.distance(a_digits, b_digits)
    if typos == 1 or a_digits == b_digits[:4] + b_digits[6:] + b_digits[4:6]:
        return CLOSE
    apart = abs(a_day - b_day)
    if apart <= 366 or _swapped_digits(a_digits, b_digits):  # noqa: PLR2004 - a year
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
