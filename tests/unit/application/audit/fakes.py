"""An in-memory audit trail read model: writer and view in one, newest first."""

from __future__ import annotations

from dataclasses import dataclass, field

from clinic.application.audit.dto import AuditFilter, AuditPage, AuditRecord


@dataclass
class InMemoryAuditTrail:
    """An AuditTrailWriter that commits on flush, and an AuditTrailView over what it holds.

    Its cursor is the id of the last entry shown: plain, since nothing here leaves the test."""

    rows: dict[str, AuditRecord] = field(default_factory=dict)
    pending: list[AuditRecord] = field(default_factory=list)

    def add_entry(self, entry: AuditRecord) -> None:
        self.pending.append(entry)

    def flush(self) -> None:
        for entry in self.pending:
            if str(entry.id) in self.rows:
                msg = f"entry {entry.id} added twice"
                raise AssertionError(msg)
            self.rows[str(entry.id)] = entry
        self.pending = []

    def reset(self) -> None:
        self.rows.clear()
        self.pending = []

    def search(self, where: AuditFilter, limit: int, cursor: str | None) -> AuditPage:
        found = sorted(
            (r for r in self.rows.values() if _matches(r, where)),
            key=lambda r: (r.at, str(r.id)),
            reverse=True,
        )
        if cursor is not None:
            last = self.rows[cursor]
            found = [r for r in found if (r.at, str(r.id)) < (last.at, str(last.id))]
        page = found[:limit]
        return AuditPage(page, str(page[-1].id) if len(found) > limit else None)


def _matches(record: AuditRecord, where: AuditFilter) -> bool:
    named = ("actor", "action", "subject_type", "subject_id")
    if any(
        getattr(where, n) is not None and getattr(where, n) != getattr(record, n) for n in named
    ):
        return False
    if where.since is not None and record.at < where.since:
        return False
    return where.until is None or record.at < where.until
