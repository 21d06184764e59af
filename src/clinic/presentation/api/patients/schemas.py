"""API schemas of the patients context."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from clinic.application.patients.dto import PatientSummary
from clinic.application.patients.list_filter import OLDEST_AGE, PatientListFilter
from clinic.application.patients.queries import MAX_BULK_PATIENTS
from clinic.domain.patients.consents import Channel, Purpose

NOT_BLANK = r"\S"
"""A pattern that a blank value fails."""


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

    # A registration at the desk names the person (an import may not: see the import).
    surname: str = Field(min_length=1, max_length=100, pattern=NOT_BLANK)
    given_name: str = Field(min_length=1, max_length=100, pattern=NOT_BLANK)
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
    city: str | None = None
    merged_into: UUID | None = Field(
        None, description="The profile a merged patient lives on in; null unless merged"
    )

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
            city=summary.city,
            merged_into=summary.merged_into,
        )


class PatientPage(BaseModel):
    items: list[Patient]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


class PatientCount(BaseModel):
    count: int = Field(description="How many patients the search and filters select")


NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"  # pydantic would take a number for a Unix time
CONSENT = rf"^({'|'.join(Channel)}):({'|'.join(Purpose)})$"
MAX_BULK_IDS = MAX_BULK_PATIENTS
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


class PatientFilter(BaseModel):
    """Who the list shows, counts or a bulk change covers: the search text and the filters,
    all of them together; an absent one matches anyone."""

    q: str = Field("", max_length=200, pattern=NO_NUL, description="Name prefix, phone or e-mail")
    status: Literal["active", "archived", "merged"] | None = None
    sex: Literal["F", "M"] | None = None
    age_from: int | None = Field(
        None, ge=0, le=OLDEST_AGE, description="At least this old today, in whole years"
    )
    age_to: int | None = Field(
        None, ge=0, le=OLDEST_AGE, description="At most this old today, in whole years"
    )
    city: str | None = Field(
        None, min_length=1, max_length=100, pattern=NO_NUL, description="Ignoring case and ё/е"
    )
    tag: Tag | None = None
    source: Source | None = Field(
        None, description="The registration's source or that of a linked source record"
    )
    consent: str | None = Field(
        None, pattern=CONSENT, description="Granted on a channel for a purpose: `sms:marketing`"
    )
    registered_from: str | None = Field(
        None, pattern=ISO_DAY, description="First UTC day, YYYY-MM-DD"
    )
    registered_to: str | None = Field(
        None, pattern=ISO_DAY, description="Last UTC day (inclusive), YYYY-MM-DD"
    )

    def criteria(self) -> tuple[str, PatientListFilter]:
        """The search text and the filter, validated by the application (422 naming a field)."""
        return self.q, PatientListFilter.parse(**self.model_dump(exclude={"q"}))


class BulkFilter(PatientFilter):
    model_config = ConfigDict(extra="forbid")


class BulkSelection(Command):
    """Who a bulk change covers: the patients listed in `ids`, or everyone `filter` selects.
    With a filter, `expected_count` is how many the user was shown and confirmed: when another
    number match now, the answer is a 409 and nobody is changed."""

    ids: Ids | None = None
    filter: BulkFilter | None = None
    expected_count: int | None = Field(
        None, ge=0, description="With `filter`: how many patients the user confirmed"
    )

    @model_validator(mode="after")
    def _one_selection(self) -> Self:
        if (self.ids is None) == (self.filter is None):
            msg = "give either ids or filter (with expected_count)"
            raise ValueError(msg)
        if (self.filter is None) != (self.expected_count is None):
            msg = "expected_count goes with filter, and only with it"
            raise ValueError(msg)
        return self


class BulkArchival(Archival, BulkSelection):
    """Archive, saying why, the patients listed or everyone a filter selects."""


class BulkRestoration(Restoration, BulkSelection):
    """Make active again the patients listed or everyone a filter selects."""


class BulkTagging(TagCreate):
    ids: Ids


class BulkConsentUpdate(ConsentUpdate):
    ids: Ids
    channel: Channel
    purpose: Purpose


class BulkChange(BaseModel):
    changed: int = Field(description="How many of the patients listed the request changed")
