"""The SQL vault: keys wrapped at rest, boxes bound to their subject, shredding for good."""

from __future__ import annotations

from uuid import uuid4

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select

from clinic.infrastructure.personal_data_vault import (
    SqlPersonalDataVault,
    master_key,
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
