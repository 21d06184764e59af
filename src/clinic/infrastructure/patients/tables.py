"""Read-model tables of the patients context: the patient list and what its filters look up."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Index, PrimaryKeyConstraint, String, Table, Uuid

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
    Column("city", String(100)),
    Column("merged_into", Uuid),  # the survivor of a merge, while the patient is merged
    # Search keys: lower-cased, ё→е; phone digits without '+'.
    Column("name_key", _key(310), nullable=False),
    Column("given_name_key", _key(100), nullable=False),
    Column("phone_key", _key(20)),
    Column("email_key", _key(320)),
    Column("city_key", _key(100)),
)
Index("ix_patient_list_name_key_id", patient_list.c.name_key, patient_list.c.id)
Index("ix_patient_list_given_name_key", patient_list.c.given_name_key)
Index("ix_patient_list_phone_key", patient_list.c.phone_key)
Index("ix_patient_list_email_key", patient_list.c.email_key)
# Analytics pages and exports go in registration order.
Index("ix_patient_list_registered_at_id", patient_list.c.registered_at, patient_list.c.id)
Index("ix_patient_list_representative_id", patient_list.c.representative_id)
# The list sorted by birth date: those with one in order, then those without one by id.
Index("ix_patient_list_birth_date_id", patient_list.c.birth_date, patient_list.c.id)
Index(
    "ix_patient_list_undated_id",
    patient_list.c.id,
    postgresql_where=patient_list.c.birth_date.is_(None),
    sqlite_where=patient_list.c.birth_date.is_(None),
)
# Filters that can be selective enough for the list to start from them, in name order.
Index(
    "ix_patient_list_status_name_key_id",
    patient_list.c.status,
    patient_list.c.name_key,
    patient_list.c.id,
)
Index(
    "ix_patient_list_city_key_name_key_id",
    patient_list.c.city_key,
    patient_list.c.name_key,
    patient_list.c.id,
)

patient_tags = Table(
    "patient_tags",
    metadata,
    Column("patient_id", Uuid, nullable=False),
    Column("tag", String(50), nullable=False),
    PrimaryKeyConstraint("patient_id", "tag"),
)
Index("ix_patient_tags_tag_patient_id", patient_tags.c.tag, patient_tags.c.patient_id)

patient_consents = Table(
    "patient_consents",
    metadata,
    Column("patient_id", Uuid, nullable=False),
    Column("channel", String(20), nullable=False),
    Column("purpose", String(20), nullable=False),
    PrimaryKeyConstraint("patient_id", "channel", "purpose"),
)
"""The consents each patient has granted (a withdrawn one has no row)."""
Index(
    "ix_patient_consents_channel_purpose_patient_id",
    patient_consents.c.channel,
    patient_consents.c.purpose,
    patient_consents.c.patient_id,
)

NO_EXTERNAL_ID = ""
"""The external id of a source the patient was registered from without a record there."""
patient_sources = Table(
    "patient_sources",
    metadata,
    Column("patient_id", Uuid, nullable=False),
    Column("source", String(50), nullable=False),
    Column("external_id", String(100), nullable=False),
    PrimaryKeyConstraint("patient_id", "source", "external_id"),
)
"""Where each patient came from: the registration's source and their records in other systems."""
Index(
    "ix_patient_sources_source_external_id_patient_id",
    patient_sources.c.source,
    patient_sources.c.external_id,
    patient_sources.c.patient_id,
)
