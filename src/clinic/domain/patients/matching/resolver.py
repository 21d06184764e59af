"""Identity resolution of a set of records: decisions per candidate pair, then clusters."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from clinic.domain.patients.matching.blocking import DEFAULT_MAX_BLOCK, candidate_pairs
from clinic.domain.patients.matching.blocklist import BlockList
from clinic.domain.patients.matching.clusters import Clusters
from clinic.domain.patients.matching.decisions import (
    DISTINCT_PEOPLE_RULE,
    EMAIL_RULE,
    PHONE_RULE,
    SCORE_RULE,
    SOURCE_RECORD_RULE,
    MatchDecision,
    MatchOutcome,
    Thresholds,
)
from clinic.domain.patients.matching.features import Features
from clinic.domain.patients.matching.record import MatchRecord
from clinic.domain.patients.matching.scoring import DIFFERS, Scorer

_CONFLICTS = ("birth_date", "sex", "given_name")
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
class Resolver:
    """Finds which records describe the same person.

    Deterministic rules come first: the same (source, external id) always merges; the same phone
    or e-mail merges unless birth date, sex or given name differ (then the score decides). Other
    pairs merge at `thresholds.merge` and are suggested from `thresholds.suggest`. Blocked phones
    and e-mails count as missing; rejected pairs are never merged or suggested.
    """

    thresholds: Thresholds = field(default_factory=Thresholds)
    blocklist: BlockList = field(default_factory=BlockList)
    scorer: Scorer = field(default_factory=Scorer)
    max_block: int = DEFAULT_MAX_BLOCK

    def features(self, record: MatchRecord) -> Features:
        return Features.of(record, self.blocklist)

    def decide(self, a: Features, b: Features, scorer: Scorer | None = None) -> MatchDecision:
        """The decision on one pair, ignoring clusters and rejections."""
        ids = (
            (a.record_id, b.record_id) if a.record_id <= b.record_id else (b.record_id, a.record_id)
        )
        score = (scorer or self.scorer).score(a, b)
        rule = _deterministic_rule(a, b)
        if rule == SOURCE_RECORD_RULE or (
            rule and not any(score.level(name) == DIFFERS for name in _CONFLICTS)
        ):
            return MatchDecision(ids, MatchOutcome.MERGE, rule, score.total, score.agreements)
        if score.total >= self.thresholds.merge:
            outcome = MatchOutcome.MERGE
        elif score.total >= self.thresholds.suggest:
            outcome = MatchOutcome.SUGGEST
        else:
            outcome = MatchOutcome.NO_MATCH
        return MatchDecision(ids, outcome, SCORE_RULE, score.total, score.agreements)

    def resolve(
        self, records: Iterable[MatchRecord], rejected: Collection[frozenset[str]] = ()
    ) -> Resolution:
        """Clusters `records`; the result does not depend on their order."""
        features = sorted((self.features(r) for r in records), key=lambda f: f.record_id)
        _check_unique(features)
        rejected = frozenset(rejected)
        scorer = self.scorer.with_common_values(features)
        decisions: list[MatchDecision] = []
        compared = 0
        for i, j in candidate_pairs(features, self.max_block):
            compared += 1
            a, b = features[i], features[j]
            if frozenset((a.record_id, b.record_id)) in rejected:
                continue
            decision = self.decide(a, b, scorer)
            if decision.outcome is not MatchOutcome.NO_MATCH:
                decisions.append(decision)
        return self._cluster(features, decisions, rejected, compared)

    def _cluster(
        self,
        features: list[Features],
        decisions: list[MatchDecision],
        rejected: frozenset[frozenset[str]],
        compared: int,
    ) -> Resolution:
        clusters = Clusters(features, rejected)
        decisions.sort(key=lambda d: (_RULE_ORDER[d.rule], -d.score, d.record_ids))
        merges: list[MatchDecision] = []
        suggestions: list[MatchDecision] = []
        for decision in decisions:
            a, b = decision.record_ids
            if decision.outcome is MatchOutcome.SUGGEST:
                suggestions.append(decision)
            elif clusters.can_merge(a, b):
                clusters.merge(a, b)
                merges.append(decision)
            else:
                suggestions.append(_refused(decision))
        open_suggestions = tuple(s for s in suggestions if not clusters.same(*s.record_ids))
        return Resolution(clusters.groups(), tuple(merges), open_suggestions, compared)


def _deterministic_rule(a: Features, b: Features) -> str | None:
    if a.source_key and a.source_key == b.source_key:
        return SOURCE_RECORD_RULE
    if a.phones and not a.phones.isdisjoint(b.phones):
        return PHONE_RULE
    if a.emails and not a.emails.isdisjoint(b.emails):
        return EMAIL_RULE
    return None


def _refused(decision: MatchDecision) -> MatchDecision:
    return MatchDecision(
        decision.record_ids,
        MatchOutcome.SUGGEST,
        DISTINCT_PEOPLE_RULE,
        decision.score,
        decision.agreements,
    )


def _check_unique(features: list[Features]) -> None:
    for previous, current in pairwise(features):
        if previous.record_id == current.record_id:
            raise ValueError(f"record id {current.record_id!r} appears twice")
