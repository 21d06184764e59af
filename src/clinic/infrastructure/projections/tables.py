"""The tracking table: how far each projection has applied its application's events."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, String, Table

from clinic.infrastructure.db import metadata

projection_tracking = Table(
    "projection_tracking",
    metadata,
    Column("projection", String(100), primary_key=True),
    Column("application", String(100), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
