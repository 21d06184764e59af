"""Consents: may the clinic reach a patient on a channel, for a purpose."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.patients.sources import parse_source
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.text import multi_line, present

MAX_EVIDENCE_LENGTH = 500
E = TypeVar("E", bound=StrEnum)


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    CALL = "call"


class Purpose(StrEnum):
    SERVICE = "service"
    """Care: reminders, results, visit confirmations."""
    MARKETING = "marketing"


@dataclass(frozen=True, slots=True)
class Consent:
    """The patient's last word on one channel and purpose: given or withdrawn, when, where it
    was recorded (`source`) and what proves it (`evidence`: a form number, a link, a note)."""

    channel: Channel
    purpose: Purpose
    granted: bool
    source: str
    at: datetime
    evidence: str | None

    @classmethod
    def parse(
        cls,
        *,
        channel: Any,
        purpose: Any,
        granted: bool,
        source: Any,
        at: datetime,
        evidence: Any = None,
    ) -> Consent:
        """Validates every field; InvalidPersonalDataError names each bad one."""
        parsers: dict[str, Callable[[], Any]] = {
            "channel": lambda: _choice(Channel, channel, "channel"),
            "purpose": lambda: _choice(Purpose, purpose, "purpose"),
            "source": lambda: parse_source(source),
            "evidence": lambda: (
                multi_line(evidence, "evidence", MAX_EVIDENCE_LENGTH) if present(evidence) else None
            ),
        }
        parsed: dict[str, Any] = {}
        problems: list[InvalidFieldError] = []
        for field, parser in parsers.items():
            try:
                parsed[field] = parser()
            except InvalidFieldError as error:
                problems.append(error)
        if problems:
            raise InvalidPersonalDataError.of(problems)
        return cls(granted=granted, at=at, **parsed)

    @property
    def key(self) -> tuple[Channel, Purpose]:
        return self.channel, self.purpose

    def same_as(self, other: Consent | None) -> bool:
        """The same word again (an import repeated): only the time may differ."""
        return other is not None and (
            other.key,
            other.granted,
            other.source,
            other.evidence,
        ) == (self.key, self.granted, self.source, self.evidence)


def _choice(enum: type[E], raw: Any, field: str) -> E:
    try:
        return enum(str(raw).strip().lower())
    except ValueError:
        allowed = ", ".join(enum)
        raise InvalidFieldError(field, f"one of {allowed}", f"invalid_{field}") from None
