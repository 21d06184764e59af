"""What the resolver decided about one pair of records, and the thresholds it decides by."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clinic.domain.patients.matching.scoring import Agreement

SOURCE_RECORD_RULE = "source_record"
PHONE_RULE = "phone"
EMAIL_RULE = "email"
SCORE_RULE = "score"
DISTINCT_PEOPLE_RULE = "distinct_people"  # a merge that would join two different people
FAMILY_RULE = "family"  # given names differ, contacts or surname and birth date shared
SINGLE_LINK_RULE = "single_link"  # one link between two profiles of several records each


class MatchOutcome(StrEnum):
    MERGE = "merge"
    SUGGEST = "suggest"
    NO_MATCH = "no_match"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Scores (sums of log2 likelihood ratios) at which pairs merge or are suggested."""

    merge: float = 16.0
    suggest: float = 8.0

    def __post_init__(self) -> None:
        if self.suggest > self.merge:
            raise ValueError("the suggestion threshold must not exceed the merge threshold")


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """One pair's outcome: which rule decided it, its score, and the field agreements behind it."""

    record_ids: tuple[str, str]
    outcome: MatchOutcome
    rule: str
    score: float
    agreements: tuple[Agreement, ...] = ()

    @property
    def pair(self) -> frozenset[str]:
        return frozenset(self.record_ids)
