"""Link tokens: tamper-proof to the last character, and bound to their purpose."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.application.shared.links import InvalidLinkError, Link
from clinic.infrastructure.signed_links import SignedLinkTokens
from clinic.infrastructure.signing import TokenSigner

SECRET = b"k" * 32
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LINK = Link("unsubscribe", "0b6f6f9e-4a53-4c8a-9a43-3f1d4f5e9a10", {"campaign": "c-17"}, NOW)
TOKENS = SignedLinkTokens(SECRET)
TOKEN = TOKENS.seal(Link(LINK.purpose, LINK.subject_id, LINK.claims, NOW + timedelta(days=1)), NOW)


def _reencoded(token: str, change: dict[str, object]) -> str:
    body, _, mac = token.partition(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload.update(change)
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + mac


class TestTampering:
    def test_the_untouched_token_opens(self) -> None:
        assert TOKENS.open(TOKEN, NOW).subject_id == LINK.subject_id

    @given(
        position=st.integers(min_value=0, max_value=len(TOKEN) - 1),
        replacement=st.characters(codec="ascii"),
    )
    def test_any_single_character_change_is_refused(self, position: int, replacement: str) -> None:
        tampered = TOKEN[:position] + replacement + TOKEN[position + 1 :]
        if tampered == TOKEN:
            return
        with pytest.raises(InvalidLinkError):
            TOKENS.open(tampered, NOW)

    @given(st.integers(min_value=0, max_value=len(TOKEN) - 1))
    def test_a_cut_token_is_refused(self, length: int) -> None:
        with pytest.raises(InvalidLinkError):
            TOKENS.open(TOKEN[:length], NOW)


class TestPurposeBinding:
    def test_relabelling_the_purpose_is_refused(self) -> None:
        relabelled = _reencoded(TOKEN, {"p": "confirm-visit"})

        with pytest.raises(InvalidLinkError):
            TOKENS.open(relabelled, NOW)

    def test_a_session_token_is_not_a_link(self) -> None:
        session = TokenSigner(SECRET, "session").sign(
            {"p": "unsubscribe", "s": LINK.subject_id}, NOW, timedelta(hours=1)
        )

        with pytest.raises(InvalidLinkError):
            TOKENS.open(session, NOW)

    def test_a_link_is_not_a_session_token(self) -> None:
        with pytest.raises(Exception, match="forged"):
            TokenSigner(SECRET, "session").verify(TOKEN, NOW)

    def test_expiry_is_checked_when_opening(self) -> None:
        with pytest.raises(InvalidLinkError):
            TOKENS.open(TOKEN, NOW + timedelta(days=1))
