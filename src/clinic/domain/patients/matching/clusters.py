"""Union-find over records that keeps distinct people apart.

A merge joins two clusters only if every birth date of one may be a version of every birth date
of the other (within ten years or a typo apart), their sexes overlap wherever both know them, and
no rejected pair would end up in one cluster. Otherwise a chain of near-matches (A~B, B~C) could
join people who clearly differ (A, C).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from clinic.domain.patients.matching.features import Birth, Features
from clinic.domain.patients.matching.scoring import birth_dates_agree


class Clusters:
    def __init__(
        self, records: Iterable[Features], rejected: Collection[frozenset[str]] = ()
    ) -> None:
        self._parent: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        self._sexes: dict[str, set[str]] = {}
        self._births: dict[str, set[Birth]] = {}
        for record in records:
            rid = record.record_id
            self._parent[rid] = rid
            self._members[rid] = [rid]
            self._sexes[rid] = {record.sex} if record.sex else set()
            self._births[rid] = {record.birth} if record.birth else set()
        self._rejected: dict[str, set[str]] = {}
        for pair in rejected:
            a, b = sorted(pair)
            self._rejected.setdefault(a, set()).add(b)
            self._rejected.setdefault(b, set()).add(a)

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
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        sexes_a, sexes_b = self._sexes[root_a], self._sexes[root_b]
        if sexes_a and sexes_b and sexes_a.isdisjoint(sexes_b):
            return False
        births_a, births_b = self._births[root_a], self._births[root_b]
        if (
            births_a
            and births_b
            and not any(birth_dates_agree(x, y) for x in births_a for y in births_b)
        ):
            return False
        return not self._rejected_between(root_a, root_b)

    def merge(self, a: str, b: str) -> None:
        """Joins the clusters of `a` and `b` (callers check `can_merge` first)."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        if len(self._members[root_a]) < len(self._members[root_b]):
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        self._members[root_a] += self._members.pop(root_b)
        self._sexes[root_a] |= self._sexes.pop(root_b)
        self._births[root_a] |= self._births.pop(root_b)

    def groups(self) -> tuple[tuple[str, ...], ...]:
        """Every cluster as sorted ids, in the order of their smallest id."""
        return tuple(sorted(tuple(sorted(members)) for members in self._members.values()))

    def _rejected_between(self, root_a: str, root_b: str) -> bool:
        small, large = sorted((root_a, root_b), key=lambda root: len(self._members[root]))
        for member in self._members[small]:
            partners = self._rejected.get(member)
            if partners and any(self.find(partner) == large for partner in partners):
                return True
        return False
