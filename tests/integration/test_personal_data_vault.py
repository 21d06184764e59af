"""The SQL vault: keys wrapped at rest, boxes bound to their subject, shredding for good."""

from __future__ import annotations

from uuid import uuid4

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select

from clinic.infrastructure.personal_data_vault import (
    SqlPersonalDataVault,
    master_key,
    master_key_from,
    subject_keys,
)
from clinic.presentation.bootstrap.containers import ApplicationContainer


@pytest.fixture
def vault(container: ApplicationContainer) -> SqlPersonalDataVault:
    return container.core.vault()


@pytest.fixture
def fresh_vault(container: ApplicationContainer) -> SqlPersonalDataVault:
    """Another process's vault on the same database: nothing cached."""
    engine = container.core.database().write_engine
    key = master_key(container.core.settings())
    return SqlPersonalDataVault(engine, key, cache_seconds=0)


class TestSqlPersonalDataVault:
    def test_what_is_sealed_opens_again_in_another_process(
        self, vault: SqlPersonalDataVault, fresh_vault: SqlPersonalDataVault
    ) -> None:
        subject = uuid4()
        vault.prepare([subject])
        sealed = vault.seal(subject, "Иванова".encode())
        assert "Иванова" not in sealed
        assert fresh_vault.open(subject, sealed) == "Иванова".encode()

    def test_a_box_does_not_open_for_another_subject(self, vault: SqlPersonalDataVault) -> None:
        owner, other = uuid4(), uuid4()
        vault.prepare([owner, other])
        sealed = vault.seal(owner, b"secret")
        with pytest.raises(InvalidTag):
            vault.open(other, sealed)

    def test_keys_are_stored_wrapped_not_raw(
        self, vault: SqlPersonalDataVault, container: ApplicationContainer
    ) -> None:
        subject = uuid4()
        vault.prepare([subject])
        with container.core.database().read_engine.connect() as connection:
            wrapped = connection.execute(
                select(subject_keys.c.wrapped_key).where(subject_keys.c.subject_id == subject)
            ).scalar_one()
        assert len(wrapped) > 32  # nonce + tag + key: a raw key would be exactly 32 bytes

    def test_after_shredding_no_process_can_open_the_subjects_data(
        self, vault: SqlPersonalDataVault, fresh_vault: SqlPersonalDataVault
    ) -> None:
        subject = uuid4()
        vault.prepare([subject])
        sealed = vault.seal(subject, b"secret")
        vault.shred(subject)
        assert vault.open(subject, sealed) is None
        assert fresh_vault.open(subject, sealed) is None
        with pytest.raises(LookupError):
            vault.seal(subject, b"new data for an erased patient")


class TestKeyRotation:
    def test_after_rotation_sealed_data_opens_under_the_new_master_key_only(
        self, container: ApplicationContainer
    ) -> None:
        engine = container.core.database().write_engine
        old = SqlPersonalDataVault(engine, master_key_from("old secret"), cache_seconds=0)
        subjects = [uuid4() for _ in range(3)]
        old.prepare(subjects)
        sealed = {s: old.seal(s, s.bytes) for s in subjects}

        new = SqlPersonalDataVault(engine, master_key_from("new secret"), cache_seconds=0)
        rewrapped = new.rewrap(master_key_from("old secret"), batch=2)

        assert rewrapped == len(subjects)
        assert all(new.open(s, box) == s.bytes for s, box in sealed.items())
        with pytest.raises(InvalidTag):
            old.open(subjects[0], sealed[subjects[0]])

    def test_rotating_again_changes_nothing(self, container: ApplicationContainer) -> None:
        engine = container.core.database().write_engine
        SqlPersonalDataVault(engine, master_key_from("a"), cache_seconds=0).prepare([uuid4()])
        new = SqlPersonalDataVault(engine, master_key_from("b"), cache_seconds=0)
        new.rewrap(master_key_from("a"))
        assert new.rewrap(master_key_from("a")) == 0

    def test_shredded_keys_stay_shredded(self, container: ApplicationContainer) -> None:
        engine = container.core.database().write_engine
        old = SqlPersonalDataVault(engine, master_key_from("a"), cache_seconds=0)
        subject = uuid4()
        old.prepare([subject])
        sealed = old.seal(subject, b"x")
        old.shred(subject)
        new = SqlPersonalDataVault(engine, master_key_from("b"), cache_seconds=0)
        new.rewrap(master_key_from("a"))
        assert new.open(subject, sealed) is None
