"""patient list filters: city, merges, tags, granted consents and sources; sorts by birth date

The new tables are filled from events recorded before them (tags, consents and source records
exist already), so the upgrade empties the patient list and rewinds its projection: it rebuilds
from the first event when the projections next run (`clinic serve` or `clinic projections`).

Revision ID: 0007_list_filters
Revises: 0006_representatives
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_list_filters"
down_revision = "0006_representatives"
branch_labels = None
depends_on = None

PROJECTION = "patient_list"


def _key(length: int) -> sa.types.TypeEngine[str]:
    """Search keys compare byte-wise on PostgreSQL so prefix ranges can use the index."""
    return sa.String(length=length).with_variant(
        sa.String(length=length, collation="C"), "postgresql"
    )


def upgrade() -> None:
    with op.batch_alter_table("patient_list", schema=None) as batch_op:
        batch_op.add_column(sa.Column("city", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("merged_into", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("city_key", _key(100), nullable=True))
        batch_op.create_index("ix_patient_list_birth_date_id", ["birth_date", "id"], unique=False)
        batch_op.create_index(
            "ix_patient_list_undated_id",
            ["id"],
            unique=False,
            postgresql_where=sa.text("birth_date IS NULL"),
            sqlite_where=sa.text("birth_date IS NULL"),
        )
        batch_op.create_index(
            "ix_patient_list_status_name_key_id", ["status", "name_key", "id"], unique=False
        )
        batch_op.create_index(
            "ix_patient_list_city_key_name_key_id", ["city_key", "name_key", "id"], unique=False
        )
    _create_side_tables()
    _rebuild_patient_list()


def _create_side_tables() -> None:
    op.create_table(
        "patient_tags",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("patient_id", "tag", name=op.f("pk_patient_tags")),
    )
    op.create_index("ix_patient_tags_tag_patient_id", "patient_tags", ["tag", "patient_id"])
    op.create_table(
        "patient_consents",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint(
            "patient_id", "channel", "purpose", name=op.f("pk_patient_consents")
        ),
    )
    op.create_index(
        "ix_patient_consents_channel_purpose_patient_id",
        "patient_consents",
        ["channel", "purpose", "patient_id"],
    )
    op.create_table(
        "patient_sources",
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint(
            "patient_id", "source", "external_id", name=op.f("pk_patient_sources")
        ),
    )
    op.create_index(
        "ix_patient_sources_source_external_id_patient_id",
        "patient_sources",
        ["source", "external_id", "patient_id"],
    )


def _rebuild_patient_list() -> None:
    """Empties the list and rewinds its projection, as `clinic projections rebuild` would."""
    op.execute(sa.text("DELETE FROM patient_list"))
    op.execute(
        sa.text(
            "UPDATE projection_tracking SET position = 0 WHERE projection = :projection"
        ).bindparams(projection=PROJECTION)
    )


def downgrade() -> None:
    op.drop_table("patient_sources")
    op.drop_table("patient_consents")
    op.drop_table("patient_tags")
    with op.batch_alter_table("patient_list", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_list_city_key_name_key_id")
        batch_op.drop_index("ix_patient_list_status_name_key_id")
        batch_op.drop_index("ix_patient_list_undated_id")
        batch_op.drop_index("ix_patient_list_birth_date_id")
        batch_op.drop_column("city_key")
        batch_op.drop_column("merged_into")
        batch_op.drop_column("city")
