"""The AuditEntry aggregate: one attributable act — who, when, what, to which subject.

Each entry is an aggregate of its own (a random id), so writers never contend for a version.
Entries never hold personal data of patients: the subject is named by its id, and details are
flat and short (ids, counts, roles, permissions, a client address) — never names, phones,
e-mails, birth dates or free text typed about a person. The event store keeps them for good,
and crypto-shredding a patient would not reach them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from clinic.domain.audit.errors import InvalidAuditEntryError

AuditDetail = str | int | bool | None

MAX_ACTOR = 100
MAX_ROLE = 32
MAX_SUBJECT_ID = 100
MAX_DETAILS = 16
MAX_DETAIL_KEY = 40
MAX_DETAIL_VALUE = 200
MAX_DETAIL_INT = 2**53  # survives JSON in every language
ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")  # dotted, past tense: user.added
MAX_ACTION = 64
NAME = re.compile(r"[a-z][a-z0-9_]*")  # subject types and detail keys
MAX_SUBJECT_TYPE = 40
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
EXAMPLES = {"action": "user.added", "subject_type": "patient"}


class AuditEntry(Aggregate):
    """An act someone did, recorded once and never changed."""

    class Recorded(Aggregate.Created):
        actor: str
        role: str | None
        action: str
        subject_type: str | None
        subject_id: str | None
        details: dict[str, AuditDetail]
        at: datetime

    @event(Recorded)
    def __init__(
        self,
        id: UUID,  # noqa: A002 - the library takes the aggregate id from this parameter
        actor: str,
        role: str | None,
        action: str,
        subject_type: str | None,
        subject_id: str | None,
        details: dict[str, AuditDetail],
        at: datetime,
    ) -> None:
        self.actor = actor
        self.role = role
        self.action = action
        self.subject_type = subject_type
        self.subject_id = subject_id
        self.details = details
        self.at = at

    @classmethod
    def record(
        cls,
        entry_id: UUID,
        *,
        actor: str,
        role: str | None,
        action: str,
        subject_type: str | None = None,
        subject_id: str | None = None,
        details: Mapping[str, Any] | None = None,
        at: datetime,
    ) -> AuditEntry:
        """A validated entry; InvalidAuditEntryError names the first bad field.

        Control characters in free text (a username typed at sign-in) become U+FFFD, so they can
        neither forge lines of a log nor break a database that refuses them."""
        return cls(
            id=entry_id,
            actor=_text("actor", actor, MAX_ACTOR, required=True) or "",
            role=_text("role", role, MAX_ROLE),
            action=_name("action", action, ACTION, MAX_ACTION),
            subject_type=(
                None
                if subject_type is None
                else _name("subject_type", subject_type, NAME, MAX_SUBJECT_TYPE)
            ),
            subject_id=_text("subject_id", subject_id, MAX_SUBJECT_ID),
            details=check_details(details or {}),
            at=_aware(at),
        )


def check_details(details: Mapping[str, Any]) -> dict[str, AuditDetail]:
    """Flat, short details: at most 16 keys like `role`, each a short string, number, flag or
    None; strings of StrEnums become plain strings."""
    if len(details) > MAX_DETAILS:
        raise InvalidAuditEntryError("details", f"at most {MAX_DETAILS} keys", "too_many")
    return {
        _name("details", key, NAME, MAX_DETAIL_KEY): _detail(key, value)
        for key, value in details.items()
    }


def _detail(key: str, value: object) -> AuditDetail:
    field = f"details.{key}"
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_DETAIL_INT:
            raise InvalidAuditEntryError(field, "a number too large", "too_large")
        return int(value)
    if isinstance(value, str):
        return _text(field, value, MAX_DETAIL_VALUE)
    raise InvalidAuditEntryError(field, "a string, number, flag or null; nothing nested", "nested")


def _text(field: str, value: object, limit: int, *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidAuditEntryError(field, "required text", "required")
    if len(value) > limit:
        raise InvalidAuditEntryError(field, f"at most {limit} characters", "too_long")
    return CONTROL.sub("\ufffd", str(value))


def _name(field: str, value: object, pattern: re.Pattern[str], limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit or not pattern.fullmatch(value):
        example = EXAMPLES.get(field, "patient_count")
        raise InvalidAuditEntryError(field, f"a lower-case name like {example}", "invalid_name")
    return str(value)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InvalidAuditEntryError("at", "a moment with a time zone", "naive")
    return moment
