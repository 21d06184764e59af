"""Identity resolution of a set of records: decisions per candidate pair, then clusters."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from clinic.domain.patients.matching.blocking import (
    DEFAULT_MAX_BLOCK,
    DEFAULT_WINDOW,
    candidate_pairs,
)
from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.clusters import Clusters, refusal_between
from clinic.domain.patients.matching.comparisons import CLOSE, DIFFERS, EXACT
from clinic.domain.patients.matching.decisions import (
    DISTINCT_PEOPLE_RULE,
    EMAIL_RULE,
    FAMILY_RULE,
    PHONE_RULE,
    SCORE_RULE,
    SINGLE_LINK_RULE,
    SOURCE_RECORD_RULE,
    MatchDecision,
    MatchOutcome,
    Thresholds,
)
from clinic.domain.patients.matching.estimation import Population, match_share, sample_pairs
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.frequencies import MIN_RECORDS
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.scoring import FIELDS, Levels, Scorer, Values, compare

REFERENCE_SHARE = 2.0**-12
"""The share of pairs that match in a typical import (about 10% near-duplicates among 1,000
rows: a hundred matching pairs in half a million); thresholds are meant for it."""
PRIOR_RANGE = (-4.0, 6.0)
"""How far a batch's own share of matches may move its scores, in bits."""

_SURNAME, _GIVEN, _BIRTH, _SEX = (FIELDS.index(n) for n in ("surname", "given_name", "birth_date", "sex"))
_SHARED = tuple(FIELDS.index(n) for n in ("phone", "email", "address", "postcode"))
_CONFLICTS = (_BIRTH, _SEX, _GIVEN)
"""A shared phone or e-mail merges outright only if none of these differ: families share them."""
_RULE_ORDER = {SOURCE_RECORD_RULE: 0, PHONE_RULE: 1, EMAIL_RULE: 1, SCORE_RULE: 2}


@dataclass(frozen=True, slots=True)
class Resolution:
    """Profiles found (clusters of record ids), the merges and suggestions behind them."""

    clusters: tuple[tuple[str, ...], ...]
    merges: tuple[MatchDecision, ...]
    suggestions: tuple[MatchDecision, ...]
    pairs_compared: int


@dataclass(frozen=True, slots=True)
class _Pair:
    a: Features
    b: Features
    levels: Levels
    values: Values
    total: float
    rule: str


