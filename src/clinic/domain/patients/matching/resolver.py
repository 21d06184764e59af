"""Identity resolution of a set of records: decisions per candidate pair, then clusters."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from operator import itemgetter

from clinic.domain.patients.matching.blocking import (
    DEFAULT_MAX_BLOCK,
    DEFAULT_WINDOW,
    candidate_partners,
)
from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.clusters import Clusters, refusal_between
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
from clinic.domain.patients.matching.estimation import match_share
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.frequencies import MIN_RECORDS
from clinic.domain.patients.matching.pairs import PairScorer, rule_of
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.scoring import Score, Scorer, compare
from clinic.domain.shared.collector import collector_paused

REFERENCE_SHARE = 2.0**-12
"""The share of pairs that match in a typical import (about 10% near-duplicates among 1,000
rows: a hundred matching pairs in half a million); thresholds are meant for it."""
PRIOR_RANGE = (-12.0, 6.0)
"""How far a batch's own share of matches may move its scores, in bits."""
REPEAT_SHARE = 0.1
"""The share of new records that repeat a listed profile, as REFERENCE_SHARE assumes."""

_RULE_ORDER = {SOURCE_RECORD_RULE: 0, PHONE_RULE: 1, EMAIL_RULE: 1, SCORE_RULE: 2, FAMILY_RULE: 2}


@dataclass(frozen=True, slots=True)
class Resolution:
    """Profiles found (clusters of record ids), the merges and suggestions behind them."""

    clusters: tuple[tuple[str, ...], ...]
    merges: tuple[MatchDecision, ...]
    suggestions: tuple[MatchDecision, ...]
    pairs_compared: int


