"""Union-find over records that keeps distinct people apart.

A chain of near-matches (A~B, B~C) could join people who clearly differ (A, C), so a merge
joins two clusters only if, taken as wholes, they may be one person:

- every birth date of one may be a version of every birth date of the other (within ten years
  or a typo apart), their sexes overlap wherever both know them, and no rejected pair would end
  up in one cluster (`refusal`, for every merge);
- for merges by score only (no shared contact or source record): they do not name different
  places throughout (no city, no postcode district in common), nor different people throughout
  (no surname and no given name in common, allowing for typos, initials, diminutives and swaps);
- and two clusters of several records each need two links between them, not one (`supported`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from clinic.domain.patients.matching.comparisons import (
    CLOSE,
    DIFFERS,
    EXACT,
    SIMILAR,
    UNKNOWN,
    birth_dates_agree,
    given_level,
    places_agree,
    text_level,
)
from clinic.domain.patients.matching.features import Birth, Features

SEX, BIRTH_DATE, REJECTED, PLACE, NAMES = "sex", "birth_date", "rejected", "place", "names"
"""Why two clusters may not merge."""
_NAMED = (EXACT, CLOSE, SIMILAR)


@dataclass(slots=True)
class _Cluster:
    """What a cluster's records say about who it is."""

    members: list[str]
    sexes: set[str] = field(default_factory=set)
    births: set[Birth] = field(default_factory=set)
    cities: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    givens: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def of(cls, record: Features) -> _Cluster:
        return cls(
            members=[record.record_id],
            sexes={record.sex} if record.sex else set(),
            births={record.birth} if record.birth else set(),
            cities={record.city} if record.city else set(),
            districts={record.postcode_district} if record.postcode_district else set(),
            surnames={record.surname} if record.surname else set(),
            givens={(record.given, record.given_canonical or record.given)}
            if record.given
            else set(),
        )

    def absorb(self, other: _Cluster) -> None:
        self.members += other.members
        self.sexes |= other.sexes
        self.births |= other.births
        self.cities |= other.cities
        self.districts |= other.districts
        self.surnames |= other.surnames
        self.givens |= other.givens


class Clusters:
    def __init__(
        self, records: Iterable[Features], rejected: Collection[frozenset[str]] = ()
    ) -> None:
        self._parent: dict[str, str] = {}
        self._clusters: dict[str, _Cluster] = {}
        for record in records:
            self._parent[record.record_id] = record.record_id
            self._clusters[record.record_id] = _Cluster.of(record)
        self._rejected: dict[str, set[str]] = {}
        for pair in rejected:
            a, b = sorted(pair)
            self._rejected.setdefault(a, set()).add(b)
            self._rejected.setdefault(b, set()).add(a)
        self._links: Counter[tuple[str, str]] = Counter()

    def find(self, record_id: str) -> str:
        root = record_id
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[record_id] != root:
            self._parent[record_id], record_id = root, self._parent[record_id]
        return root

    def same(self, a: str, b: str) -> bool:
        return self.find(a) == self.find(b)

    def can_merge(self, a: str, b: str) -> bool:
        return self.refusal(a, b) is None

    def refusal(self, a: str, b: str, *, by_score: bool = False) -> str | None:
        """Why the clusters of `a` and `b` may not merge, or None. `by_score`: the merge rests
        on the score alone, so places and names are checked too."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return None
        one, other = self._clusters[root_a], self._clusters[root_b]
        if one.sexes and other.sexes and one.sexes.isdisjoint(other.sexes):
            return SEX
        if not all(birth_dates_agree(x, y) for x in one.births for y in other.births):
            return BIRTH_DATE
        if self._rejected_between(root_a, root_b):
            return REJECTED
        if by_score and _places_differ(one, other):
            return PLACE
        if by_score and _names_differ(one, other):
            return NAMES
        return None

    def supported(self, a: str, b: str) -> bool:
        """Whether a link joins the clusters of `a` and `b` with enough support: any link may
        join a single record to a cluster, but two clusters of several records need two."""
        root_a, root_b = self.find(a), self.find(b)
        if min(len(self._clusters[root_a].members), len(self._clusters[root_b].members)) < 2:  # noqa: PLR2004
            return True
        key = (root_a, root_b) if root_a < root_b else (root_b, root_a)
        self._links[key] += 1
        return self._links[key] >= 2  # noqa: PLR2004

    def merge(self, a: str, b: str) -> None:
        """Joins the clusters of `a` and `b` (callers check `refusal` first)."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        if len(self._clusters[root_a].members) < len(self._clusters[root_b].members):
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        self._clusters[root_a].absorb(self._clusters.pop(root_b))

    def groups(self) -> tuple[tuple[str, ...], ...]:
        """Every cluster as sorted ids, in the order of their smallest id."""
        return tuple(sorted(tuple(sorted(c.members)) for c in self._clusters.values()))

    def _rejected_between(self, root_a: str, root_b: str) -> bool:
        small, large = sorted((root_a, root_b), key=lambda root: len(self._clusters[root].members))
        for member in self._clusters[small].members:
            partners = self._rejected.get(member)
            if partners and any(self.find(partner) == large for partner in partners):
                return True
        return False


def refusal_between(a: Features, b: Features, *, by_score: bool) -> str | None:
    """`Clusters.refusal` for two records on their own (rejections aside)."""
    return Clusters((a, b)).refusal(a.record_id, b.record_id, by_score=by_score)


def _places_differ(one: _Cluster, other: _Cluster) -> bool:
    """Both name a place, and no city or postcode district of one is one of the other's."""
    if not (one.cities or one.districts) or not (other.cities or other.districts):
        return False
    if not one.districts.isdisjoint(other.districts):
        return False
    return not any(places_agree(x, y) for x in one.cities for y in other.cities)


def _names_differ(one: _Cluster, other: _Cluster) -> bool:
    """Both have surnames and given names, and none of one resembles any of the other's."""
    if not (one.surnames and other.surnames and one.givens and other.givens):
        return False
    for given, full in one.givens:
        for other_given, other_full in other.givens:
            if given_level(given, full, other_given, other_full) not in (DIFFERS, UNKNOWN):
                return False
        if any(text_level(given, surname) in _NAMED for surname in other.surnames):
            return False
    for other_given, _ in other.givens:
        if any(text_level(other_given, surname) in _NAMED for surname in one.surnames):
            return False
    return not any(text_level(x, y) in _NAMED for x in one.surnames for y in other.surnames)
