"""The app of `clinic serve` (no UI) with a link purpose registered, as a phone sees it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from clinic.application.shared.links import (
    Link,
    LinkAnswer,
    LinkChoice,
    LinkPage,
    LinkPurpose,
    Links,
)
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.asgi import create_app
from clinic.presentation.bootstrap.containers import (
    ApplicationContainer,
    build_container,
    close_container,
)

CONFIRM = LinkPurpose("confirm-visit", timedelta(days=2))
PATIENT = "0b6f6f9e-4a53-4c8a-9a43-3f1d4f5e9a10"


@dataclass
class VisitConfirmations:
    """A LinkHandler as the appointments context will register one."""

    answers: list[tuple[str, str, str]] = field(default_factory=list)

    def show(self, link: Link) -> LinkPage:
        return LinkPage(
            "Подтвердите визит",
            (f"Визит {link.claims.get('day', '')}.",),
            (LinkChoice("confirm", "Приду"), LinkChoice("decline", "Не смогу")),
            comment_label="Комментарий",
        )

    def act(self, link: Link, answer: LinkAnswer) -> LinkPage:
        self.answers.append((link.subject_id, answer.choice, answer.comment))
        return LinkPage("Спасибо!", ("Ваш ответ записан.",))


@dataclass(frozen=True)
class Phone:
    client: TestClient
    container: ApplicationContainer
    confirmations: VisitConfirmations

    def issue(self, purpose: LinkPurpose = CONFIRM, subject: str = PATIENT) -> str:
        links: Links = self.container.core.links()
        return links.issue(purpose, subject, {"day": "2026-12-02"})


@contextmanager
def phone_on(settings: Settings) -> Iterator[Phone]:
    """An app instance on `settings` with `confirm-visit` links handled."""
    container = build_container(settings)
    try:
        confirmations = VisitConfirmations()
        container.link_pages().register(CONFIRM, confirmations)
        app = create_app(container, with_ui=False)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Phone(client, container, confirmations)
    finally:
        close_container(container)


@pytest.fixture
def phone(settings: Settings) -> Iterator[Phone]:
    with phone_on(settings) as phone:
        yield phone
