"""Merging two profiles of one person, and splitting them back (unmerge).

A merge keeps the profile registered first (the *survivor*: its id is the one other records
already point to) and marks the other *merged into* it. Survivorship, field by field:

- personal data: the survivor's value wins when it has one; its empty fields take the other's
  values (`filled`), so the profile can say which value came from where;
- contact points, source records and tags: the union (the other's are added);
- consents: per channel and purpose the most recent word wins, whoever gave it: a withdrawal
  recorded after a grant must never be lost by a merge.

Everything the survivor took is recorded in its `Absorbed` event, so an unmerge gives back
exactly that, except what was changed since (a filled field corrected by hand stays; a taken
contact point removed since is not removed twice).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from clinic.domain.patients.consents import Channel, Consent, Purpose
from clinic.domain.patients.contacts import ContactKind, ContactPoint
from clinic.domain.patients.errors import PatientNotMergedError
from clinic.domain.patients.sources import SourceRecord
from clinic.domain.shared.errors import InvalidFieldError

if TYPE_CHECKING:
    from clinic.domain.patients.patient import Patient

MERGED_FIELDS = (
    "surname", "given_name", "patronymic", "sex", "birth_date",
    "city", "address", "postcode", "time_zone",
)  # fmt: skip
MANUAL_RULE = "manual"
"""The rule of a merge an administrator made (accepting a suggestion or by hand)."""


@dataclass(frozen=True, slots=True)
class Absorption:
    """What a survivor took from a profile merged into it."""

    absorbed_id: UUID
    filled: dict[str, Any] = field(default_factory=dict)
    contact_points: list[ContactPoint] = field(default_factory=list)
    source_records: list[SourceRecord] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    replaced_consents: list[Consent] = field(default_factory=list)
    """The survivor's own consents that `consents` replaced (given back by an unmerge)."""

    @classmethod
    def plan(cls, survivor: Patient, absorbed: Patient) -> Absorption:
        """What `survivor` takes from `absorbed` by the survivorship rules above."""
        filled = {
            name: getattr(absorbed, name)
            for name in MERGED_FIELDS
            if getattr(survivor, name) is None and getattr(absorbed, name) is not None
        }
        keys = {p.key for p in survivor.contact_points}
        points = [p for p in absorbed.contact_points if p.key not in keys]
        records = [r for r in absorbed.source_records if r not in survivor.source_records]
        taken, replaced = [], []
        for key, consent in sorted(absorbed.consents.items()):
            own = survivor.consents.get(key)
            if own is None or (consent.at > own.at and not consent.same_as(own)):
                taken.append(consent)
                if own is not None:
                    replaced.append(own)
        return cls(
            absorbed.id,
            filled,
            points,
            records,
            sorted(absorbed.tags - survivor.tags),
            taken,
            replaced,
        )

    @classmethod
    def of_event(
        cls,
        absorbed_id: UUID,
        filled: dict[str, Any] | None,
        contact_points: Iterable[dict[str, str]] | None,
        source_records: Iterable[list[str]] | None,
        tags: Iterable[str],
        consents: Iterable[dict[str, Any]] | None,
        replaced_consents: Iterable[dict[str, Any]] | None,
    ) -> Absorption:
        """Read back from an `Absorbed` event (personal fields are None after an erasure)."""
        return cls(
            absorbed_id,
            dict(filled or {}),
            [point_from_dict(p) for p in contact_points or ()],
            [SourceRecord(*r) for r in source_records or ()],
            list(tags),
            [consent_from_dict(c) for c in consents or ()],
            [consent_from_dict(c) for c in replaced_consents or ()],
        )

    def event_fields(self) -> dict[str, Any]:
        return {
            "absorbed_id": self.absorbed_id,
            "filled": dict(self.filled),
            "contact_points": [point_to_dict(p) for p in self.contact_points],
            "source_records": [[r.source, r.external_id] for r in self.source_records],
            "tags": list(self.tags),
            "consents": [consent_to_dict(c) for c in self.consents],
            "replaced_consents": [consent_to_dict(c) for c in self.replaced_consents],
        }


