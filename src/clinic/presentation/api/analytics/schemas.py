"""API schemas of analytics: patients without names, contacts, birth dates or ids."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from clinic.application.analytics import dto

AgeBandName = Literal["0–17", "18–24", "25–34", "35–44", "45–54", "55–64", "65+", "unknown"]
PSEUDONYM = Field(
    description="Stable pseudonymous id: the same patient has the same one in every response "
    "and export; it cannot be traced back to the patient",
    examples=["p_mfrggzdfmztwq2lknnwg"],
)


class PseudonymisedPatient(BaseModel):
    pseudonym: str = PSEUDONYM
    sex: Literal["F", "M"] | None
    age_band: AgeBandName = Field(description="Age today, in bands; unknown: no birth date")
    status: str
    registered_on: date = Field(description="The UTC day the patient was registered")

    @classmethod
    def of(cls, patient: dto.PseudonymisedPatient) -> PseudonymisedPatient:
        return cls.model_validate(
            {
                "pseudonym": patient.pseudonym,
                "sex": patient.sex,
                "age_band": patient.age_band.value,
                "status": patient.status,
                "registered_on": patient.registered_on,
            }
        )


class PseudonymisedPatientPage(BaseModel):
    items: list[PseudonymisedPatient]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


class AgeBandCount(BaseModel):
    age_band: AgeBandName
    sex: Literal["F", "M"] | None = Field(description="null: sex not recorded")
    count: int


class AgeBandCounts(BaseModel):
    """Patients per age band and sex: every combination, zeros included."""

    items: list[AgeBandCount]
    total: int

    @classmethod
    def of(cls, counts: list[dto.AgeBandCount]) -> AgeBandCounts:
        items = [
            AgeBandCount.model_validate(
                {"age_band": c.age_band.value, "sex": c.sex, "count": c.count}
            )
            for c in counts
        ]
        return cls(items=items, total=sum(c.count for c in counts))
