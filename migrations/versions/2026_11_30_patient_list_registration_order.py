"""patient list in registration order: the index analytics pages and exports walk

Revision ID: 0005_registration_order
Revises: 0004_audit_trail
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0005_registration_order"
down_revision = "0004_audit_trail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_patient_list_registered_at_id", "patient_list", ["registered_at", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_patient_list_registered_at_id", table_name="patient_list")
