"""The Patient aggregate: one person's unified profile."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from clinic.domain.patients.values import PersonalData


class Patient(Aggregate):
    """A patient of the clinic, registered with validated personal data."""

    class Registered(Aggregate.Created):
        """Personal fields are sealed with the patient's own key; after an erasure they read
        back as None."""

        personal_fields: ClassVar[tuple[str, ...]] = (
            "surname", "given_name", "patronymic", "birth_date", "phone", "email",
        )  # fmt: skip

        surname: str
        given_name: str
        patronymic: str | None
        sex: str | None
        birth_date: date | None
        phone: str | None
        email: str | None
        registered_at: datetime

    @event(Registered)
    def __init__(
        self,
        id: UUID,  # noqa: A002 - the library takes the aggregate id from this parameter
        surname: str,
        given_name: str,
        patronymic: str | None,
        sex: str | None,
        birth_date: date | None,
        phone: str | None,
        email: str | None,
        registered_at: datetime,
    ) -> None:
        self.surname = surname
        self.given_name = given_name
        self.patronymic = patronymic
        self.sex = sex
        self.birth_date = birth_date
        self.phone = phone
        self.email = email
        self.registered_at = registered_at
        self.status = "active"

    @classmethod
    def register(cls, patient_id: UUID, data: PersonalData, now: datetime) -> Patient:
        return cls(
            id=patient_id,
            surname=data.surname,
            given_name=data.given_name,
            patronymic=data.patronymic,
            sex=data.sex.value if data.sex else None,
            birth_date=data.birth_date,
            phone=data.phone.e164 if data.phone else None,
            email=data.email.address if data.email else None,
            registered_at=now,
        )

    class Erased(Aggregate.Event):
        erased_at: datetime

    @event(Erased)
    def erase(self, erased_at: datetime) -> None:
        """The right to erasure: personal data gone for good (its key is shredded)."""
        self.status = "erased"
        for field in Patient.Registered.personal_fields:
            setattr(self, field, None)

    @property
    def is_erased(self) -> bool:
        return self.status == "erased"
