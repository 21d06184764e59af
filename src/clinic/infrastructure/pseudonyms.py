"""Pseudonyms as keyed hashes: HMAC-SHA256 of the subject's UUID under a key derived from
CLINIC_SECRET_KEY for this purpose only.

Stable for as long as the secret key is (rotating CLINIC_SECRET_KEY changes every pseudonym, so
earlier exports no longer join with new ones). Without the key a pseudonym reveals nothing: the
hash cannot be inverted, and trying every patient id needs the key too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from uuid import UUID

from clinic.infrastructure.settings import Settings

PREFIX = "p_"
LENGTH = 20
"""Base32 characters kept: 100 bits, no collision in any realistic number of patients."""


def pseudonym_key(settings: Settings) -> bytes:
    secret = settings.secret_key.get_secret_value().encode()
    return hashlib.sha256(b"clinic-cdp/pseudonyms/v1\0" + secret).digest()


class HmacPseudonymiser:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def pseudonym(self, subject_id: UUID) -> str:
        digest = hmac.new(self._key, subject_id.bytes, hashlib.sha256).digest()
        return PREFIX + base64.b32encode(digest).decode("ascii")[:LENGTH].lower()
