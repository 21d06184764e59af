"""Sign-in with lockout, the actor behind a session or token, and the audit of both — no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from clinic.application.identity import service as service_module
from clinic.application.identity.service import (
    FAILURES_PER_CLIENT,
    FAILURES_PER_USERNAME,
    IdentityService,
)
from clinic.application.shared.actor import Actor
from clinic.application.shared.audit import AuditDetail, AuditTrail
from clinic.application.shared.ports import Limit, RateLimiter
from clinic.domain.identity.errors import SignInLockedError
from clinic.domain.identity.user import User
from clinic.domain.identity.values import user_id
from clinic.domain.shared.access import Permission, Role
from tests.unit.application.fakes import POPO, FixedClock

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"
WRONG = "not the password at all"
CLIENT = "203.0.113.7"
START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
WINDOW = FAILURES_PER_USERNAME.window


class ReversedHasher:
    def hash(self, password: str) -> str:
        return "h:" + password[::-1]

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == self.hash(password)


@dataclass
class InMemoryRateLimiter:
    """Fixed-window counters in a dict, on the test's clock (as SqlRateLimiter counts)."""

    clock: FixedClock
    windows: dict[str, tuple[datetime, int]] = field(default_factory=dict)

    def hit(self, key: str, limit: Limit) -> float | None:
        now = self.clock.now()
        start, hits = self.windows.get(key, (now, 0))
        if start + limit.window <= now:
            start, hits = now, 0
        self.windows[key] = (start, hits + 1)
        return self._wait(key, limit, allowed=limit.hits)

    def retry_after(self, key: str, limit: Limit) -> float | None:
        return self._wait(key, limit, allowed=limit.hits - 1)

    def reset(self, key: str) -> None:
        self.windows.pop(key, None)

    def _wait(self, key: str, limit: Limit, *, allowed: int) -> float | None:
        if key not in self.windows:
            return None
        start, hits = self.windows[key]
        now, ends = self.clock.now(), start + limit.window
        if hits <= allowed or ends <= now:
            return None
        return max((ends - now).total_seconds(), 1.0)


@dataclass(frozen=True)
class Recorded:
    actor: Actor
    action: str
    subject_type: str | None
    subject_id: str | None
    details: dict[str, AuditDetail]


@dataclass
class CollectingAuditTrail:
    records: list[Recorded] = field(default_factory=list)

    def record(
        self,
        actor: Actor,
        action: str,
        subject_type: str | None = None,
        subject_id: str | None = None,
        details: Mapping[str, AuditDetail] | None = None,
    ) -> None:
        self.records.append(Recorded(actor, action, subject_type, subject_id, dict(details or {})))

    def actions(self) -> list[str]:
        return [r.action for r in self.records]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def limiter(clock: FixedClock) -> InMemoryRateLimiter:
    return InMemoryRateLimiter(clock)


@pytest.fixture
def audit() -> CollectingAuditTrail:
    return CollectingAuditTrail()


@pytest.fixture
def identity(
    clock: FixedClock, limiter: InMemoryRateLimiter, audit: CollectingAuditTrail
) -> IdentityService:
    attempts: RateLimiter = limiter  # the fakes satisfy the ports
    trail: AuditTrail = audit
    service = IdentityService(clock, ReversedHasher(), attempts=attempts, audit=trail, env=POPO)
    service.add_user("ivanova", PASSWORD, "marketer")
    service.add_user("petrov", PASSWORD, "call_centre")
    audit.records.clear()
    return service


def fail(
    identity: IdentityService, times: int, username: str = "ivanova", client: str = CLIENT
) -> None:
    for _ in range(times):
        assert identity.sign_in(username, WRONG, client) is None


class TestSignIn:
    def test_the_right_password_signs_in(self, identity: IdentityService) -> None:
        assert identity.sign_in(" Ivanova ", PASSWORD, CLIENT) == Actor.of("ivanova", Role.MARKETER)

    def test_wrong_password_unknown_and_disabled_users_fail_alike(
        self, identity: IdentityService
    ) -> None:
        identity.disable_user("petrov")
        assert identity.sign_in("ivanova", WRONG, CLIENT) is None
        assert identity.sign_in("nobody", PASSWORD, CLIENT) is None
        assert identity.sign_in("petrov", PASSWORD, CLIENT) is None

    def test_without_a_rate_limiter_there_is_no_lockout(self, clock: FixedClock) -> None:
        service = IdentityService(clock, ReversedHasher(), env=POPO)
        service.add_user("ivanova", PASSWORD, "admin")
        fail(service, 30)
        assert service.sign_in("ivanova", PASSWORD, CLIENT) is not None