@dataclass(frozen=True, slots=True)
class Resolver:
    """Finds which records describe the same person.

    Deterministic rules come first: the same (source, external id) always merges; the same phone
    or e-mail merges unless birth date, sex, given name or patronymic differ (then the score
    decides). Other
    pairs merge at `thresholds.merge` and are suggested from `thresholds.suggest`, except family
    members: different given names with a shared contact or address, or with the same surname
    and birth date (twins), are only suggested. Blocked phones and e-mails count as missing;
    rejected pairs are never merged or suggested. `Clusters` keeps chains from joining people
    who differ as wholes.

    `resolve` adds to each score the batch's prior: log2 of its share of matching pairs (an
    unsupervised estimate) over `REFERENCE_SHARE`, within `PRIOR_RANGE`. Where duplicates are
    dense, as in a file of one clinic's repeated registrations, the same evidence is likelier
    to name one person than among a million strangers. `decide`, for a new record and a listed
    profile, takes the list's prior (`list_prior`).
    """

    thresholds: Thresholds = field(default_factory=Thresholds)
    blocklist: BlockList = field(default_factory=BlockList)
    scorer: Scorer = field(default_factory=Scorer)
    max_block: int = DEFAULT_MAX_BLOCK
    window: int = DEFAULT_WINDOW

    def features(self, record: MatchRecord) -> Features:
        return Features.of(record, self.blocklist)

    def decide(
        self, a: Features, b: Features, scorer: Scorer | None = None, prior: float = 0.0
    ) -> MatchDecision:
        """The decision on one pair, ignoring clusters and rejections (a merge the two records
        alone show to join different people becomes a suggestion); `prior` is added to its
        score (see `list_prior`)."""
        levels, values = compare(a, b)
        scorer = scorer or self.scorer
        same_source = a.source_key and a.source_key == b.source_key
        rule = SOURCE_RECORD_RULE if same_source else rule_of(levels)
        outcome, rule = self._outcome(scorer.total(levels, values) + prior, rule)
        if outcome is MatchOutcome.MERGE and refusal_between(a, b, by_score=rule == SCORE_RULE):
            outcome, rule = MatchOutcome.SUGGEST, DISTINCT_PEOPLE_RULE
        return _decision(a, b, outcome, rule, scorer.explain(levels, values), prior)

    @staticmethod
    def list_prior(listed: int) -> float:
        """The prior, in bits, of a pair of a new record and one of `listed` profiles: a new
        record repeats one of them at most, about one in ten does (REPEAT_SHARE), so the share
        of matching pairs falls as the list grows. Among a million patients, strangers share a
        full name, a town and a birth year daily; the same evidence says less than among a
        thousand, and a merge by score needs more of it. A short list is no sign of dense
        duplicates (a batch's own estimate may be), so this prior never adds to a score."""
        return min(0.0, _bits(REPEAT_SHARE / listed)) if listed > 0 else 0.0

    def resolve(
        self, records: Iterable[MatchRecord], rejected: Collection[frozenset[str]] = ()
    ) -> Resolution:
        """Clusters `records`; the result does not depend on their order."""
        with collector_paused():
            return self._resolve(records, rejected)

    def _resolve(
        self, records: Iterable[MatchRecord], rejected: Collection[frozenset[str]]
    ) -> Resolution:
        features = sorted((self.features(r) for r in records), key=lambda f: f.record_id)
        _check_unique(features)
        scorer = self.scorer.with_common_values(features)
        pair_scorer = PairScorer(features, scorer)
        links: list[_Link] = []
        lowest = self.thresholds.suggest - PRIOR_RANGE[1]
        partners = candidate_partners(features, self.max_block, self.window)
        for i, later in enumerate(partners):
            for j, total, rule in pair_scorer.links(i, later, lowest):
                links.append((_RULE_ORDER[rule], -total, i, j, rule))
        compared = len(pair_scorer.scores)
        prior = _prior(len(features), _histogram(pair_scorer.scores))
        lowest = self.thresholds.suggest - prior
        links = [link for link in links if -link[1] >= lowest or link[0] < _BY_SCORE]
        return self._cluster(_Batch(features, scorer, prior), links, rejected, compared)

    def _outcome(self, score: float, rule: str) -> tuple[MatchOutcome, str]:
        """What a pair's score and rule decide (FAMILY_RULE: a score pair of relatives)."""
        if rule not in (SCORE_RULE, FAMILY_RULE):
            return MatchOutcome.MERGE, rule
        if score >= self.thresholds.merge:
            if rule == FAMILY_RULE:
                return MatchOutcome.SUGGEST, FAMILY_RULE
            return MatchOutcome.MERGE, SCORE_RULE
        if score >= self.thresholds.suggest:
            return MatchOutcome.SUGGEST, SCORE_RULE
        return MatchOutcome.NO_MATCH, SCORE_RULE

    def _cluster(
        self,
        batch: _Batch,
        links: list[_Link],
        rejected: Collection[frozenset[str]],
        compared: int,
    ) -> Resolution:
        """Merges in order (source records, then shared contacts, then by score, strongest
        first) as far as `Clusters` allows. Decisions are built only for the merges that join
        clusters and for the strongest suggestion between two profiles left apart."""
        ids, clusters = batch.ids, Clusters(batch.features, rejected)
        rejected_ids = {tuple(sorted(pair)) for pair in rejected}
        _sort(links)
        merges: list[MatchDecision] = []
        suggestions: list[tuple[_Link, str]] = []
        find = clusters.find
        for link in links:
            _, negative, i, j, rule = link
            a, b = ids[i], ids[j]
            if find(a) == find(b) or (rejected_ids and (a, b) in rejected_ids):
                continue  # (a suggestion within one profile would be dropped anyway)
            outcome, rule = self._outcome(batch.prior - negative, rule)
            if outcome is MatchOutcome.SUGGEST:
                suggestions.append((link, rule))
            elif _refused(clusters, batch.features[i], batch.features[j], rule):
                suggestions.append((link, DISTINCT_PEOPLE_RULE))
            elif rule == SCORE_RULE and not clusters.supported(a, b):
                suggestions.append((link, SINGLE_LINK_RULE))
            else:
                clusters.merge(a, b)
                merges.append(batch.decision(link, MatchOutcome.MERGE, rule))
        return Resolution(
            clusters.groups(), tuple(merges), self._open(batch, clusters, suggestions), compared
        )

    def _open(
        self, batch: _Batch, clusters: Clusters, suggestions: list[tuple[_Link, str]]
    ) -> tuple[MatchDecision, ...]:
        """The first (strongest) suggestion between each two profiles left apart."""
        seen: set[tuple[str, str]] = set()
        open_suggestions: list[MatchDecision] = []
        ids, find = batch.ids, clusters.find
        for link, rule in suggestions:
            one, other = find(ids[link[2]]), find(ids[link[3]])
            key = (one, other) if one < other else (other, one)
            if one != other and key not in seen:
                seen.add(key)
                open_suggestions.append(batch.decision(link, MatchOutcome.SUGGEST, rule))
        return tuple(open_suggestions)


