"""Fixtures of the projection tests: more containers on the test's database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.containers import (
    ApplicationContainer,
    build_container,
    close_container,
)
from tests.integration.projections.support import ContainerFactory


@pytest.fixture
def make_container(settings: Settings) -> Iterator[ContainerFactory]:
    """Builds containers on the test's database (settings overridden by keywords); closes them.

    Each container is a process of its own as far as projections go: its own event store
    connections, engines and position board.
    """
    built: list[ApplicationContainer] = []

    def make(**overrides: Any) -> ApplicationContainer:
        container = build_container(settings.model_copy(update=overrides))
        built.append(container)
        return container

    yield make
    for container in reversed(built):
        close_container(container)
