"""What other contexts may use of the patients context: ids and published events only."""

from __future__ import annotations

from clinic.domain.patients.patient import Patient

PatientRegistered = Patient.Registered

__all__ = ["PatientRegistered"]
