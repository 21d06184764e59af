"""Fixtures shared by every test tier."""

from __future__ import annotations

import os

os.environ.setdefault("CLINIC_LOG_FORMAT", "console")
os.environ.setdefault("CLINIC_LOG_LEVEL", "WARNING")
