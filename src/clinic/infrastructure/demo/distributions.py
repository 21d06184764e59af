"""Weighted random choices drawn from one seeded `random.Random`, cheap enough for millions."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items with relative weights; `pick` costs one `random()` and one bisection."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if len(items) != len(weights) or not items:
            raise ValueError("need one weight per item and at least one item")
        self.items = tuple(items)
        self._cumulative = list(accumulate(weights))
        self._total = self._cumulative[-1]
        self._last = len(self.items) - 1

    def pick(self, rng: random.Random) -> T:
        index = bisect(self._cumulative, rng.random() * self._total)
        return self.items[min(index, self._last)]


def by_rank(items: Sequence[T], flatness: float = 10.0) -> Weighted[T]:
    """Zipf-like weights for a list ordered from most to least common (e.g. surnames)."""
    return Weighted(items, [1.0 / (rank + flatness) for rank in range(len(items))])


def favouring(items: Sequence[T], favourites: set[T], boost: float) -> Weighted[T]:
    """Every item possible, the `favourites` `boost` times as likely as the rest."""
    return Weighted(items, [boost if item in favourites else 1.0 for item in items])
