"""The migrations build exactly the read-model schema, and undo it, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect

from clinic.infrastructure.migrate import downgrade, upgrade
from clinic.infrastructure.read_models import metadata
from clinic.infrastructure.settings import Settings
from tests.services import postgres_available, postgres_database, unavailable

READ_MODEL_TABLES = {table.name for table in metadata.sorted_tables}


@pytest.fixture
def settings(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a fresh, empty database: nothing migrated yet."""
    if backend == "sqlite":
        yield Settings(database_url=f"sqlite:///{tmp_path / 'var' / 'clinic.db'}")
        return
    error = postgres_available()
    if error is not None:
        unavailable("PostgreSQL", error)
    with postgres_database() as url:
        yield Settings(database_url=url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_engine(settings.sqlalchemy_url)
    yield engine
    engine.dispose()


def tables(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(inspect(connection).get_table_names()) - {"alembic_version"}


class TestUpgradeDowngradeUpgrade:
    def test_upgrade_creates_every_read_model_table(
        self, settings: Settings, engine: Engine
    ) -> None:
        upgrade(settings)
        assert tables(engine) == READ_MODEL_TABLES

    def test_downgrade_to_base_removes_them_and_upgrade_brings_them_back(
        self, settings: Settings, engine: Engine
    ) -> None:
        upgrade(settings)
        downgrade(settings, "base")
        assert tables(engine) == set()
        upgrade(settings)
        assert tables(engine) == READ_MODEL_TABLES

    def test_upgrading_twice_changes_nothing(self, settings: Settings, engine: Engine) -> None:
        upgrade(settings)
        upgrade(settings)
        assert tables(engine) == READ_MODEL_TABLES


class TestSchemaMatchesMetadata:
    def test_the_migrated_schema_is_what_the_tables_declare(
        self, settings: Settings, engine: Engine
    ) -> None:
        upgrade(settings)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            assert compare_metadata(context, metadata) == []

    def test_the_schema_is_the_same_after_a_downgrade_and_upgrade(
        self, settings: Settings, engine: Engine
    ) -> None:
        upgrade(settings)
        downgrade(settings, "base")
        upgrade(settings)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []

    def test_search_keys_have_the_declared_collation(
        self, settings: Settings, engine: Engine
    ) -> None:
        """Alembic does not compare collations; PostgreSQL prefix search needs "C" on keys."""
        upgrade(settings)
        with engine.connect() as connection:
            inspector = inspect(connection)
            reflected = {
                (table.name, column["name"]): getattr(column["type"], "collation", None)
                for table in metadata.sorted_tables
                for column in inspector.get_columns(table.name)
            }
        declared = {
            (table.name, column.name): getattr(
                column.type.dialect_impl(engine.dialect), "collation", None
            )
            for table in metadata.sorted_tables
            for column in table.columns
        }
        assert reflected == declared
