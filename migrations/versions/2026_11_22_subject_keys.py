"""subject keys: one wrapped key per data subject, for crypto-shredding

Revision ID: 0002_subject_keys
Revises: 0001_patient_list
Create Date: 2026-11-22 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_subject_keys"
down_revision = "0001_patient_list"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subject_keys",
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shredded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_subject_keys")),
    )


def downgrade() -> None:
    op.drop_table("subject_keys")
