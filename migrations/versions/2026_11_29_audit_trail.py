"""audit trail: who did what, when, to which subject — newest first, filtered

Revision ID: 0004_audit_trail
Revises: 0003_rate_limits
Create Date: 2026-11-29 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_audit_trail"
down_revision = "0003_rate_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_trail",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.String(length=100), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_trail")),
    )
    with op.batch_alter_table("audit_trail", schema=None) as batch_op:
        batch_op.create_index("ix_audit_trail_at_id", ["at", "id"], unique=False)
        batch_op.create_index("ix_audit_trail_actor_at", ["actor", "at"], unique=False)
        batch_op.create_index("ix_audit_trail_action_at", ["action", "at"], unique=False)
        batch_op.create_index(
            "ix_audit_trail_subject_at", ["subject_type", "subject_id", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_trail", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_trail_subject_at")
        batch_op.drop_index("ix_audit_trail_action_at")
        batch_op.drop_index("ix_audit_trail_actor_at")
        batch_op.drop_index("ix_audit_trail_at_id")

    op.drop_table("audit_trail")
