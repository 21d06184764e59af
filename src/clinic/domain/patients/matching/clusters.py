"""Union-find over records that keeps distinct people apart.

A chain of near-matches (A~B, B~C) could join people who clearly differ (A, C), so a merge
joins two clusters only if, taken as wholes, they may be one person:

- every birth date of one may be a version of every birth date of the other (see
  `birth_dates_agree`: within ten years, or typos apart, never a generation), and so may every
  patronymic (a typo, an initial: another patronymic names another father), their sexes overlap
  wherever both know them, and no rejected pair would end up in one cluster (`refusal`, for
  every merge);
- for merges by score only (no shared contact or source record): they do not name different
  places throughout (no city, allowing for typos, and no postcode district in common);
- and two clusters of several records each need two links between them, not one (`supported`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from clinic.domain.patients.matching.comparisons import (
    DIFFERS,
    birth_dates_agree,
    patronymic_level,
    places_agree,
)
from clinic.domain.patients.matching.features import Birth, Features

SEX, BIRTH_DATE, PATRONYMIC = "sex", "birth_date", "patronymic"
REJECTED, PLACE = "rejected", "place"
"""Why two clusters may not merge."""


@dataclass(slots=True)
class _Cluster:
    """What a cluster's records say about who it is."""

    members: list[str]
    sexes: set[str] = field(default_factory=set)
    births: set[Birth] = field(default_factory=set)
    patronymics: set[str] = field(default_factory=set)
    cities: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, record: Features) -> _Cluster:
        return cls(
            members=[record.record_id],
            sexes={record.sex} if record.sex else set(),
            births={record.birth} if record.birth else set(),
            patronymics={record.patronymic} if record.patronymic else set(),
            cities={record.city} if record.city else set(),
            districts={record.postcode_district} if record.postcode_district else set(),
        )

    def absorb(self, other: _Cluster) -> None:
        self.members += other.members
        self.sexes |= other.sexes
        self.births |= other.births
        self.patronymics |= other.patronymics
        self.cities |= other.cities
        self.districts |= other.districts


class Clusters:
    def __init__(
        self, records: Iterable[Features], rejected: Collection[frozenset[str]] = ()
    ) -> None:
        self._records = {record.record_id: record for record in records}
        self._parent = {record_id: record_id for record_id in self._records}
        self._clusters: dict[str, _Cluster] = {}  # by root, made when a record is first linked
        self._rejected: dict[str, set[str]] = {}
        for pair in rejected:
            a, b = sorted(pair)
            self._rejected.setdefault(a, set()).add(b)
            self._rejected.setdefault(b, set()).add(a)
        self._links: Counter[tuple[str, str]] = Counter()

    def find(self, record_id: str) -> str:
        parent = self._parent
        root = parent[record_id]
        if root == record_id or parent[root] == root:  # (most are roots or a step from one)
            return root
        while parent[root] != root:
            root = parent[root]
        while parent[record_id] != root:
            parent[record_id], record_id = root, parent[record_id]
        return root

    def same(self, a: str, b: str) -> bool:
        return self.find(a) == self.find(b)

    def refusal(self, a: str, b: str, *, by_score: bool = False) -> str | None:
        """Why the clusters of `a` and `b` may not merge, or None. `by_score`: the merge rests
        on the score alone (no shared contact or source record), so places are checked too."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return None
        one, other = self._cluster(root_a), self._cluster(root_b)
        differs = _identity_differs(one, other)
        if differs:
            return differs
        if self._rejected_between(root_a, root_b):
            return REJECTED
        if by_score and _places_differ(one, other):
            return PLACE
        return None

    def supported(self, a: str, b: str) -> bool:
        """Whether a link joins the clusters of `a` and `b` with enough support: any link may
        join a single record to a cluster, but two clusters of several records need two."""
        root_a, root_b = self.find(a), self.find(b)
        if min(self._size(root_a), self._size(root_b)) < 2:  # noqa: PLR2004
            return True
        key = (root_a, root_b) if root_a < root_b else (root_b, root_a)
        self._links[key] += 1
        return self._links[key] >= 2  # noqa: PLR2004

    def merge(self, a: str, b: str) -> None:
        """Joins the clusters of `a` and `b` (callers check `refusal` first)."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        if self._size(root_a) < self._size(root_b):
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        absorbed = self._clusters.pop(root_b, None) or _Cluster.of(self._records[root_b])
        self._cluster(root_a).absorb(absorbed)

    def groups(self) -> tuple[tuple[str, ...], ...]:
        """Every cluster as sorted ids, in the order of their smallest id."""
        members: dict[str, list[str]] = {}
        for record_id in self._parent:
            members.setdefault(self.find(record_id), []).append(record_id)
        return tuple(sorted(tuple(sorted(group)) for group in members.values()))

    def _cluster(self, root: str) -> _Cluster:
        cluster = self._clusters.get(root)
        if cluster is None:
            cluster = self._clusters[root] = _Cluster.of(self._records[root])
        return cluster

    def _size(self, root: str) -> int:
        cluster = self._clusters.get(root)
        return len(cluster.members) if cluster else 1

    def _rejected_between(self, root_a: str, root_b: str) -> bool:
        small, large = sorted((root_a, root_b), key=self._size)
        for member in self._cluster(small).members:
            partners = self._rejected.get(member)
            if partners and any(self.find(partner) == large for partner in partners):
                return True
        return False


def refusal_between(a: Features, b: Features, *, by_score: bool) -> str | None:
    """`Clusters.refusal` for two records on their own (rejections aside)."""
    return Clusters((a, b)).refusal(a.record_id, b.record_id, by_score=by_score)


def _identity_differs(one: _Cluster, other: _Cluster) -> str | None:
    """What of who they are tells two clusters apart: sex, birth date or patronymic."""
    if one.sexes and other.sexes and one.sexes.isdisjoint(other.sexes):
        return SEX
    if not all(birth_dates_agree(x, y) for x in one.births for y in other.births):
        return BIRTH_DATE
    if any(patronymic_level(x, y) == DIFFERS for x in one.patronymics for y in other.patronymics):
        return PATRONYMIC
    return None


def _places_differ(one: _Cluster, other: _Cluster) -> bool:
    """Both name a place, and no city or postcode district of one is one of the other's."""
    if not (one.cities or one.districts) or not (other.cities or other.districts):
        return False
    if not one.districts.isdisjoint(other.districts):
        return False
    return not any(places_agree(x, y) for x in one.cities for y in other.cities)
