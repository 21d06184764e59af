"""Read-model table of the audit context."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table, Text, Uuid

from clinic.infrastructure.db import metadata

audit_trail = Table(
    "audit_trail",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("role", String(32)),
    Column("action", String(64), nullable=False),
    Column("subject_type", String(40)),
    Column("subject_id", String(100)),
    Column("details", Text, nullable=False),  # a flat JSON object
)
# Newest first, after any one filter: each index ends with the sort key.
Index("ix_audit_trail_at_id", audit_trail.c.at, audit_trail.c.id)
Index("ix_audit_trail_actor_at", audit_trail.c.actor, audit_trail.c.at)
Index("ix_audit_trail_action_at", audit_trail.c.action, audit_trail.c.at)
Index(
    "ix_audit_trail_subject_at",
    audit_trail.c.subject_type,
    audit_trail.c.subject_id,
    audit_trail.c.at,
)
