"""Probabilistic scoring, Fellegi–Sunter style: a log2 likelihood-ratio weight per field.

Each field compares at one *level* (see `comparisons`). A level's weight is log2(m/u): how much
more often true matches than non-matches compare at that level. The score of a pair is the sum
over fields, so it is symmetric, and every term can be shown to the administrator as the reason
for a merge or a suggestion. Exact agreement on a frequent value says less than on a rare one:
`Frequencies` adjusts those weights by the values' shares among the records being resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from clinic.domain.patients.matching.comparisons import (
    CLOSE,
    DIFFERS,
    EXACT,
    PARTIAL,
    SIMILAR,
    UNKNOWN,
    address_level,
    birth_date_level,
    city_level,
    emails_level,
    equal_level,
    names,
    patronymic_level,
    postcode_level,
    record_phones_level,
)
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.frequencies import Frequencies

FIELDS = (
    "surname", "given_name", "patronymic", "birth_date", "sex", "phone", "email", "city",
    "address", "postcode",
)  # fmt: skip

DEFAULT_WEIGHTS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "surname": {EXACT: 9.0, CLOSE: 7.5, SIMILAR: 3.5, DIFFERS: -4.5},
        "given_name": {EXACT: 6.0, CLOSE: 5.5, SIMILAR: 4.0, PARTIAL: 3.0, DIFFERS: -4.0},
        "patronymic": {EXACT: 5.0, CLOSE: 4.0, PARTIAL: 1.0, DIFFERS: -12.0},
        "birth_date": {EXACT: 10.5, CLOSE: 6.0, PARTIAL: 0.5, SIMILAR: -3.5, DIFFERS: -6.5},
        "sex": {EXACT: 0.5, DIFFERS: -2.5},
        "phone": {EXACT: 14.0, CLOSE: 6.0, PARTIAL: 3.0, DIFFERS: -2.0},
        "email": {EXACT: 16.0, CLOSE: 12.0, PARTIAL: 8.0, DIFFERS: -3.5},
        "city": {EXACT: 5.5, CLOSE: 4.5, DIFFERS: -3.0},
        "address": {EXACT: 6.0, CLOSE: 4.0, DIFFERS: -1.0},
        "postcode": {EXACT: 16.5, CLOSE: 8.0, DIFFERS: -2.5},
    }
)
"""log2(m/u) per field and level; unknown always weighs 0.

Fitted without labels (`estimation.fit_weights`, printed by `python -m bench.identity_resolution
--fit`) on the two public labelled sets: the mean of the two fits, rounded to half a bit, no typo
weighing more than exact agreement. Where the sets say nothing the weights are set by hand:
patronymic, phone and address (in neither set; a patronymic that differs beyond a typo names
another father, hence -12), and e-mail, which only the synthetic set has (the fit gives 30 bits
and more there): exact 16, so that one shared address does not outweigh everything else, and a
mailbox at another provider 8, because `ivanov@` recurs among strangers.
"""


Levels = tuple[str, ...]
"""One level per field of `FIELDS`, in that order."""

Values = tuple[str | None, str | None, str | None, str | None, str | None]
"""The values a pair agrees on exactly: name (surname), name (given), birth date, city, postcode."""


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


def compare(a: Features, b: Features) -> tuple[Levels, Values]:
    """Every field's level, and the values behind exact agreements."""
    surname, given, surname_value, given_value = names(a, b)
    birth = birth_date_level(a.birth, b.birth)
    postcode = postcode_level(a, b)
    # A postcode names its town: when postcodes agree, the city would count the place twice.
    city = UNKNOWN if postcode in (EXACT, CLOSE) else city_level(a.city, b.city)
    levels = (
        surname,
        given,
        patronymic_level(a.patronymic, b.patronymic) if a.patronymic else UNKNOWN,
        birth,
        equal_level(a.sex, b.sex),
        record_phones_level(a, b) if a.phones else UNKNOWN,
        emails_level(a.emails, b.emails) if a.emails else UNKNOWN,
        city,
        address_level(a.address, b.address) if a.address else UNKNOWN,
        postcode,
    )  # the fields most records lack are not compared at all then
    values = (
        surname_value,
        given_value,
        a.birth[0] if birth == EXACT and a.birth else None,
        a.city if city == EXACT else None,
        a.postcode if postcode == EXACT else None,
    )
    return levels, values


class Scorer:
    """Compares two records field by field with the weights given (DEFAULT_WEIGHTS by default)
    and, when it knows them, the frequencies of values among the records being resolved."""

    def __init__(
        self,
        weights: Mapping[str, Mapping[str, float]] = DEFAULT_WEIGHTS,
        frequencies: Frequencies | None = None,
    ) -> None:
        self.weights = weights
        self.frequencies = frequencies or Frequencies()
        self._table = tuple(
            {**weights.get(name, {}), UNKNOWN: 0.0} for name in FIELDS
        )  # per field position: level → weight
        self._agreements = {
            (name, level): Agreement(name, level, weight)
            for name, levels in zip(FIELDS, self._table, strict=True)
            for level, weight in levels.items()
        }
        self._totals: dict[Levels, float] = {}  # a batch shows a few thousand patterns at most
        self._adjusts = any(
            (
                self.frequencies.names,
                self.frequencies.births,
                self.frequencies.cities,
                self.frequencies.postcodes,
            )
        )
        self._scores: dict[Levels, Score] = {}  # `explain` of patterns, when nothing is adjusted

    def with_common_values(self, records: list[Features]) -> Scorer:
        """This scorer with value frequencies taken from `records`."""
        return Scorer(self.weights, Frequencies.of(records))

    def total(self, levels: Levels, values: Values) -> float:
        """The score of a comparison (the sum of its agreements' weights)."""
        return self.weights_of(levels) + self.frequencies.adjustment(values)

    def weights_of(self, levels: Levels) -> float:
        """The sum of the weights of `levels`, frequencies aside."""
        total = self._totals.get(levels)
        if total is None:
            total = self._totals[levels] = sum(
                weights[level] for weights, level in zip(self._table, levels, strict=True)
            )
        return total

    def score(self, a: Features, b: Features) -> Score:
        return self.explain(*compare(a, b))

    def explain(self, levels: Levels, values: Values) -> Score:
        """The agreements of a comparison, frequency adjustments included in their weights."""
        adjustments = self.frequencies.adjustments(values) if self._adjusts else {}
        if not any(adjustments.values()):
            score = self._scores.get(levels)
            if score is None:
                score = self._scores[levels] = self._explain(levels, {})
            return score
        return self._explain(levels, adjustments)

    def _explain(self, levels: Levels, adjustments: dict[str, float]) -> Score:
        agreements = tuple(
            self._agreement(name, level, adjustments.get(name))
            for name, level in zip(FIELDS, levels, strict=True)
            if level != UNKNOWN
        )
        return Score(sum(agreement.weight for agreement in agreements), agreements)

    def _agreement(self, name: str, level: str, adjustment: float | None) -> Agreement:
        agreement = self._agreements[name, level]
        if not adjustment:
            return agreement
        return Agreement(name, level, agreement.weight + adjustment)
