"""patient imports (the list and each import's rejected rows) and match suggestions

New read models of events that did not exist before: nothing to replay.

Revision ID: 0008_imports_matches
Revises: 0007_list_filters
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_imports_matches"
down_revision = "0007_list_filters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_imports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("file_format", sa.String(length=10), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_patient_imports_requested_at", "patient_imports", ["requested_at"])
    op.create_table(
        "patient_import_problems",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("column_name", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("import_id", "seq"),
    )
    op.create_table(
        "match_suggestions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("patient_a", sa.Uuid(), nullable=False),
        sa.Column("patient_b", sa.Uuid(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("agreements", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("suggested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_match_suggestions_status_score", "match_suggestions", ["status", "score"])
    op.create_index("ix_match_suggestions_patient_a", "match_suggestions", ["patient_a"])
    op.create_index("ix_match_suggestions_patient_b", "match_suggestions", ["patient_b"])


def downgrade() -> None:
    op.drop_table("match_suggestions")
    op.drop_table("patient_import_problems")
    op.drop_index("ix_patient_imports_requested_at", table_name="patient_imports")
    op.drop_table("patient_imports")