_Link = tuple[int, float, int, int, str]
"""A pair worth deciding, in the order pairs are decided: rule order, minus the score (without
the prior), positions i < j, rule (SCORE_RULE, FAMILY_RULE or a deterministic rule)."""
_BY_SCORE = _RULE_ORDER[SCORE_RULE]


def _sort(links: list[_Link]) -> None:
    """Sorts links made in the order of their positions (i, j) as tuples sort, faster: two
    stable sorts by one number each."""
    links.sort(key=itemgetter(1))
    links.sort(key=itemgetter(0))


@dataclass(frozen=True, slots=True)
class _Batch:
    """What decisions in one `resolve` share."""

    features: list[Features]
    scorer: Scorer
    prior: float
    ids: list[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", [f.record_id for f in self.features])

    def decision(self, link: _Link, outcome: MatchOutcome, rule: str) -> MatchDecision:
        """The decision on a link, its agreements compared again (cheap: comparisons are
        cached, and few links become decisions)."""
        a, b = self.features[link[2]], self.features[link[3]]
        return _decision(a, b, outcome, rule, self.scorer.explain(*compare(a, b)), self.prior)


def _histogram(scores: Iterable[float]) -> dict[float, int]:
    """Scores rounded to a tenth, counted, in ascending order: `match_share` sums over them,
    and a float sum depends on its order (each distinct score is rounded once)."""
    histogram: Counter[float] = Counter()
    for score, count in Counter(scores).items():
        histogram[round(score, 1)] += count
    return dict(sorted(histogram.items()))


def _refused(clusters: Clusters, a: Features, b: Features, rule: str) -> bool:
    """Whether the pair's clusters, or the two records themselves, are refused a merge: a
    cluster's other records may agree on a place with one of them that the other does not
    share, and what would not merge alone must not merge in a batch either."""
    by_score = rule == SCORE_RULE
    return bool(
        clusters.refusal(a.record_id, b.record_id, by_score=by_score)
        or refusal_between(a, b, by_score=by_score)
    )


def _prior(size: int, scores: dict[float, int]) -> float:
    """A batch's prior in bits: log2 of its estimated share of matching pairs over the
    reference share, within PRIOR_RANGE (0 for fewer than MIN_RECORDS records)."""
    if size < MIN_RECORDS:
        return 0.0
    share = match_share(scores, size * (size - 1) // 2)
    return _bits(share) if share else 0.0


def _bits(share: float) -> float:
    """A share of matching pairs as a prior: log2 of it over REFERENCE_SHARE, within
    PRIOR_RANGE."""
    low, high = PRIOR_RANGE
    return max(low, min(high, math.log2(share / REFERENCE_SHARE)))


def _decision(
    a: Features, b: Features, outcome: MatchOutcome, rule: str, score: Score, prior: float
) -> MatchDecision:
    ids = (a.record_id, b.record_id) if a.record_id <= b.record_id else (b.record_id, a.record_id)
    return MatchDecision(ids, outcome, rule, score.total + prior, score.agreements)


def _check_unique(features: list[Features]) -> None:
    for previous, current in pairwise(features):
        if previous.record_id == current.record_id:
            raise ValueError(f"record id {current.record_id!r} appears twice")
