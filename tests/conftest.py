"""Fixtures shared by every test tier."""

from __future__ import annotations

import os

os.environ.setdefault("CLINIC_LOG_FORMAT", "console")
os.environ.setdefault("CLINIC_LOG_LEVEL", "WARNING")

from hypothesis import HealthCheck, settings

# Timing checks fail on a loaded 2-core machine for reasons unrelated to the code under test.
settings.register_profile("clinic", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("clinic")
