"""Commands of the patients context, as typed by a user (raw, not yet validated)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class RegisterPatient:
    surname: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    sex: str | None = None
    birth_date: str | date | None = None
    phone: str | None = None
    email: str | None = None

    def fields(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}
