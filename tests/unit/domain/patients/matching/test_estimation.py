from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from clinic.domain.patients.matching.estimation import (
    Population,
    fit_weights,
    match_share,
    sample_pairs,
)


class TestMatchShare:
    def test_finds_the_share_of_matches_from_scores_alone(self) -> None:
        pairs = 1_000_000
        scores = Counter({20.0: 900, 12.0: 100, -10.0: 50_000, 2.0: 500})
        share = match_share(scores, pairs)
        assert 900 / pairs < share < 1_600 / pairs  # the sure ones, some of the doubtful

    def test_no_candidates_no_matches(self) -> None:
        assert match_share(Counter(), 1_000) == 0.0


class TestFitWeights:
    def test_recovers_the_weights_of_a_known_mixture(self) -> None:
        fields = ("surname", "given_name", "birth_date", "city")
        m = {"exact": 0.9, "differs": 0.1}
        u = {"exact": 0.02, "differs": 0.98}
        rng = random.Random(1)
        matches, others = 2_000, 200_000

        def draw(probabilities: dict[str, float]) -> str:
            return "exact" if rng.random() < probabilities["exact"] else "differs"

        candidates = Counter(tuple(draw(m) for _ in fields) for _ in range(matches))
        candidates += Counter(tuple(draw(u) for _ in fields) for _ in range(others))
        population = Population(size=1_000, candidates=matches + others)
        weights, share = fit_weights(fields, candidates, Counter(), population)
        for name in fields:
            assert weights[name]["exact"] == pytest.approx(math.log2(0.9 / 0.02), abs=0.3)
            assert weights[name]["differs"] == pytest.approx(math.log2(0.1 / 0.98), abs=0.3)
        assert share == pytest.approx(matches / (matches + others), rel=0.2)


class TestSamplePairs:
    def test_the_same_for_the_same_size(self) -> None:
        assert sample_pairs(500, 100) == sample_pairs(500, 100)
        assert all(0 <= i < j < 500 for i, j in sample_pairs(500, 100))

    def test_never_more_than_there_are(self) -> None:
        assert len(sample_pairs(4, 100)) == 6
