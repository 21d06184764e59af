"""Commands of the patients context, as typed by a user (raw, not yet validated)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

_REGISTRATION_ONLY = frozenset({"source", "external_id"})


@dataclass(frozen=True, slots=True)
class RegisterPatient:
    surname: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    sex: str | None = None
    birth_date: str | date | None = None
    phone: str | None = None
    email: str | None = None
    city: str | None = None
    address: str | None = None
    postcode: str | None = None
    time_zone: str | None = None
    source: str | None = None
    """Where the registration comes from: `import:xlsx`, `mis`, ...; None: `manual` entry."""
    external_id: str | None = None
    """The patient's id in `source`, when it has one: linked as the first source record."""

    def fields(self) -> dict[str, Any]:
        """The personal data fields (what `PersonalData.parse` takes)."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in _REGISTRATION_ONLY
        }


@dataclass(frozen=True, slots=True)
class CorrectPersonalData:
    """`changes` holds only the fields to change, as typed; None (or blank) clears an optional
    one. Name parts, sex, birth date, city, address, postcode, time zone."""

    patient_id: UUID
    changes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AddContactPoint:
    patient_id: UUID
    kind: str
    """phone, email, telegram or whatsapp."""
    value: str
    source: str = "manual"


@dataclass(frozen=True, slots=True)
class RemoveContactPoint:
    patient_id: UUID
    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class GrantConsent:
    patient_id: UUID
    channel: str
    """sms, email, telegram, whatsapp or call."""
    purpose: str
    """service or marketing."""
    source: str = "manual"
    evidence: str | None = None
    at: datetime | None = None
    """When the patient gave it; now when not given."""


@dataclass(frozen=True, slots=True)
class WithdrawConsent:
    patient_id: UUID
    channel: str
    purpose: str
    source: str = "manual"
    evidence: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LinkRepresentative:
    patient_id: UUID
    representative_id: UUID


@dataclass(frozen=True, slots=True)
class LinkSourceRecord:
    patient_id: UUID
    source: str
    external_id: str
