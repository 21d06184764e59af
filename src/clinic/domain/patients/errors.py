"""Errors raised by the patients domain."""

from __future__ import annotations

from clinic.domain.shared.errors import DomainError, InvalidInputError


class InvalidPersonalDataError(InvalidInputError):
    """Personal data failed validation; `errors` maps each bad field to its reason."""


class PatientNotFoundError(DomainError):
    """No patient has the given id."""
