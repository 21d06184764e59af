"""Read-model tables of the patients context."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Index, String, Table, Uuid

from clinic.infrastructure.db import metadata


def _key(length: int) -> String:
    """A search key compared byte-wise (PostgreSQL "C" collation) so prefix ranges use the index."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


patient_list = Table(
    "patient_list",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("surname", String(100), nullable=False),
    Column("given_name", String(100), nullable=False),
    Column("patronymic", String(100)),
    Column("sex", String(1)),
    Column("birth_date", Date),
    Column("phone", String(20)),
    Column("email", String(320)),
    Column("status", String(20), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("representative_id", Uuid),  # whose dependant the patient is
    # Search keys: lower-cased, ё→е; phone digits without '+'.
    Column("name_key", _key(310), nullable=False),
    Column("given_name_key", _key(100), nullable=False),
    Column("phone_key", _key(20)),
    Column("email_key", _key(320)),
)
Index("ix_patient_list_name_key_id", patient_list.c.name_key, patient_list.c.id)
Index("ix_patient_list_given_name_key", patient_list.c.given_name_key)
Index("ix_patient_list_phone_key", patient_list.c.phone_key)
Index("ix_patient_list_email_key", patient_list.c.email_key)
# Analytics pages and exports go in registration order.
Index("ix_patient_list_registered_at_id", patient_list.c.registered_at, patient_list.c.id)
Index("ix_patient_list_representative_id", patient_list.c.representative_id)
