"""Errors of the audit context."""

from __future__ import annotations

from clinic.domain.shared.errors import InvalidFieldError


class InvalidAuditEntryError(InvalidFieldError):
    """An audit entry's field breaks a rule: a bad action name, a nested or over-long detail."""