class TestLockoutPerUsername:
    def test_five_failures_lock_the_username_even_for_the_right_password(
        self, identity: IdentityService
    ) -> None:
        assert FAILURES_PER_USERNAME.hits == 5
        fail(identity, 4)
        assert identity.sign_in("ivanova", PASSWORD, "198.51.100.1") is not None
        fail(identity, 5)
        with pytest.raises(SignInLockedError):
            identity.sign_in("ivanova", PASSWORD, CLIENT)

    def test_the_lock_holds_from_any_client_and_in_any_case(
        self, identity: IdentityService
    ) -> None:
        fail(identity, 5, username="IVANOVA")
        for client in ("198.51.100.1", "2001:db8::1"):
            with pytest.raises(SignInLockedError):
                identity.sign_in(" ivanova ", PASSWORD, client)

    def test_the_lock_leaves_other_users_alone(self, identity: IdentityService) -> None:
        fail(identity, 5)
        assert identity.sign_in("petrov", PASSWORD, CLIENT) is not None

    def test_the_locked_error_says_how_long_to_wait(
        self, identity: IdentityService, clock: FixedClock
    ) -> None:
        fail(identity, 5)
        clock.moment += timedelta(minutes=5)
        with pytest.raises(SignInLockedError) as caught:
            identity.sign_in("ivanova", PASSWORD, CLIENT)
        assert caught.value.retry_after == pytest.approx(10 * 60)
        assert "600 s" in str(caught.value)

    def test_attempts_while_locked_do_not_extend_the_lock(
        self, identity: IdentityService, clock: FixedClock
    ) -> None:
        fail(identity, 5)
        for _ in range(10):
            with pytest.raises(SignInLockedError):
                identity.sign_in("ivanova", WRONG, CLIENT)
        clock.moment += WINDOW
        assert identity.sign_in("ivanova", PASSWORD, CLIENT) is not None

    def test_the_lock_ends_with_its_window(
        self, identity: IdentityService, clock: FixedClock
    ) -> None:
        fail(identity, 5)
        clock.moment += WINDOW - timedelta(seconds=1)
        with pytest.raises(SignInLockedError) as caught:
            identity.sign_in("ivanova", PASSWORD, CLIENT)
        assert caught.value.retry_after == pytest.approx(1.0)
        clock.moment += timedelta(seconds=1)
        assert identity.sign_in("ivanova", PASSWORD, CLIENT) is not None

    def test_a_success_resets_the_username_counter(self, identity: IdentityService) -> None:
        fail(identity, 4)
        assert identity.sign_in("ivanova", PASSWORD, CLIENT) is not None
        fail(identity, 4)
        assert identity.sign_in("ivanova", PASSWORD, CLIENT) is not None

    def test_failures_spread_over_windows_never_lock(
        self, identity: IdentityService, clock: FixedClock
    ) -> None:
        for _ in range(3):
            fail(identity, 4)
            clock.moment += WINDOW
        assert identity.sign_in("ivanova", PASSWORD, CLIENT) is not None


