"""Errors shared by every context: invalid input, named field by field."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base class of every error a domain rule raises."""


class InvalidFieldError(DomainError):
    """One field's value breaks a rule; `field` names it for the user."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidInputError(DomainError):
    """Several fields were checked together and at least one is invalid."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))
