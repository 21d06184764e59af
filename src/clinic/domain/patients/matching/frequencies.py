"""Term frequencies: agreeing on a rare value says more than agreeing on a common one.

For a field, u = Σ share(v)² is the chance that two records taken at random agree on it; the
default weight of exact agreement stands for that average value. Agreement on a value v instead
weighs log2(u / share(v)) more: negative for "Иванова", "Москва" or 1 January, positive for a
rare surname, within [-max_penalty, max_bonus]. Names are counted together (surname and given
name), so that a swapped pair is adjusted like a straight one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from clinic.domain.patients.matching.features import Features

MIN_RECORDS = 100
"""Fewer records say nothing about frequencies: no adjustments then."""
MAX_PENALTY = 5.0
MAX_BONUS = 3.0
_FIELDS = ("surname", "given_name", "birth_date", "city", "postcode")
"""The fields adjusted, in the order of a comparison's `Values`."""


@dataclass(frozen=True, slots=True)
class Frequencies:
    """Per table (names, birth dates, cities, postcodes), value → adjustment of exact weight."""

    names: Mapping[str, float] = field(default_factory=dict)
    births: Mapping[str, float] = field(default_factory=dict)
    cities: Mapping[str, float] = field(default_factory=dict)
    postcodes: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        records: list[Features],
        *,
        max_penalty: float = MAX_PENALTY,
        max_bonus: float = MAX_BONUS,
    ) -> Frequencies:
        if len(records) < MIN_RECORDS:
            return cls()

        def table(values: Iterable[str | None]) -> dict[str, float]:
            return _adjustments(Counter(v for v in values if v), max_penalty, max_bonus)

        return cls(
            names=table(value for r in records for value in (r.surname, r.given_canonical)),
            births=table(r.birth[0] if r.birth else None for r in records),
            cities=table(r.city for r in records),
            postcodes=table(r.postcode for r in records),
        )

    def adjustment(self, values: tuple[str | None, ...]) -> float:
        """The sum of the adjustments of the values a pair agrees on (see `Values`)."""
        surname, given, birth, city, postcode = values
        total = 0.0
        if surname:
            total += self.names.get(surname, 0.0)
        if given:
            total += self.names.get(given, 0.0)
        if birth:
            total += self.births.get(birth, 0.0)
        if city:
            total += self.cities.get(city, 0.0)
        if postcode:
            total += self.postcodes.get(postcode, 0.0)
        return total

    def adjustments(self, values: tuple[str | None, ...]) -> dict[str, float]:
        """Field → adjustment, for the fields a pair agrees on."""
        tables = (self.names, self.names, self.births, self.cities, self.postcodes)
        return {
            name: table.get(value, 0.0)
            for name, table, value in zip(_FIELDS, tables, values, strict=True)
            if value
        }


def _adjustments(counts: Counter[str], max_penalty: float, max_bonus: float) -> dict[str, float]:
    total = sum(counts.values())
    if not total:
        return {}
    agree = sum((count / total) ** 2 for count in counts.values())
    return {
        value: max(-max_penalty, min(max_bonus, math.log2(agree * total / count)))
        for value, count in counts.items()
    }
