"""Unsupervised estimates from the records themselves (expectation–maximisation, no labels).

Every pair of records is either a match or not, and the candidate pairs hold nearly all the
matches. `match_share` estimates λ, the share of all pairs that match, from the candidates'
scores alone; the resolver turns it into the prior of a batch. `fit_weights` estimates m and u
per field level, and so the weights log2(m/u), from the candidates' levels and a random sample of
the other pairs standing for the rest; it is run offline (`python -m bench.identity_resolution
--fit`, labels unused) to set the constants in `scoring.DEFAULT_WEIGHTS`.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clinic.domain.patients.matching.comparisons import EXACT, UNKNOWN

SAMPLE = 20_000
"""Random pairs drawn to stand for the pairs that blocking did not compare."""
_ITERATIONS = 60
_SEED = 20_240_601
_SMOOTHING = 1e-6


@dataclass(frozen=True, slots=True)
class Population:
    """The pairs of `size` records: candidate pairs counted apart, the rest sampled."""

    size: int
    candidates: int

    @property
    def pairs(self) -> int:
        return self.size * (self.size - 1) // 2

    @property
    def others(self) -> int:
        return max(0, self.pairs - self.candidates)


def sample_pairs(size: int, count: int = SAMPLE) -> set[tuple[int, int]]:
    """Up to `count` distinct random positions (i < j) among `size` records, the same every
    time for the same size. Callers drop the candidate pairs from it."""
    if size < 2:  # noqa: PLR2004 - a pair needs two
        return set()
    rng = random.Random(_SEED + size)  # noqa: S311 - a sample, not a secret
    count = min(count, size * (size - 1) // 2)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < count:
        i, j = rng.randrange(size), rng.randrange(size)
        if i != j:
            pairs.add((i, j) if i < j else (j, i))
    return pairs


def match_share(candidate_scores: Mapping[float, int], pairs: int) -> float:
    """λ: the share of all `pairs` that match, if a score is log2 of the likelihood ratio.

    `candidate_scores` counts the scores of the candidate pairs (rounded, as a histogram). The
    pairs blocking did not compare are taken for non-matches: the few matches among them would
    need a sample of millions to be counted, and a small sample only adds noise.
    """
    if not pairs or not candidate_scores:
        return 0.0
    share = 1.0 / pairs
    for _ in range(_ITERATIONS):
        prior = math.log2(share / (1.0 - share))
        expected = sum(count * _posterior(s, prior) for s, count in candidate_scores.items())
        share = min(0.5, max(1.0 / pairs, expected / pairs))
    return share


Weights = dict[str, dict[str, float]]


def fit_weights(
    fields: Sequence[str],
    candidate_levels: Mapping[tuple[str, ...], int],
    sample_levels: Mapping[tuple[str, ...], int],
    population: Population,
) -> tuple[Weights, float]:
    """log2(m/u) per field and level, and λ, by EM over the two-class mixture of level patterns.

    Patterns map a tuple of levels (one per field of `fields`) to how many pairs show it;
    the sample stands for `population.others` pairs. Unknown levels are left out, as in scoring.
    """
    scale = population.others / max(1, sum(sample_levels.values()))
    patterns: defaultdict[tuple[str, ...], float] = defaultdict(float, candidate_levels)
    for pattern, sampled in sample_levels.items():
        patterns[pattern] += sampled * scale
    levels = [{p[k] for p in patterns} - {UNKNOWN} for k in range(len(fields))]
    m = [{lv: 0.9 if lv == EXACT else 0.1 for lv in options} for options in levels]
    u = [{lv: 0.01 if lv == EXACT else 0.99 for lv in options} for options in levels]
    share = max(1, population.candidates) / max(1, population.pairs) / 2
    for _ in range(_ITERATIONS):
        match_counts: list[defaultdict[str, float]] = [defaultdict(float) for _ in fields]
        other_counts: list[defaultdict[str, float]] = [defaultdict(float) for _ in fields]
        matched = 0.0
        for pattern, count in patterns.items():
            p_match, p_other = share, 1.0 - share
            for k, level in enumerate(pattern):
                if level != UNKNOWN:
                    p_match *= m[k][level]
                    p_other *= u[k][level]
            weight = p_match / (p_match + p_other)
            matched += weight * count
            for k, level in enumerate(pattern):
                if level != UNKNOWN:
                    match_counts[k][level] += weight * count
                    other_counts[k][level] += (1.0 - weight) * count
        share = matched / sum(patterns.values())
        m = [_normalised(match_counts[k], levels[k]) for k in range(len(fields))]
        u = [_normalised(other_counts[k], levels[k]) for k in range(len(fields))]
    weights = {
        name: {level: math.log2(m[k][level] / u[k][level]) for level in sorted(levels[k])}
        for k, name in enumerate(fields)
        if levels[k]
    }
    return weights, share


def _posterior(score: float, prior: float) -> float:
    odds = score + prior
    if odds < -60:  # noqa: PLR2004 - 2**-60 is nothing
        return 0.0
    return 1.0 / (1.0 + math.exp2(-odds))


def _normalised(counts: Mapping[str, float], options: set[str]) -> dict[str, float]:
    total = sum(counts.values()) + _SMOOTHING * len(options)
    return {level: (counts.get(level, 0.0) + _SMOOTHING) / total for level in options}