@dataclass(frozen=True, slots=True)
class Resolver:
    """Finds which records describe the same person.

    Deterministic rules come first: the same (source, external id) always merges; the same phone
    or e-mail merges unless birth date, sex or given name differ (then the score decides). Other
    pairs merge at `thresholds.merge` and are suggested from `thresholds.suggest`, except family
    members: different given names with a shared contact or address, or with the same surname
    and birth date (twins), are only suggested. Blocked phones and e-mails count as missing;
    rejected pairs are never merged or suggested. `Clusters` keeps chains from joining people
    who differ as wholes.

    `resolve` adds to each score the batch's prior: log2 of its share of matching pairs (an
    unsupervised estimate) over `REFERENCE_SHARE`, within `PRIOR_RANGE`. Where duplicates are
    dense, as in a file of one clinic's repeated registrations, the same evidence is likelier
    to name one person than among a million strangers.
    """

    thresholds: Thresholds = field(default_factory=Thresholds)
    blocklist: BlockList = field(default_factory=BlockList)
    scorer: Scorer = field(default_factory=Scorer)
    max_block: int = DEFAULT_MAX_BLOCK
    window: int = DEFAULT_WINDOW

    def features(self, record: MatchRecord) -> Features:
        return Features.of(record, self.blocklist)

    def decide(self, a: Features, b: Features, scorer: Scorer | None = None) -> MatchDecision:
        """The decision on one pair, ignoring clusters and rejections (a merge the two records
        alone show to join different people becomes a suggestion)."""
        levels, values = compare(a, b)
        scorer = scorer or self.scorer
        pair = _Pair(a, b, levels, values, scorer.total(levels, values), _rule(a, b, levels))
        decision = self._decision(pair, scorer, 0.0)
        if decision.outcome is MatchOutcome.MERGE and refusal_between(
            a, b, by_score=decision.rule == SCORE_RULE
        ):
            return _suggestion(decision, DISTINCT_PEOPLE_RULE)
        return decision

    def resolve(
        self, records: Iterable[MatchRecord], rejected: Collection[frozenset[str]] = ()
    ) -> Resolution:
        """Clusters `records`; the result does not depend on their order."""
        features = sorted((self.features(r) for r in records), key=lambda f: f.record_id)
        _check_unique(features)
        rejected = frozenset(rejected)
        scorer = self.scorer.with_common_values(features)
        sample = sample_pairs(len(features)) if len(features) >= MIN_RECORDS else set()
        scores: Counter[float] = Counter()
        kept: list[_Pair] = []
        lowest = self.thresholds.suggest - PRIOR_RANGE[1]
        compared = 0
        for i, j in candidate_pairs(features, self.max_block, self.window):
            compared += 1
            sample.discard((i, j))
            a, b = features[i], features[j]
            levels, values = compare(a, b)
            total = scorer.total(levels, values)
            scores[round(total, 1)] += 1
            rule = _rule(a, b, levels)
            if rule != SCORE_RULE or total >= lowest:
                kept.append(_Pair(a, b, levels, values, total, rule))
        prior = self._prior(features, scorer, scores, sample, compared)
        lowest = self.thresholds.suggest - prior
        decisions = [
            self._decision(pair, scorer, prior)
            for pair in kept
            if (pair.rule != SCORE_RULE or pair.total >= lowest)
            and frozenset((pair.a.record_id, pair.b.record_id)) not in rejected
        ]
        return self._cluster(features, decisions, rejected, compared)

    def _decision(self, pair: _Pair, scorer: Scorer, prior: float) -> MatchDecision:
        score = scorer.explain(pair.levels, pair.values)
        total = score.total + prior
        ids = (pair.a.record_id, pair.b.record_id)
        ids = ids if ids[0] <= ids[1] else (ids[1], ids[0])
        if pair.rule != SCORE_RULE:
            return MatchDecision(ids, MatchOutcome.MERGE, pair.rule, total, score.agreements)
        if total >= self.thresholds.merge:
            outcome, rule = MatchOutcome.MERGE, SCORE_RULE
            if _family(pair.levels):
                outcome, rule = MatchOutcome.SUGGEST, FAMILY_RULE
        elif total >= self.thresholds.suggest:
            outcome, rule = MatchOutcome.SUGGEST, SCORE_RULE
        else:
            outcome, rule = MatchOutcome.NO_MATCH, SCORE_RULE
        return MatchDecision(ids, outcome, rule, total, score.agreements)

    def _prior(
        self,
        features: list[Features],
        scorer: Scorer,
        scores: Counter[float],
        sample: set[tuple[int, int]],
        compared: int,
    ) -> float:
        """The batch's prior in bits (0 for fewer than MIN_RECORDS records)."""
        if len(features) < MIN_RECORDS:
            return 0.0
        sampled = [
            scorer.total(*compare(features[i], features[j])) for i, j in sorted(sample)
        ]
        share = match_share(scores, sampled, Population(len(features), compared))
        if not share:
            return 0.0
        low, high = PRIOR_RANGE
        return max(low, min(high, math.log2(share / REFERENCE_SHARE)))

    def _cluster(
        self,
        features: list[Features],
        decisions: list[MatchDecision],
        rejected: frozenset[frozenset[str]],
        compared: int,
    ) -> Resolution:
        clusters = Clusters(features, rejected)
        decisions.sort(key=lambda d: (_RULE_ORDER.get(d.rule, 2), -d.score, d.record_ids))
        merges: list[MatchDecision] = []
        suggestions: list[MatchDecision] = []
        for decision in decisions:
            a, b = decision.record_ids
            by_score = decision.rule == SCORE_RULE
            if decision.outcome is MatchOutcome.SUGGEST:
                suggestions.append(decision)
            elif clusters.refusal(a, b, by_score=by_score):
                suggestions.append(_suggestion(decision, DISTINCT_PEOPLE_RULE))
            elif by_score and not clusters.supported(a, b):
                suggestions.append(_suggestion(decision, SINGLE_LINK_RULE))
            else:
                clusters.merge(a, b)
                merges.append(decision)
        open_suggestions = tuple(s for s in suggestions if not clusters.same(*s.record_ids))
        return Resolution(clusters.groups(), tuple(merges), open_suggestions, compared)


def _rule(a: Features, b: Features, levels: Levels) -> str:
    """The rule that merges the pair outright, or SCORE_RULE when the score decides."""
    if a.source_key and a.source_key == b.source_key:
        return SOURCE_RECORD_RULE
    if any(levels[index] == DIFFERS for index in _CONFLICTS):
        return SCORE_RULE
    if a.phones and not a.phones.isdisjoint(b.phones):
        return PHONE_RULE
    if a.emails and not a.emails.isdisjoint(b.emails):
        return EMAIL_RULE
    return SCORE_RULE


def _family(levels: Levels) -> bool:
    """Different given names and a shared phone, e-mail, address or postcode, or the same
    surname and birth date: relatives, who must not merge without an administrator."""
    if levels[_GIVEN] != DIFFERS:
        return False
    if any(levels[index] == EXACT for index in _SHARED):
        return True
    return levels[_SURNAME] in (EXACT, CLOSE) and levels[_BIRTH] == EXACT


def _suggestion(decision: MatchDecision, rule: str) -> MatchDecision:
    return MatchDecision(
        decision.record_ids, MatchOutcome.SUGGEST, rule, decision.score, decision.agreements
    )


def _check_unique(features: list[Features]) -> None:
    for previous, current in pairwise(features):
        if previous.record_id == current.record_id:
            raise ValueError(f"record id {current.record_id!r} appears twice")
