"""Every read-model table, registered on one MetaData (what Alembic compares against)."""

from __future__ import annotations

from clinic.infrastructure import personal_data_vault, rate_limits
from clinic.infrastructure.audit import tables as audit_tables
from clinic.infrastructure.db import metadata
from clinic.infrastructure.patients import import_records, suggestions
from clinic.infrastructure.patients import tables as patient_tables
from clinic.infrastructure.projections import tables as projection_tables

__all__ = [
    "audit_tables",
    "import_records",
    "metadata",
    "patient_tables",
    "personal_data_vault",
    "projection_tables",
    "rate_limits",
    "suggestions",
]
