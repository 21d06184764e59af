"""API schemas of the patients context."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from clinic.application.patients.dto import PatientSummary


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
