"""patient list and projection tracking

Revision ID: 0001_patient_list
Revises: (none)
Create Date: 2026-11-22 05:38:24.041366
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def _key(length: int) -> sa.types.TypeEngine[str]:
    """Search keys compare byte-wise on PostgreSQL so prefix ranges can use the index."""
    return sa.String(length=length).with_variant(
        sa.String(length=length, collation="C"), "postgresql"
    )


revision = "0001_patient_list"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_list",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("surname", sa.String(length=100), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("patronymic", sa.String(length=100), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name_key", _key(310), nullable=False),
        sa.Column("given_name_key", _key(100), nullable=False),
        sa.Column("phone_key", _key(20), nullable=True),
        sa.Column("email_key", _key(320), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_list")),
    )
    with op.batch_alter_table("patient_list", schema=None) as batch_op:
        batch_op.create_index("ix_patient_list_email_key", ["email_key"], unique=False)
        batch_op.create_index("ix_patient_list_given_name_key", ["given_name_key"], unique=False)
        batch_op.create_index("ix_patient_list_name_key_id", ["name_key", "id"], unique=False)
        batch_op.create_index("ix_patient_list_phone_key", ["phone_key"], unique=False)

    op.create_table(
        "projection_tracking",
        sa.Column("projection", sa.String(length=100), nullable=False),
        sa.Column("application", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("projection", name=op.f("pk_projection_tracking")),
    )


def downgrade() -> None:
    op.drop_table("projection_tracking")
    with op.batch_alter_table("patient_list", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_list_phone_key")
        batch_op.drop_index("ix_patient_list_name_key_id")
        batch_op.drop_index("ix_patient_list_given_name_key")
        batch_op.drop_index("ix_patient_list_email_key")

    op.drop_table("patient_list")
