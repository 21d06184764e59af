"""Signed tokens: round trip, expiry, one key per purpose, forgeries and garbage refused; and
the sign-in's `next` target, which must never lead off the site."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Role
from clinic.infrastructure.signing import EXPIRES, ISSUED, InvalidTokenError, TokenSigner
from clinic.presentation.authentication import (
    API_TOKEN_LIFETIME,
    SESSION_LIFETIME,
    Authenticator,
)
from clinic.presentation.web.access import safe_next
from tests.unit.application.fakes import FixedClock

SECRET = b"s" * 32
NOW = datetime(2026, 11, 22, 9, 30, 15, 250_000, tzinfo=UTC)
HOUR = timedelta(hours=1)
CLAIMS = {"sub": "ivanova", "n": 7}

signer = TokenSigner(SECRET, "session")
TOKEN = signer.sign(CLAIMS, NOW, HOUR)
TOKEN_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.="

json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
claims_strategy = st.dictionaries(
    st.text(max_size=10).filter(lambda k: k not in (ISSUED, EXPIRES)), json_scalars, max_size=5
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class TestTokenSigner:
    @given(claims_strategy)
    def test_a_token_carries_its_claims_and_times(self, claims: dict[str, Any]) -> None:
        token = signer.sign(claims, NOW, HOUR)
        assert signer.verify(token, NOW) == {
            **claims,
            ISSUED: int(NOW.timestamp() * 1000),
            EXPIRES: int((NOW + HOUR).timestamp()),
        }

    def test_a_token_is_ascii_url_safe_and_holds_no_padding(self) -> None:
        body, dot, mac = TOKEN.partition(".")
        assert dot == "."
        assert set(body + mac) <= set(TOKEN_CHARACTERS) - {".", "="}

    def test_a_token_is_good_until_it_expires(self) -> None:
        expires = datetime.fromtimestamp(int((NOW + HOUR).timestamp()), UTC)
        assert signer.verify(TOKEN, expires - timedelta(microseconds=1))["sub"] == "ivanova"
        for later in (expires, expires + timedelta(days=365)):
            with pytest.raises(InvalidTokenError, match="expired"):
                signer.verify(TOKEN, later)

    def test_a_token_of_another_purpose_is_refused(self) -> None:
        with pytest.raises(InvalidTokenError, match="forged"):
            TokenSigner(SECRET, "api-token").verify(TOKEN, NOW)

    def test_a_token_signed_with_another_secret_is_refused(self) -> None:
        with pytest.raises(InvalidTokenError, match="forged"):
            TokenSigner(b"t" * 32, "session").verify(TOKEN, NOW)

    def test_a_rewritten_payload_is_refused(self) -> None:
        _, _, mac = TOKEN.partition(".")
        payload = {**CLAIMS, "sub": "admin", ISSUED: 0, EXPIRES: 2**40}
        body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
        with pytest.raises(InvalidTokenError):
            signer.verify(f"{body}.{mac}", NOW)

    def test_a_genuine_token_without_an_integer_expiry_is_refused(self) -> None:
        """Defence in depth: the same key signing a payload without `exp` proves nothing."""
        body = _b64(json.dumps({"sub": "ivanova", EXPIRES: "never"}).encode())
        mac = _b64(signer._mac(body))
        with pytest.raises(InvalidTokenError, match="expired"):
            signer.verify(f"{body}.{mac}", NOW)

    def test_a_genuine_token_whose_payload_is_no_object_is_refused(self) -> None:
        body = _b64(b"[1, 2]")
        with pytest.raises(InvalidTokenError, match="malformed"):
            signer.verify(f"{body}.{_b64(signer._mac(body))}", NOW)

    @given(st.data())
    def test_changing_any_character_never_yields_other_claims(self, data: st.DataObject) -> None:
        position = data.draw(st.integers(0, len(TOKEN) - 1), label="position")
        replacement = data.draw(
            (st.sampled_from(TOKEN_CHARACTERS) | st.characters()).filter(
                lambda c: c != TOKEN[position]
            ),
            label="replacement",
        )
        tampered = TOKEN[:position] + replacement + TOKEN[position + 1 :]
        try:
            claims = signer.verify(tampered, NOW)
        except InvalidTokenError:
            return
        # Unpadded base64 leaves spare bits in the last character of the MAC: a token may have a
        # few spellings, but each one says exactly what the genuine token says.
        assert claims == signer.verify(TOKEN, NOW)
        assert position == len(TOKEN) - 1

    @given(st.text())
    @example("")
    @example(".")
    @example("..")
    @example("é.é")
    @example("\x00.\x00")
    @example(_b64(b"{}") + ".")
    @example(_b64(b"\xff\xfe") + ".AAAA")
    @example(TOKEN.replace(".", ""))
    def test_garbage_is_only_ever_an_invalid_token(self, text: str) -> None:
        with pytest.raises(InvalidTokenError):
            signer.verify(text, NOW)

    @given(st.text(alphabet=TOKEN_CHARACTERS), st.text(alphabet=TOKEN_CHARACTERS))
    def test_token_shaped_garbage_is_only_ever_an_invalid_token(self, body: str, mac: str) -> None:
        with pytest.raises(InvalidTokenError):
            signer.verify(f"{body}.{mac}", NOW)

    def test_a_deeply_nested_forged_payload_is_only_an_invalid_token(self) -> None:
        with pytest.raises(InvalidTokenError):
            signer.verify(f"{_b64(b'[' * 100_000)}.AAAA", NOW)


@dataclass
class StubIdentity:
    """Stands in for IdentityService.actor: every known user acts, and the calls are kept."""

    users: dict[str, Actor]
    asked: list[tuple[str, datetime]] = field(default_factory=list)

    def actor(self, username: str, issued_at: datetime) -> Actor | None:
        self.asked.append((username, issued_at))
        return self.users.get(username)


class TestAuthenticator:
    @pytest.fixture
    def clock(self) -> FixedClock:
        return FixedClock(NOW)

    @pytest.fixture
    def identity(self) -> StubIdentity:
        return StubIdentity({"ivanova": Actor.of("ivanova", Role.MARKETER)})

    @pytest.fixture
    def authenticator(self, identity: StubIdentity, clock: FixedClock) -> Authenticator:
        return Authenticator(identity, SECRET, clock)

    def test_a_token_asks_the_identity_context_with_its_issue_time(
        self, authenticator: Authenticator, identity: StubIdentity
    ) -> None:
        actor = identity.users["ivanova"]
        assert authenticator.actor_of_api_token(authenticator.api_token(actor)) == actor
        assert authenticator.actor_of_session(authenticator.session(actor)) == actor
        issued = datetime.fromtimestamp(int(NOW.timestamp() * 1000) / 1000, UTC)
        assert identity.asked == [("ivanova", issued), ("ivanova", issued)]

    def test_api_tokens_and_sessions_are_not_interchangeable(
        self, authenticator: Authenticator
    ) -> None:
        actor = Actor.of("ivanova", Role.MARKETER)
        assert authenticator.actor_of_session(authenticator.api_token(actor)) is None
        assert authenticator.actor_of_api_token(authenticator.session(actor)) is None
        assert authenticator.actor_of_api_token(authenticator.csrf_token("ivanova")) is None
        assert authenticator.actor_of_session(authenticator.csrf_token("ivanova")) is None

    @pytest.mark.parametrize(
        ("mint", "read", "lifetime"),
        [
            ("api_token", "actor_of_api_token", API_TOKEN_LIFETIME),
            ("session", "actor_of_session", SESSION_LIFETIME),
        ],
    )
    def test_tokens_expire(
        self,
        authenticator: Authenticator,
        clock: FixedClock,
        mint: str,
        read: str,
        lifetime: timedelta,
    ) -> None:
        token = getattr(authenticator, mint)(Actor.of("ivanova", Role.MARKETER))
        clock.moment = NOW + lifetime - timedelta(seconds=1)
        assert getattr(authenticator, read)(token) is not None
        clock.moment = NOW + lifetime
        assert getattr(authenticator, read)(token) is None

    def test_api_tokens_last_an_hour_and_sessions_a_working_day(self) -> None:
        assert (timedelta(hours=1), timedelta(hours=8)) == (API_TOKEN_LIFETIME, SESSION_LIFETIME)

    def test_the_identity_context_has_the_last_word(
        self, authenticator: Authenticator, identity: StubIdentity
    ) -> None:
        token = authenticator.session(Actor.of("ivanova", Role.MARKETER))
        identity.users.clear()  # disabled, reset or gone
        assert authenticator.actor_of_session(token) is None

    def test_a_form_token_is_bound_to_its_nonce_or_session(
        self, authenticator: Authenticator, clock: FixedClock
    ) -> None:
        token = authenticator.csrf_token("nonce-1")
        assert authenticator.csrf_valid(token, "nonce-1")
        assert not authenticator.csrf_valid(token, "nonce-2")
        assert not authenticator.csrf_valid("", "nonce-1")
        assert not authenticator.csrf_valid(token + "x", "nonce-1")
        session = authenticator.session(Actor.of("ivanova", Role.MARKETER))
        assert not authenticator.csrf_valid(session, "nonce-1")  # a session is no form token
        clock.moment = NOW + SESSION_LIFETIME
        assert not authenticator.csrf_valid(token, "nonce-1")


class TestSafeNext:
    @pytest.mark.parametrize(
        "target", ["/", "/patients/42", "/?q=%D0%B8%D0%B2", "/audit?actor=a&page=2#top"]
    )
    def test_a_path_on_this_site_is_kept(self, target: str) -> None:
        assert safe_next(target) == target

    @pytest.mark.parametrize(
        "target",
        [
            None,
            "",
            "//evil.example",
            "//evil.example/patients",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
        ],
    )
    def test_anything_that_could_leave_the_site_goes_home(self, target: str | None) -> None:
        assert safe_next(target) == "/"

    @given(st.none() | st.text() | st.text().map(lambda t: "/" + t))
    @example("///evil.example")
    @example("/\\/evil.example")
    @example("/\x7f")
    def test_the_result_is_always_a_local_path(self, target: str | None) -> None:
        result = safe_next(target)
        assert result in (target, "/")
        assert result.startswith("/")
        assert not result.startswith(("//", "/\\"))
        assert not any(ord(c) < 0x20 for c in result)
        parts = urlsplit(result)
        assert (parts.scheme, parts.netloc) == ("", "")
