"""Made-up patients' details that no demo patient (or other test) has."""

from __future__ import annotations

import random
import uuid

CYRILLIC = "абвгдежзиклмнопрстуфхцчшэюя"


def unique_surname(stem: str) -> str:
    """A surname no demo patient has: `stem` plus letters derived from a fresh uuid."""
    suffix = "".join(CYRILLIC[byte % len(CYRILLIC)] for byte in uuid.uuid4().bytes[:6])
    return f"{stem}{suffix}"


def unique_mobile() -> str:
    """Seven random digits after a Moscow mobile code."""
    return "".join(random.choices("0123456789", k=7))


def shown_mobile(digits: str) -> str:
    """How the screens show `+7 916` and these seven digits."""
    return f"+7 916 {digits[:3]}-{digits[3:5]}-{digits[5:]}"