class TestLockoutPerClient:
    def test_twenty_failures_from_one_address_lock_it_for_every_username(
        self, identity: IdentityService
    ) -> None:
        assert FAILURES_PER_CLIENT.hits == 20
        for n in range(20):  # a different username each time: no username is locked
            assert identity.sign_in(f"guess{n}", WRONG, CLIENT) is None
        with pytest.raises(SignInLockedError) as caught:
            identity.sign_in("petrov", PASSWORD, CLIENT)
        assert caught.value.retry_after == pytest.approx(WINDOW.total_seconds())
        assert identity.sign_in("petrov", PASSWORD, "198.51.100.1") is not None

    def test_nineteen_failures_leave_the_address_open(self, identity: IdentityService) -> None:
        for n in range(19):
            assert identity.sign_in(f"guess{n}", WRONG, CLIENT) is None
        assert identity.sign_in("petrov", PASSWORD, CLIENT) is not None

    def test_a_success_does_not_reset_the_client_counter(self, identity: IdentityService) -> None:
        """Else one known account would let an address guess other passwords forever."""
        for n in range(19):
            assert identity.sign_in(f"guess{n}", WRONG, CLIENT) is None
        assert identity.sign_in("petrov", PASSWORD, CLIENT) is not None
        assert identity.sign_in("guess-last", WRONG, CLIENT) is None
        with pytest.raises(SignInLockedError):
            identity.sign_in("petrov", PASSWORD, CLIENT)

    def test_the_longer_of_both_waits_is_reported(
        self, identity: IdentityService, clock: FixedClock
    ) -> None:
        fail(identity, 5)  # username ivanova: window from START
        clock.moment += timedelta(minutes=5)
        for n in range(20):  # another address: window from START + 5 min
            identity.sign_in(f"guess{n}", WRONG, "198.51.100.9")
        # Locked by username only (10 min left) from CLIENT...
        with pytest.raises(SignInLockedError) as by_name:
            identity.sign_in("ivanova", PASSWORD, CLIENT)
        assert by_name.value.retry_after == pytest.approx(10 * 60)
        # ...and by both from the other address: its window is the longer.
        with pytest.raises(SignInLockedError) as by_both:
            identity.sign_in("ivanova", PASSWORD, "198.51.100.9")
        assert by_both.value.retry_after == pytest.approx(15 * 60)


