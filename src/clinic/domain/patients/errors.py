"""Errors raised by the patients domain."""

from __future__ import annotations

from uuid import UUID

from clinic.domain.shared.errors import DomainError, InvalidInputError


class InvalidPersonalDataError(InvalidInputError):
    """Personal data failed validation; `errors` maps each bad field to its reason."""


class PatientNotFoundError(DomainError):
    """No patient has the given id."""


class PatientNotChangeableError(DomainError):
    """The patient was erased or merged into another: their profile takes no more changes."""

    def __init__(self, patient_id: UUID, status: str) -> None:
        super().__init__(f"patient {patient_id} is {status}: the profile can no longer be changed")
        self.patient_id = patient_id
        self.status = status


class PatientsNotChangeableError(DomainError):
    """A change to many patients was refused as a whole: `reasons` maps each id that stopped
    it to why (`not found`, `erased`, `merged`); no patient was changed."""

    def __init__(self, reasons: dict[UUID, str]) -> None:
        listed = ", ".join(f"{patient_id} ({reason})" for patient_id, reason in reasons.items())
        super().__init__(f"no patient changed; refused: {listed}")
        self.reasons = dict(reasons)


class PatientNotMergedError(DomainError):
    """An unmerge of a profile that is not merged into the one named."""

    def __init__(self, patient_id: UUID, survivor_id: UUID | None = None) -> None:
        into = "" if survivor_id is None else f" into {survivor_id}"
        super().__init__(f"patient {patient_id} is not merged{into}: nothing to unmerge")
        self.patient_id = patient_id
        self.survivor_id = survivor_id
