"""Contact points: the ways of reaching a patient, each with where it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.patients.sources import parse_source
from clinic.domain.shared.email import Email
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.phone import Phone

_TELEGRAM_CHAT_ID = re.compile(r"-?[1-9]\d{0,19}")


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """A normalised contact: phones and WhatsApp numbers in E.164, e-mail with its domain
    lower-cased, a Telegram chat id as its digits. Two points are the same when their `key`s
    are (kind and value; an e-mail in any letter case); the source says where it came from."""

    kind: ContactKind
    value: str
    source: str

    @classmethod
    def parse(cls, kind: Any, value: Any, source: Any) -> ContactPoint:
        """Validates all three fields; InvalidPersonalDataError names each bad one."""
        problems: list[InvalidFieldError] = []
        parsed: dict[str, Any] = {}
        try:
            parsed["kind"] = parse_contact_kind(kind)
            parsed["value"] = parse_contact_value(parsed["kind"], value)
        except InvalidFieldError as error:
            problems.append(error)
        try:
            parsed["source"] = parse_source(source)
        except InvalidFieldError as error:
            problems.append(error)
        if problems:
            raise InvalidPersonalDataError.of(problems)
        return cls(**parsed)

    @property
    def key(self) -> tuple[ContactKind, str]:
        return contact_key(self.kind, self.value)


def contact_key(kind: ContactKind, value: str) -> tuple[ContactKind, str]:
    """What makes contact points the same: mailboxes ignore letter case in practice."""
    return kind, value.casefold() if kind == ContactKind.EMAIL else value


def parse_contact_kind(raw: Any, field: str = "kind") -> ContactKind:
    try:
        return ContactKind(str(raw).strip().lower())
    except ValueError:
        allowed = ", ".join(ContactKind)
        raise InvalidFieldError(field, f"one of {allowed}", "invalid_kind") from None


def parse_contact_value(kind: ContactKind, raw: Any, field: str = "value") -> str:
    """The normalised value of a contact point of `kind`."""
    if raw is None or str(raw).strip() == "":
        raise InvalidFieldError(field, "is required", "required")
    match kind:
        case ContactKind.PHONE | ContactKind.WHATSAPP:
            return Phone.parse(raw, field).e164
        case ContactKind.EMAIL:
            return Email.parse(raw, field).address
        case ContactKind.TELEGRAM:
            text = str(raw).strip()
            if not _TELEGRAM_CHAT_ID.fullmatch(text):
                raise InvalidFieldError(
                    field, "a Telegram chat id is digits, maybe after '-'", "invalid_telegram"
                )
            return text
