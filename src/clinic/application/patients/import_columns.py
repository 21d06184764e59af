"""The columns of a patient import file: the template's, and how a file's own headers map to
them (files that do not follow the template: exports of other clinic systems, hand-made sheets).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clinic.domain.shared.errors import InvalidFieldError, InvalidInputError

TEMPLATE_COLUMNS = (
    "external_id", "surname", "given_name", "patronymic", "sex", "birth_date", "phone", "email",
    "city", "address", "postcode", "telegram_chat_id", "whatsapp",
    "consent_sms", "consent_email", "consent_messengers", "tags",
)  # fmt: skip
REQUIRED_COLUMN = "external_id"
IDENTIFYING_COLUMNS = ("surname", "given_name", "phone", "email")
"""A row needs at least one of these (besides its external id)."""

# What other systems and people call the template's columns (compared after `_header_key`).
ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("id", "код", "код пациента", "номер карты", "номер медкарты", "ид"),
    "surname": ("фамилия", "last name", "lastname", "family name"),
    "given_name": ("имя", "first name", "firstname", "name"),
    "patronymic": ("отчество", "middle name", "middlename"),
    "sex": ("пол", "gender"),
    "birth_date": ("дата рождения", "др", "birthday", "dob", "date of birth"),
    "phone": ("телефон", "мобильный", "моб телефон", "мобильный телефон", "tel", "mobile"),
    "email": ("e-mail", "почта", "эл почта", "электронная почта", "mail"),
    "city": ("город", "населенный пункт"),
    "address": ("адрес", "адрес проживания"),
    "postcode": ("индекс", "почтовый индекс", "zip", "postal code"),
    "telegram_chat_id": ("telegram", "телеграм", "telegram id"),
    "whatsapp": ("ватсап", "вотсап", "whatsapp номер"),
    "consent_sms": ("согласие смс", "согласие на смс", "sms"),
    "consent_email": ("согласие email", "согласие на email", "согласие e-mail"),
    "consent_messengers": ("согласие мессенджеры", "согласие на мессенджеры"),
    "tags": ("теги", "метки", "группы"),
}


class ImportFileError(ValueError):
    """The file cannot be read as a patient import: the message says why."""


_SEPARATORS = re.compile(r"[\s_\-.:]+")


def _header_key(header: str) -> str:
    return _SEPARATORS.sub(" ", header.strip().casefold().replace("ё", "е")).strip()


_KNOWN = {_header_key(column): column for column in TEMPLATE_COLUMNS} | {
    _header_key(alias): column for column, aliases in ALIASES.items() for alias in aliases
}


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """File header → template column for every header recognised (the first one wins)."""
    mapping: dict[str, str] = {}
    for header in headers:
        column = _KNOWN.get(_header_key(header))
        if column is not None and column not in mapping.values():
            mapping[header] = column
    return mapping


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which file header feeds which template column; validated against the file's headers."""

    columns: Mapping[str, str]

    @classmethod
    def parse(cls, mapping: Mapping[str, str] | None, headers: Sequence[str]) -> ColumnMapping:
        """`mapping` (header → template column; None: recognise the headers) checked: every
        header exists, every column is a template column, none is fed twice, external_id is."""
        chosen = dict(mapping) if mapping is not None else suggest_mapping(headers)
        problems: list[InvalidFieldError] = []
        missing = sorted(set(chosen) - set(headers))
        problems += [
            InvalidFieldError(f"mapping.{h}", "no such column in the file", "unknown_header")
            for h in missing
        ]
        problems += [
            InvalidFieldError(f"mapping.{h}", f"not a template column: {c!r}", "unknown_column")
            for h, c in chosen.items()
            if c not in TEMPLATE_COLUMNS
        ]
        fed: dict[str, str] = {}
        for header, column in chosen.items():
            if column in fed:
                problems.append(
                    InvalidFieldError(
                        f"mapping.{header}", f"{column} is already fed by {fed[column]!r}", "twice"
                    )
                )
            fed[column] = header
        if REQUIRED_COLUMN not in fed:
            problems.append(
                InvalidFieldError("mapping", "no column maps to external_id", "no_external_id")
            )
        if problems:
            raise InvalidInputError.of(problems)
        return cls(chosen)

    def apply(self, row: Mapping[str, str]) -> dict[str, str]:
        """A file row (header → text) as template columns; unmapped headers are left out."""
        return {column: row.get(header, "") for header, column in self.columns.items()}
