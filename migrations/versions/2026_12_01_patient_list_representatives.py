"""patient list: whose dependant each patient is, for the dependants on a profile

Representatives were first linked together with this column, so no event before it needs a
replay; otherwise run `clinic projections rebuild patient_list` after upgrading.

Revision ID: 0006_representatives
Revises: 0005_registration_order
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_representatives"
down_revision = "0005_registration_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patient_list", schema=None) as batch_op:
        batch_op.add_column(sa.Column("representative_id", sa.Uuid(), nullable=True))
        batch_op.create_index(
            "ix_patient_list_representative_id", ["representative_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("patient_list", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_list_representative_id")
        batch_op.drop_column("representative_id")
