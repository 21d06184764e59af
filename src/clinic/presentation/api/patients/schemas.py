"""API schemas of the patients context."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from clinic.application.patients.dto import PatientSummary
from clinic.domain.patients.consents import Channel, Purpose


class PatientCreate(BaseModel):
    """A new patient. Phone in any common Russian form; birth date ISO or DD.MM.YYYY."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "surname": "Иванова",
                    "given_name": "Мария",
                    "patronymic": "Петровна",
                    "sex": "F",
                    "birth_date": "15.03.1985",
                    "phone": "8 (916) 123-45-67",
                    "email": "maria@example.ru",
                }
            ]
        },
    )

    surname: str = Field(min_length=1, max_length=100)
    given_name: str = Field(min_length=1, max_length=100)
    patronymic: str | None = Field(None, max_length=100)
    sex: str | None = Field(None, max_length=1, description="F (female) or M (male)")
    birth_date: str | None = Field(None, max_length=10, description="YYYY-MM-DD or DD.MM.YYYY")
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=320)


class Patient(BaseModel):
    id: UUID
    surname: str
    given_name: str
    patronymic: str | None
    full_name: str
    sex: Literal["F", "M"] | None
    birth_date: date | None
    phone: str | None = Field(description="E.164")
    email: str | None
    status: str
    registered_at: datetime

    @classmethod
    def of(cls, summary: PatientSummary) -> Patient:
        return cls(
            id=summary.id,
            surname=summary.surname,
            given_name=summary.given_name,
            patronymic=summary.patronymic,
            full_name=summary.full_name,
            sex=summary.sex,
            birth_date=summary.birth_date,
            phone=summary.phone,
            email=summary.email,
            status=summary.status,
            registered_at=summary.registered_at,
        )


class PatientPage(BaseModel):
    items: list[Patient]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
MAX_BULK_IDS = 10_000
REQUIRED = "Cannot be cleared: null or blank is refused"
ContactKind = Literal["phone", "email", "telegram", "whatsapp"]
Source = Annotated[
    str,
    Field(
        min_length=1,
        max_length=50,
        pattern=NO_NUL,
        description="Where it came from: `manual`, `import:xlsx`, `mis`, …",
    ),
]
Tag = Annotated[str, Field(min_length=1, max_length=50, pattern=NO_NUL)]
Comment = Annotated[str, Field(max_length=1000, pattern=NO_NUL)]
Ids = Annotated[list[UUID], Field(min_length=1, max_length=MAX_BULK_IDS)]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PatientUpdate(Command):
    """Only the fields to change; `null` clears an optional one. Phone and e-mail are contact
    points: add or remove them instead."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"surname": "Петрова", "city": "Москва", "address": None}]},
    )

    surname: str | None = Field(None, max_length=100, pattern=NO_NUL, description=REQUIRED)
    given_name: str | None = Field(None, max_length=100, pattern=NO_NUL, description=REQUIRED)
    patronymic: str | None = Field(None, max_length=100, pattern=NO_NUL)
    sex: str | None = Field(None, max_length=1, description="F (female) or M (male)")
    birth_date: str | None = Field(None, max_length=10, description="YYYY-MM-DD or DD.MM.YYYY")
    city: str | None = Field(None, max_length=100, pattern=NO_NUL)
    address: str | None = Field(None, max_length=300, pattern=NO_NUL)
    postcode: str | None = Field(None, max_length=20, description="Six digits")
    time_zone: str | None = Field(None, max_length=64, description="IANA, e.g. Europe/Moscow")


class ContactPointCreate(Command):
    kind: ContactKind
    value: str = Field(
        min_length=1, max_length=320, pattern=NO_NUL, description="Phone in any common form"
    )
    source: Source = "manual"


class ContactPointRemoval(Command):
    kind: ContactKind
    value: str = Field(min_length=1, max_length=320, pattern=NO_NUL)


class ConsentUpdate(Command):
    """The patient's word on one channel and purpose: given (`granted: true`) or withdrawn."""

    granted: bool
    source: Source = "manual"
    evidence: str | None = Field(
        None, max_length=500, pattern=NO_NUL, description="A form number, a link, a note"
    )
    at: AwareDatetime | None = Field(None, description="When the patient said it; now if absent")


class TagCreate(Command):
    tag: Tag


class Representative(Command):
    representative_id: UUID = Field(description="The parent or guardian, also a patient")


class SourceRecordCreate(Command):
    source: Source
    external_id: str = Field(min_length=1, max_length=100, pattern=NO_NUL)


class Archival(Command):
    comment: Comment = Field(min_length=1, description="Why the profile is archived")


class Restoration(Command):
    comment: Comment | None = None


class BulkArchival(Archival):
    ids: Ids


class BulkRestoration(Restoration):
    ids: Ids


class BulkTagging(TagCreate):
    ids: Ids


class BulkConsentUpdate(ConsentUpdate):
    ids: Ids
    channel: Channel
    purpose: Purpose


class BulkChange(BaseModel):
    changed: int = Field(description="How many of the patients listed the request changed")
