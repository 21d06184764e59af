"""Users: added with a role, signed in with their password, disabled, reset — no I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinic.application.identity.service import IdentityService
from clinic.application.shared.actor import Actor
from clinic.domain.identity.errors import UnknownUserError, UsernameTakenError
from clinic.domain.shared.access import Role
from clinic.domain.shared.errors import InvalidFieldError
from tests.unit.application.fakes import FixedClock

PASSWORD = "correct horse battery"


class ReversedHasher:
    """A stand-in hash: reversible, so the test can tell the stored value is not the password."""

    def hash(self, password: str) -> str:
        return "h:" + password[::-1]

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == self.hash(password)


@pytest.fixture
def identity() -> IdentityService:
    return IdentityService(
        FixedClock(datetime(2026, 11, 22, tzinfo=UTC)),
        ReversedHasher(),
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
    )


class TestAddUser:
    def test_a_new_user_signs_in_with_their_role(self, identity: IdentityService) -> None:
        identity.add_user("Ivanova", PASSWORD, "marketer")
        assert identity.authenticate("ivanova", PASSWORD) == Actor.of("ivanova", Role.MARKETER)

    def test_the_password_is_stored_only_hashed(self, identity: IdentityService) -> None:
        identity.add_user("ivanova", PASSWORD, "admin")
        stored = b"".join(n.state for n in identity.recorder.select_notifications(None, 10))
        assert PASSWORD.encode() not in stored

    def test_a_username_is_taken_once_whatever_its_case(self, identity: IdentityService) -> None:
        identity.add_user("ivanova", PASSWORD, "admin")
        with pytest.raises(UsernameTakenError):
            identity.add_user("IVANOVA", PASSWORD, "analyst")

    @pytest.mark.parametrize(
        ("username", "password", "role", "field"),
        [
            ("x", PASSWORD, "admin", "username"),
            ("bad name", PASSWORD, "admin", "username"),
            ("ivanova", "short", "admin", "password"),
            ("ivanova", PASSWORD, "doctor", "role"),
        ],
    )
    def test_bad_input_names_the_field_and_adds_nobody(
        self, identity: IdentityService, username: str, password: str, role: str, field: str
    ) -> None:
        with pytest.raises(InvalidFieldError) as caught:
            identity.add_user(username, password, role)
        assert caught.value.field == field
        assert identity.recorder.max_notification_id() is None


class TestAuthenticate:
    def test_a_wrong_password_an_unknown_user_and_a_disabled_user_all_fail_alike(
        self, identity: IdentityService
    ) -> None:
        identity.add_user("ivanova", PASSWORD, "admin")
        identity.add_user("petrov", PASSWORD, "analyst")
        identity.disable_user("petrov")
        assert identity.authenticate("ivanova", "wrong password!") is None
        assert identity.authenticate("nobody", PASSWORD) is None
        assert identity.authenticate("petrov", PASSWORD) is None

    def test_an_enabled_user_signs_in_again(self, identity: IdentityService) -> None:
        identity.add_user("petrov", PASSWORD, "analyst")
        identity.disable_user("petrov")
        identity.enable_user("petrov")
        assert identity.authenticate("petrov", PASSWORD) == Actor.of("petrov", Role.ANALYST)

    def test_after_a_reset_only_the_new_password_works(self, identity: IdentityService) -> None:
        identity.add_user("ivanova", PASSWORD, "admin")
        identity.reset_password("ivanova", "a brand new passphrase")
        assert identity.authenticate("ivanova", PASSWORD) is None
        assert identity.authenticate("ivanova", "a brand new passphrase") is not None

    def test_an_unknown_user_cannot_be_changed(self, identity: IdentityService) -> None:
        with pytest.raises(UnknownUserError):
            identity.disable_user("nobody")
