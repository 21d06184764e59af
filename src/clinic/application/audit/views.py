"""Interfaces of the audit trail read model (implemented in infrastructure)."""

from __future__ import annotations

from typing import Protocol

from clinic.application.audit.dto import AuditFilter, AuditPage, AuditRecord


class AuditTrailWriter(Protocol):
    """Writes the audit trail read model inside a projection batch."""

    def add_entry(self, entry: AuditRecord) -> None: ...

    def flush(self) -> None: ...

    def reset(self) -> None: ...


class AuditTrailView(Protocol):
    """Reads the audit trail read model, newest first."""

    def search(self, where: AuditFilter, limit: int, cursor: str | None) -> AuditPage: ...