@dataclass(frozen=True, slots=True)
class Release:
    """What a survivor gives back on an unmerge: what it took and still holds unchanged."""

    absorbed_id: UUID
    cleared: list[str]
    contact_points: list[ContactPoint]
    source_records: list[SourceRecord]
    tags: list[str]
    restored_consents: list[Consent]
    removed_consents: list[tuple[Channel, Purpose]]

    @classmethod
    def plan(cls, survivor: Patient, absorption: Absorption) -> Release:
        held = {p.key for p in survivor.contact_points}
        restored, removed = [], []
        replaced = {c.key: c for c in absorption.replaced_consents}
        for consent in absorption.consents:
            if consent.same_as(survivor.consents.get(consent.key)):
                if consent.key in replaced:
                    restored.append(replaced[consent.key])
                else:
                    removed.append(consent.key)
        return cls(
            absorption.absorbed_id,
            [f for f, v in absorption.filled.items() if getattr(survivor, f) == v],
            [p for p in absorption.contact_points if p.key in held],
            [r for r in absorption.source_records if r in survivor.source_records],
            [t for t in absorption.tags if t in survivor.tags],
            restored,
            removed,
        )

    def event_fields(self) -> dict[str, Any]:
        return {
            "absorbed_id": self.absorbed_id,
            "cleared": list(self.cleared),
            "contact_points": [point_to_dict(p) for p in self.contact_points],
            "source_records": [[r.source, r.external_id] for r in self.source_records],
            "tags": list(self.tags),
            "restored_consents": [consent_to_dict(c) for c in self.restored_consents],
            "removed_consents": [[c.value, p.value] for c, p in self.removed_consents],
        }


def choose_survivor(a: Patient, b: Patient) -> tuple[Patient, Patient]:
    """(survivor, absorbed): the profile registered first survives (ties: the smaller id)."""
    first, second = sorted((a, b), key=lambda p: (p.registered_at, str(p.id)))
    return first, second


def merge(
    survivor: Patient, absorbed: Patient, *, rule: str, score: float, by: str, now: datetime
) -> None:
    """Merges `absorbed` into `survivor` (both changed; save them together)."""
    if survivor.id == absorbed.id:
        raise InvalidFieldError("patient_ids", "a profile cannot be merged with itself", "same")
    survivor.check_changeable()
    absorbed.check_changeable()
    absorption = Absorption.plan(survivor, absorbed)
    survivor.absorb(absorption, rule=rule, score=score, by=by, now=now)
    absorbed.merge_into(survivor.id, rule=rule, score=score, by=by, now=now)


def unmerge(survivor: Patient, absorbed: Patient, *, by: str, now: datetime) -> None:
    """Splits `absorbed` back out of `survivor` (both changed; save them together)."""
    absorption = survivor.absorptions.get(absorbed.id)
    if absorption is None or absorbed.merged_into != survivor.id:
        raise PatientNotMergedError(absorbed.id, survivor.id)
    survivor.release(Release.plan(survivor, absorption), by=by, now=now)
    absorbed.unmerge(by=by, now=now)


def point_to_dict(point: ContactPoint) -> dict[str, str]:
    return {"kind": point.kind.value, "value": point.value, "source": point.source}


def point_from_dict(data: dict[str, str]) -> ContactPoint:
    return ContactPoint(ContactKind(data["kind"]), data["value"], data["source"])


def consent_to_dict(consent: Consent) -> dict[str, Any]:
    return {
        "channel": consent.channel.value,
        "purpose": consent.purpose.value,
        "granted": consent.granted,
        "source": consent.source,
        "at": consent.at,
        "evidence": consent.evidence,
    }


def consent_from_dict(data: dict[str, Any]) -> Consent:
    return Consent(
        Channel(data["channel"]),
        Purpose(data["purpose"]),
        data["granted"],
        data["source"],
        data["at"],
        data["evidence"],
    )
