"""Errors shared by every context: invalid input, named field by field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Self


class DomainError(Exception):
    """Base class of every error a domain rule raises."""


class InvalidFieldError(DomainError):
    """One field's value breaks a rule: `field` names it, `code` says which rule (stable, for
    clients that show their own wording), `message` explains it in English."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code


class InvalidInputError(DomainError):
    """Several fields were checked together and at least one is invalid.

    `errors` maps each bad field to its message, `codes` to its rule's code.
    """

    def __init__(self, errors: Mapping[str, str], codes: Mapping[str, str] | None = None) -> None:
        self.errors = dict(errors)
        self.codes = {field: (codes or {}).get(field, "invalid") for field in self.errors}
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))

    @classmethod
    def of(cls, problems: Iterable[InvalidFieldError], prefix: str = "") -> Self:
        """Collects field errors, optionally keyed `<prefix><field>` (e.g. a row: `3.phone`)."""
        found = list(problems)
        return cls(
            {prefix + p.field: p.message for p in found},
            {prefix + p.field: p.code for p in found},
        )

    def problems(self) -> list[InvalidFieldError]:
        return [InvalidFieldError(f, m, self.codes[f]) for f, m in self.errors.items()]
