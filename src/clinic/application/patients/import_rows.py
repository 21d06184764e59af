"""One row of a patient import, validated: what the file says about one patient of a source.

A row (template columns → text, see `import_columns`) becomes an `ImportRow` or a list of
`RowProblem`s naming its column. Only `external_id` and one of a name part, a phone or an e-mail
are required; a blank cell means "the file says nothing", never "clear this value".

Consent columns record the patient's *marketing* consent for the channel (service messages
— reminders, results — follow from the care itself): `да`/`yes`/`1`/`true` grants it, `нет`/
`no`/`0`/`false` records a refusal, blank records nothing. `consent_messengers` covers Telegram
and WhatsApp.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clinic.domain.patients.consents import Channel
from clinic.domain.patients.contacts import ContactKind, ContactPoint
from clinic.domain.patients.errors import InvalidPersonalDataError
from clinic.domain.patients.sources import SourceRecord
from clinic.domain.patients.tags import parse_tag
from clinic.domain.patients.values import PersonalData
from clinic.domain.shared.errors import InvalidFieldError
from clinic.domain.shared.text import present

PERSONAL_COLUMNS = (
    "surname", "given_name", "patronymic", "sex", "birth_date", "phone", "email",
    "city", "address", "postcode",
)  # fmt: skip
MESSENGER_COLUMNS = {"telegram_chat_id": ContactKind.TELEGRAM, "whatsapp": ContactKind.WHATSAPP}
CONSENT_COLUMNS = {
    "consent_sms": (Channel.SMS,),
    "consent_email": (Channel.EMAIL,),
    "consent_messengers": (Channel.TELEGRAM, Channel.WHATSAPP),
}
YES = frozenset({"да", "д", "yes", "y", "1", "true", "+", "согласен", "согласна"})
NO = frozenset({"нет", "н", "no", "n", "0", "false", "-", "отказ"})
TAG_SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row was rejected: its number as a spreadsheet shows it, the column, the reason."""

    row: int
    column: str
    reason: str
    code: str = "invalid"


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A valid row: the patient's record in the source and everything the file says."""

    number: int
    record: SourceRecord
    data: PersonalData
    contact_points: tuple[ContactPoint, ...] = ()
    consents: Mapping[Channel, bool] = field(default_factory=dict)
    tags: tuple[str, ...] = ()

    @property
    def given_fields(self) -> dict[str, Any]:
        """The personal fields the row gives (non-blank), by their corrected names."""
        values = {
            "surname": self.data.surname,
            "given_name": self.data.given_name,
            "patronymic": self.data.patronymic,
            "sex": self.data.sex.value if self.data.sex else None,
            "birth_date": self.data.birth_date,
            "city": self.data.city,
            "address": self.data.address,
            "postcode": self.data.postcode,
        }
        return {name: value for name, value in values.items() if value is not None}


def parse_row(
    number: int, columns: Mapping[str, str], source: str, today: date
) -> ImportRow | list[RowProblem]:
    """The row validated, or every problem it has (each naming its column)."""
    problems: list[RowProblem] = []

    def problem(error: InvalidFieldError, column: str | None = None) -> None:
        problems.append(RowProblem(number, column or error.field, error.message, error.code))

    record = data = None
    try:
        record = SourceRecord.parse(source, columns.get("external_id", ""))
    except InvalidPersonalDataError as error:
        for p in error.problems():
            problem(p, "external_id" if p.field == "external_id" else "source")
    try:
        data = PersonalData.parse(today=today, **{c: columns.get(c) for c in PERSONAL_COLUMNS})
    except InvalidPersonalDataError as error:
        for p in error.problems():
            problem(p, "surname, given_name, phone, email" if p.code == "unidentifiable" else None)
    points = _messengers(columns, source, problem)
    consents = _consents(columns, problem)
    tags = _tags(columns.get("tags", ""), problem)
    if problems or record is None or data is None:
        return problems
    return ImportRow(number, record, data, points, consents, tags)


def _messengers(columns: Mapping[str, str], source: str, problem: Any) -> tuple[ContactPoint, ...]:
    points = []
    for column, kind in MESSENGER_COLUMNS.items():
        if present(columns.get(column)):
            try:
                points.append(ContactPoint.parse(kind, columns[column], source))
            except InvalidPersonalDataError as error:
                for p in error.problems():
                    problem(p, column)
    return tuple(points)


def _consents(columns: Mapping[str, str], problem: Any) -> dict[Channel, bool]:
    consents: dict[Channel, bool] = {}
    for column, channels in CONSENT_COLUMNS.items():
        text = (columns.get(column) or "").strip().casefold()
        if not text:
            continue
        if text not in YES | NO:
            problem(InvalidFieldError(column, "да or нет (yes or no)", "invalid_consent"))
            continue
        consents |= dict.fromkeys(channels, text in YES)
    return consents


def _tags(text: str, problem: Any) -> tuple[str, ...]:
    tags: list[str] = []
    for raw in (text or "").split(TAG_SEPARATOR):
        if raw.strip():
            try:
                tags.append(parse_tag(raw, "tags"))
            except InvalidFieldError as error:
                problem(error, "tags")
    return tuple(dict.fromkeys(tags))