class TestActor:
    def test_a_token_names_the_user_with_their_role(self, identity: IdentityService) -> None:
        assert identity.actor("ivanova", START) == Actor.of("ivanova", Role.MARKETER)

    def test_an_unknown_user_has_no_actor(self, identity: IdentityService) -> None:
        assert identity.actor("nobody", START) is None

    def test_tokens_issued_before_a_password_reset_are_refused(
        self, identity: IdentityService, clock: FixedClock
    ) -> None:
        assert identity.actor("ivanova", START) is not None  # cached now
        clock.moment = START + timedelta(hours=1, milliseconds=400)
        identity.reset_password("ivanova", NEW_PASSWORD)
        assert identity.actor("ivanova", START) is None
        assert identity.actor("ivanova", START + timedelta(minutes=59, seconds=59)) is None
        # Tokens carry milliseconds: one issued in the millisecond of the reset is after it.
        assert identity.actor("ivanova", START + timedelta(hours=1, milliseconds=399)) is None
        assert identity.actor("ivanova", START + timedelta(hours=1, milliseconds=400)) is not None
        assert identity.actor("ivanova", START + timedelta(hours=2)) is not None

    def test_a_disabled_user_has_no_actor_whenever_the_token_was_issued(
        self, identity: IdentityService, clock: FixedClock
    ) -> None:
        assert identity.actor("petrov", START) is not None
        clock.moment = START + timedelta(hours=1)
        identity.disable_user("petrov")
        assert identity.actor("petrov", START) is None
        assert identity.actor("petrov", START + timedelta(hours=2)) is None

    def test_enabling_again_does_not_revive_older_tokens(
        self, identity: IdentityService, clock: FixedClock
    ) -> None:
        clock.moment = START + timedelta(hours=1)
        identity.disable_user("petrov")
        clock.moment = START + timedelta(hours=2)
        identity.enable_user("petrov")
        assert identity.actor("petrov", START) is None
        assert identity.actor("petrov", START + timedelta(hours=2)) is not None

    def test_a_grant_and_a_revoke_show_at_once(self, identity: IdentityService) -> None:
        actor = identity.actor("ivanova", START)
        assert actor is not None
        assert Permission.PATIENTS_EXPORT not in actor.permissions
        identity.grant_permission("ivanova", "patients:export")
        granted = identity.actor("ivanova", START)
        assert granted is not None
        assert Permission.PATIENTS_EXPORT in granted.permissions
        identity.revoke_permission("ivanova", "patients:export")
        revoked = identity.actor("ivanova", START)
        assert revoked is not None
        assert Permission.PATIENTS_EXPORT not in revoked.permissions

    def test_the_actor_is_cached_for_a_few_seconds(
        self, identity: IdentityService, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Changes made through another process's service show once the cache expires."""
        now = [1000.0]
        monkeypatch.setattr(service_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
        assert identity.actor("ivanova", START) is not None
        user: User = identity.repository.get(user_id("ivanova"))
        user.disable(disabled_at=START)
        identity.save(user)  # as another process would: this service's cache is not told
        assert identity.actor("ivanova", START) is not None
        now[0] += 5.1
        assert identity.actor("ivanova", START) is None


class TestAudit:
    def test_a_sign_in_is_recorded_as_the_user_with_the_client(
        self, identity: IdentityService, audit: CollectingAuditTrail
    ) -> None:
        identity.sign_in("Ivanova", PASSWORD, CLIENT)
        assert audit.records == [
            Recorded(
                Actor.of("ivanova", Role.MARKETER),
                "user.signed_in",
                "user",
                "ivanova",
                {"client": CLIENT},
            )
        ]

    def test_a_failure_is_recorded_anonymously(
        self, identity: IdentityService, audit: CollectingAuditTrail
    ) -> None:
        identity.sign_in("ivanova", WRONG, CLIENT)
        identity.sign_in("Nobody", WRONG, CLIENT)
        assert audit.records == [
            Recorded(Actor.anonymous(), "user.sign_in_failed", "user", name, {"client": CLIENT})
            for name in ("ivanova", "nobody")
        ]

    def test_a_locked_attempt_is_recorded(
        self, identity: IdentityService, audit: CollectingAuditTrail
    ) -> None:
        fail(identity, 5)
        with pytest.raises(SignInLockedError):
            identity.sign_in("ivanova", PASSWORD, CLIENT)
        assert audit.records[-1] == Recorded(
            Actor.anonymous(), "user.sign_in_locked", "user", "ivanova", {"client": CLIENT}
        )
        assert audit.actions().count("user.sign_in_failed") == 5

    def test_user_changes_are_recorded_with_who_made_them(
        self, identity: IdentityService, audit: CollectingAuditTrail
    ) -> None:
        admin = Actor.of("boss", Role.ADMIN)
        identity.add_user("sidorov", PASSWORD, "Analyst", by=admin)
        identity.reset_password("sidorov", NEW_PASSWORD, by=admin)
        identity.grant_permission("sidorov", "patients:export", by=admin)
        identity.grant_permission("sidorov", "patients:export", by=admin)  # no change: no entry
        identity.revoke_permission("sidorov", "patients:export", by=admin)
        identity.disable_user("sidorov", by=admin)
        identity.disable_user("sidorov", by=admin)
        identity.enable_user("sidorov", by=admin)
        assert [(r.actor, r.action, r.subject_type, r.subject_id) for r in audit.records] == [
            (admin, action, "user", "sidorov")
            for action in (
                "user.added",
                "user.password_reset",
                "user.permission_granted",
                "user.permission_revoked",
                "user.disabled",
                "user.enabled",
            )
        ]
        assert audit.records[0].details == {"role": "analyst"}
        assert audit.records[2].details == {"permission": "patients:export"}

    def test_changes_without_an_actor_are_the_operators(
        self, identity: IdentityService, audit: CollectingAuditTrail
    ) -> None:
        identity.add_user("sidorov", PASSWORD, "admin")
        assert audit.records[0].actor == Actor.operator()
        assert audit.records[0].actor.username.startswith("cli:")

    def test_no_record_holds_a_password_or_its_hash(
        self, identity: IdentityService, audit: CollectingAuditTrail
    ) -> None:
        hasher = ReversedHasher()
        identity.add_user("sidorov", PASSWORD, "admin")
        identity.sign_in("sidorov", PASSWORD, CLIENT)
        identity.sign_in("sidorov", WRONG, CLIENT)
        identity.reset_password("sidorov", NEW_PASSWORD)
        fail(identity, 4, username="sidorov")  # the fifth failure since the success
        with pytest.raises(SignInLockedError):
            identity.sign_in("sidorov", NEW_PASSWORD, CLIENT)
        assert len(audit.records) == 9
        written = repr(audit.records)
        for secret in (PASSWORD, NEW_PASSWORD, WRONG):
            assert secret not in written
            assert hasher.hash(secret) not in written
