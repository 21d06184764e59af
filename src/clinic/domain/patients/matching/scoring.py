"""Probabilistic scoring, Fellegi–Sunter style: a log2 likelihood-ratio weight per field.

Each field compares at one *level* (exact, close, partial, differs, or unknown when either side is
missing). A level's weight is log2(m/u): how much more often true matches than non-matches
compare at that level. The score of a pair is the sum over fields, so it is symmetric, and every
term can be shown to the administrator as the reason for a merge or a suggestion.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from rapidfuzz.distance import Hamming, JaroWinkler, Levenshtein
from rapidfuzz.fuzz import token_set_ratio

from clinic.domain.patients.matching.features import Birth, Features

EXACT = "exact"
CLOSE = "close"
SIMILAR = "similar"
PARTIAL = "partial"
DIFFERS = "differs"
UNKNOWN = "unknown"

DEFAULT_WEIGHTS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "surname": {EXACT: 8.0, CLOSE: 6.0, SIMILAR: 2.5, DIFFERS: -3.5},
        "given_name": {EXACT: 6.0, CLOSE: 5.5, SIMILAR: 3.5, PARTIAL: 2.5, DIFFERS: -3.0},
        "patronymic": {EXACT: 5.0, CLOSE: 4.0, PARTIAL: 1.0, DIFFERS: -8.0},
        "birth_date": {EXACT: 10.0, CLOSE: 5.0, PARTIAL: 1.5, SIMILAR: -1.5, DIFFERS: -6.0},
        "sex": {EXACT: 0.3, DIFFERS: -2.0},
        "phone": {EXACT: 14.0, CLOSE: 6.0, DIFFERS: -2.0},
        "email": {EXACT: 15.0, CLOSE: 11.0, PARTIAL: 6.0, DIFFERS: -4.0},
        "city": {EXACT: 2.5, CLOSE: 2.0, DIFFERS: -2.5},
        "address": {EXACT: 6.0, CLOSE: 4.0, DIFFERS: -1.0},
        "postcode": {EXACT: 12.0, CLOSE: 6.0, DIFFERS: -2.0},
    }
)
"""log2(m/u) per field and level; unknown always weighs 0. Tuned on the labelled sets in bench/."""


@dataclass(frozen=True, slots=True)
class Agreement:
    """How one field compared, and what that was worth."""

    field: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class Score:
    """The total weight of a pair and the agreements it is made of (unknown fields left out)."""

    total: float
    agreements: tuple[Agreement, ...]

    def level(self, field_name: str) -> str:
        for agreement in self.agreements:
            if agreement.field == field_name:
                return agreement.level
        return UNKNOWN


class Scorer:
    """Compares two records field by field with the weights given (DEFAULT_WEIGHTS by default).

    `common` lowers the weight of exact agreement on frequent values (term frequency): sharing
    the surname "Иванова" or the city "Москва" says less than sharing a rare one. It maps a field
    (surname, given_name, city) to value → a negative adjustment; see `common_values`.
    """

    def __init__(
        self,
        weights: Mapping[str, Mapping[str, float]] = DEFAULT_WEIGHTS,
        common: Mapping[str, Mapping[str, float]] | None = None,
    ) -> None:
        self.weights = weights
        self.common = common or {}
        self._agreements = {
            (name, level): Agreement(name, level, weight)
            for name, levels in weights.items()
            for level, weight in levels.items()
        }

    def with_common_values(self, records: Sequence[Features]) -> Scorer:
        """This scorer with term-frequency adjustments taken from `records`."""
        return Scorer(self.weights, common_values(records))

    def score(self, a: Features, b: Features) -> Score:
        names = _names(a, b)
        levels = (
            *names,
            ("patronymic", _patronymic(a.patronymic, b.patronymic)),
            ("birth_date", birth_date_level(a.birth, b.birth)),
            ("sex", _equal(a.sex, b.sex)),
            ("phone", _phones(a.phones, b.phones)),
            ("email", _emails(a.emails, b.emails)),
            ("city", _text(a.city, b.city, close=0.9)),
            ("address", _address(a.address, b.address)),
            ("postcode", _postcode(a, b)),
        )
        agreements = [self._agreements[name, level] for name, level in levels if level != UNKNOWN]
        if self.common:
            self._adjust(agreements, a, b)
        return Score(sum(agreement.weight for agreement in agreements), tuple(agreements))

    def _adjust(self, agreements: list[Agreement], a: Features, b: Features) -> None:
        values = {
            "surname": a.surname if a.surname == b.surname else None,
            "given_name": a.given_canonical if a.given_canonical == b.given_canonical else None,
            "city": a.city,
        }
        for index, agreement in enumerate(agreements):
            if agreement.level != EXACT or agreement.field not in values:
                continue
            value = values[agreement.field]
            adjustment = self.common.get(agreement.field, {}).get(value or "", 0.0)
            if adjustment:
                agreements[index] = Agreement(
                    agreement.field, agreement.level, agreement.weight + adjustment
                )


def common_values(
    records: Sequence[Features], *, max_penalty: float = 5.0, min_records: int = 100
) -> dict[str, dict[str, float]]:
    """Per field, log2(chance two records agree on any value / share of this value), for the
    values more frequent than that chance, floored at -`max_penalty`.

    Fewer than `min_records` records say nothing about frequencies: no adjustments then.
    """
    if len(records) < min_records:
        return {}
    columns = {
        "surname": Counter(r.surname for r in records if r.surname),
        "given_name": Counter(r.given_canonical for r in records if r.given_canonical),
        "city": Counter(r.city for r in records if r.city),
    }
    adjustments: dict[str, dict[str, float]] = {}
    for name, counts in columns.items():
        total = sum(counts.values())
        if not total:
            continue
        agree = sum((count / total) ** 2 for count in counts.values())
        adjustments[name] = {
            value: max(-max_penalty, math.log2(agree * total / count))
            for value, count in counts.items()
            if count / total > agree
        }
    return adjustments


_RANK = {EXACT: 4, CLOSE: 3, SIMILAR: 2, PARTIAL: 1, UNKNOWN: 0, DIFFERS: -1}


def birth_dates_agree(a: Birth | None, b: Birth | None) -> bool:
    """Whether two birth dates may belong to one person (within ten years, or a typo apart)."""
    return birth_date_level(a, b) != DIFFERS


def _names(a: Features, b: Features) -> tuple[tuple[str, str], tuple[str, str]]:
    """Surname and given name, or the two crossed when one side has them swapped."""
    surname = _text(a.surname, b.surname, close=0.92, similar=0.8)
    given = _given(a.given, a.given_canonical, b.given, b.given_canonical)
    if surname == EXACT and given == EXACT:
        return ("surname", surname), ("given_name", given)
    crossed = sorted(
        (
            _text(a.surname, b.given, close=0.92, similar=0.8),
            _text(a.given, b.surname, close=0.92, similar=0.8),
        ),
        key=_RANK.__getitem__,
    )  # sorted, so that the score stays symmetric
    if (
        crossed[0] not in (DIFFERS, UNKNOWN)
        and _RANK[crossed[0]] + _RANK[crossed[1]] > _RANK[surname] + _RANK[given]
    ):
        return ("surname", crossed[1]), ("given_name", crossed[0])
    return ("surname", surname), ("given_name", given)


def _text(a: str | None, b: str | None, *, close: float, similar: float = 2.0) -> str:
    if not a or not b:
        return UNKNOWN
    if a == b:
        return EXACT
    similarity = JaroWinkler.normalized_similarity(a, b)
    if similarity >= close:
        return CLOSE
    return SIMILAR if similarity >= similar else DIFFERS


def _given(a: str | None, a_full: str | None, b: str | None, b_full: str | None) -> str:
    if not a or not b:
        return UNKNOWN
    if a == b or a_full == b_full:
        return EXACT
    if len(a) == 1 or len(b) == 1:
        return PARTIAL if a[0] == b[0] else DIFFERS
    similarity = JaroWinkler.normalized_similarity(a, b)
    if similarity >= 0.92:  # noqa: PLR2004 - one typo in a name of five letters or more
        return CLOSE
    return SIMILAR if similarity >= 0.8 else DIFFERS  # noqa: PLR2004


def _patronymic(a: str | None, b: str | None) -> str:
    if not a or not b:
        return UNKNOWN
    if len(a) == 1 or len(b) == 1:
        return PARTIAL if a[0] == b[0] else DIFFERS
    return _text(a, b, close=0.92)


def birth_date_level(a: Birth | None, b: Birth | None) -> str:
    """Exact; close (a typo or a day/month swap); partial (two typos, or within a year); similar
    (within ten years, or a wrong digit in the year); differs."""
    if a is None or b is None:
        return UNKNOWN
    (a_digits, a_day), (b_digits, b_day) = a, b
    if a_digits == b_digits:
        return EXACT
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


def _equal(a: str | None, b: str | None) -> str:
    if not a or not b:
        return UNKNOWN
    return EXACT if a == b else DIFFERS


def _phones(a: frozenset[str], b: frozenset[str]) -> str:
    if not a or not b:
        return UNKNOWN
    if not a.isdisjoint(b):
        return EXACT
    near = any(
        len(x) == len(y) and Hamming.distance(x, y) == 1 for x in a for y in b
    )  # one mistyped digit
    return CLOSE if near else DIFFERS


def _emails(a: frozenset[str], b: frozenset[str]) -> str:
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
                best = PARTIAL  # the same mailbox name at another provider
            elif (
                Levenshtein.normalized_similarity(x, y) >= 0.8  # noqa: PLR2004 - a typo or three
                and Levenshtein.normalized_similarity(x_mailbox, y_mailbox) >= 0.75  # noqa: PLR2004
            ):
                return CLOSE
    return best


def _address(a: str | None, b: str | None) -> str:
    if not a or not b:
        return UNKNOWN
    if a == b:
        return EXACT
    return CLOSE if token_set_ratio(a, b) >= 90 else DIFFERS  # noqa: PLR2004


def _postcode(a: Features, b: Features) -> str:
    if not a.postcode or not b.postcode:
        return UNKNOWN
    if a.postcode == b.postcode:
        return EXACT
    return CLOSE if a.postcode_district == b.postcode_district else DIFFERS
