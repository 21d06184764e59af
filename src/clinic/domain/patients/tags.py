"""Tags: free labels on a patient (`vip`, `contraindication:x-ray`), compared case-blind."""

from __future__ import annotations

from typing import Any

from clinic.domain.shared.text import single_line

MAX_TAG_LENGTH = 50


def parse_tag(raw: Any, field: str = "tag") -> str:
    """`raw` trimmed, inner spaces collapsed and case-folded; 1-50 characters."""
    return single_line(raw.casefold() if isinstance(raw, str) else raw, field, MAX_TAG_LENGTH)
