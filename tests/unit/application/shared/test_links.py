"""Signed links: issue and open, expiry, purpose confusion, ids only, answers offered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from clinic.application.shared.links import (
    InvalidLinkAnswerError,
    InvalidLinkError,
    Link,
    LinkAnswer,
    LinkChoice,
    LinkPage,
    LinkPages,
    LinkPurpose,
    Links,
)
from clinic.infrastructure.signed_links import SignedLinkTokens
from tests.unit.application.fakes import FixedClock

SECRET = b"s" * 32
CONFIRM = LinkPurpose("confirm-visit", timedelta(days=2))
UNSUBSCRIBE = LinkPurpose("unsubscribe", timedelta(days=90))
PATIENT = "0b6f6f9e-4a53-4c8a-9a43-3f1d4f5e9a10"


@dataclass
class Confirmations:
    """A LinkHandler that offers yes/no and remembers answers."""

    answers: list[tuple[Link, LinkAnswer]] = field(default_factory=list)

    def show(self, link: Link) -> LinkPage:
        return LinkPage("Подтвердите визит", choices=(LinkChoice("yes", "Да"),))

    def act(self, link: Link, answer: LinkAnswer) -> LinkPage:
        self.answers.append((link, answer))
        return LinkPage("Спасибо")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def links(clock: FixedClock) -> Links:
    return Links(SignedLinkTokens(SECRET), clock)


class TestIssueAndOpen:
    def test_a_link_opens_with_its_purpose_subject_and_claims(self, links: Links) -> None:
        token = links.issue(CONFIRM, PATIENT, {"day": "2026-12-02"})

        link = links.open(token)

        assert (link.purpose, link.subject_id, dict(link.claims)) == (
            "confirm-visit",
            PATIENT,
            {"day": "2026-12-02"},
        )

    def test_a_link_expires_after_its_purposes_lifetime(
        self, links: Links, clock: FixedClock
    ) -> None:
        token = links.issue(CONFIRM, PATIENT)
        clock.moment += CONFIRM.lifetime - timedelta(seconds=1)
        assert links.open(token).expires_at == clock.moment + timedelta(seconds=1)

        clock.moment += timedelta(seconds=1)
        with pytest.raises(InvalidLinkError):
            links.open(token)

    def test_two_links_for_the_same_subject_differ_by_purpose(self, links: Links) -> None:
        assert links.issue(CONFIRM, PATIENT) != links.issue(UNSUBSCRIBE, PATIENT)

    def test_a_token_of_another_installation_is_refused(
        self, links: Links, clock: FixedClock
    ) -> None:
        elsewhere = Links(SignedLinkTokens(b"other" * 8), clock)

        with pytest.raises(InvalidLinkError):
            links.open(elsewhere.issue(CONFIRM, PATIENT))

    @pytest.mark.parametrize("token", ["", ".", "abc", "a.b", "x" * 5000, "токен.подпись"])
    def test_garbage_is_refused_with_the_same_error(self, links: Links, token: str) -> None:
        with pytest.raises(InvalidLinkError):
            links.open(token)


class TestIdsOnly:
    @pytest.mark.parametrize(
        "claims",
        [
            {"email": "anna@example.com"},
            {"phone": "+79161234567"},
            {"name": "Анна Иванова"},
            {"note": "two words"},
            {"Bad-Name": "1"},
            {f"k{i}": "1" for i in range(5)},
        ],
    )
    def test_personal_data_and_free_text_cannot_go_into_a_link(
        self, links: Links, claims: dict[str, str]
    ) -> None:
        with pytest.raises(ValueError, match="claim"):
            links.issue(CONFIRM, PATIENT, claims)

    def test_the_subject_must_be_an_id(self, links: Links) -> None:
        with pytest.raises(ValueError, match="subject"):
            links.issue(CONFIRM, "anna@example.com")

    @pytest.mark.parametrize("name", ["", "Unsubscribe", "un subscribe", "x" * 33, "1st"])
    def test_a_purpose_is_named_lower_case_with_dashes(self, name: str) -> None:
        with pytest.raises(ValueError, match="purpose"):
            LinkPurpose(name, timedelta(days=1))


class TestLinkPages:
    def test_the_registered_handler_shows_and_takes_the_answer(self, links: Links) -> None:
        handler = Confirmations()
        pages = LinkPages(links, {CONFIRM.name: handler})
        token = links.issue(CONFIRM, PATIENT)

        assert pages.show(token).title == "Подтвердите визит"
        assert pages.act(token, LinkAnswer("yes")).title == "Спасибо"
        assert [(link.subject_id, answer.choice) for link, answer in handler.answers] == [
            (PATIENT, "yes")
        ]

    def test_a_link_of_a_purpose_nobody_handles_is_invalid(self, links: Links) -> None:
        pages = LinkPages(links, {CONFIRM.name: Confirmations()})

        with pytest.raises(InvalidLinkError):
            pages.show(links.issue(UNSUBSCRIBE, PATIENT))

    def test_a_purpose_is_registered_once(self, links: Links) -> None:
        pages = LinkPages(links)
        pages.register(CONFIRM, Confirmations())

        with pytest.raises(ValueError, match="already"):
            pages.register(CONFIRM, Confirmations())

    @pytest.mark.parametrize("answer", [LinkAnswer("maybe"), LinkAnswer("yes", "x" * 2001)])
    def test_an_answer_the_page_does_not_offer_is_refused(
        self, links: Links, answer: LinkAnswer
    ) -> None:
        handler = Confirmations()
        pages = LinkPages(links, {CONFIRM.name: handler})

        with pytest.raises(InvalidLinkAnswerError):
            pages.act(links.issue(CONFIRM, PATIENT), answer)
        assert handler.answers == []
