"""Pagination cursors sealed by the server: opaque, tamper-proof, and revealing no row data.

A keyset cursor holds the sort key of the last row seen (for patients: their lower-cased name),
and cursors end up in URLs and access logs; sealing them (AES-GCM under a key derived from
CLINIC_SECRET_KEY) keeps that personal data out of both and makes forged cursors fail cleanly.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from clinic.application.shared.errors import InvalidCursorError
from clinic.infrastructure.settings import Settings

NONCE_BYTES = 12


def cursor_key(settings: Settings) -> bytes:
    secret = settings.secret_key.get_secret_value().encode()
    return hashlib.sha256(b"clinic-cdp/cursors/v1\0" + secret).digest()


class SealedCursors:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, values: list[Any]) -> str:
        nonce = os.urandom(NONCE_BYTES)
        box = nonce + self._aead.encrypt(nonce, json.dumps(values).encode(), None)
        return base64.urlsafe_b64encode(box).decode().rstrip("=")

    def open(self, cursor: str) -> list[Any]:
        """The values sealed in `cursor`; InvalidCursorError for anything not issued here."""
        try:
            box = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(self._aead.decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], None))
        except (binascii.Error, ValueError, InvalidTag):
            raise InvalidCursorError("cursor: not a cursor this server issued") from None
        if not isinstance(values, list):
            raise InvalidCursorError("cursor: not a cursor this server issued")
        return values
