"""Signed links a patient opens from a message, without signing in.

A context declares a `LinkPurpose` (a name and how long its links live), issues links with
`Links.issue`, and registers a `LinkHandler` with `LinkPages`: it shows the page behind its
links and takes the patient's answer. A token is opaque and unguessable; it carries ids only,
never personal data. Every way a token can be wrong raises the same `InvalidLinkError`, so
nobody can tell an unknown token from a forged, expired or foreign one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from clinic.application.shared.ports import Clock, Limit
from clinic.application.shared.throttle import PublicLimits

PURPOSE_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")
# Ids, dates, codes: letters, digits and `_.:-`. Rules out e-mail addresses, names, phone
# numbers with a `+` and free text, so personal data cannot slip into a link by accident.
ID_VALUE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
CLAIM_NAME = re.compile(r"[a-z][a-z0-9_]{0,15}")
MAX_CLAIMS = 4
MAX_COMMENT = 2000
LINK_LIMITS = PublicLimits(
    requests=Limit(30, timedelta(minutes=1)), failures=Limit(10, timedelta(minutes=10))
)


class InvalidLinkError(Exception):
    """Unknown, forged, expired, or for a purpose nobody handles: one error for all."""


class InvalidLinkAnswerError(Exception):
    """The answer is not one of the choices the page offers."""


@dataclass(frozen=True, slots=True)
class LinkPurpose:
    """What a kind of link is for (`unsubscribe`, `confirm-visit`) and how long it lives."""

    name: str
    lifetime: timedelta

    def __post_init__(self) -> None:
        if not PURPOSE_NAME.fullmatch(self.name):
            msg = f"link purpose {self.name!r} is not lower-case-with-dashes"
            raise ValueError(msg)
        if self.lifetime <= timedelta(0):
            msg = "a link must live a while"
            raise ValueError(msg)


@dataclass(frozen=True, slots=True)
class Link:
    """What a valid token says: the purpose, whose link it is, and the ids it carries."""

    purpose: str
    subject_id: str
    claims: Mapping[str, str]
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LinkChoice:
    """A button on the page; pressing it posts `value` to the handler."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class LinkPage:
    """What the patient sees: a title, paragraphs, buttons and an optional comment box."""

    title: str
    paragraphs: tuple[str, ...] = ()
    choices: tuple[LinkChoice, ...] = ()
    comment_label: str | None = None


@dataclass(frozen=True, slots=True)
class LinkAnswer:
    choice: str
    comment: str = ""


class LinkHandler(Protocol):
    """A context's side of a purpose: `show` must not change anything (messengers fetch links
    for previews); `act` does what the patient chose and may be called more than once. Either
    raises InvalidLinkError when the link no longer applies (its subject erased, say): the
    patient then sees the same page as for any invalid link."""

    def show(self, link: Link) -> LinkPage: ...

    def act(self, link: Link, answer: LinkAnswer) -> LinkPage: ...


class LinkTokens(Protocol):
    """Seals a link into a token and opens it again (HMAC with a key per purpose)."""

    def seal(self, link: Link, now: datetime) -> str: ...

    def open(self, token: str, now: datetime) -> Link:
        """The link in a token this installation sealed and that has not expired, else
        InvalidLinkError."""
        ...


class Links:
    """Issues tokens and opens them again; needs no handler, so any context may issue."""

    def __init__(self, tokens: LinkTokens, clock: Clock) -> None:
        self._tokens = tokens
        self._clock = clock

    def issue(
        self, purpose: LinkPurpose, subject_id: str, claims: Mapping[str, str] | None = None
    ) -> str:
        """A token for `subject_id` (and ids in `claims`) that expires after the purpose's
        lifetime. Claims are ids: a value with `@`, `+`, spaces or Cyrillic is refused."""
        claims = dict(claims or {})
        _check_ids(subject_id, claims)
        now = self._clock.now()
        return self._tokens.seal(
            Link(purpose.name, subject_id, claims, now + purpose.lifetime), now
        )

    def open(self, token: str) -> Link:
        """The link behind a token, or InvalidLinkError however it is wrong."""
        return self._tokens.open(token, self._clock.now())


class LinkPages:
    """The registry of purposes and their handlers: the pages a patient opens from a link."""

    def __init__(self, links: Links, handlers: Mapping[str, LinkHandler] | None = None) -> None:
        self._links = links
        self._handlers = dict(handlers or {})

    def register(self, purpose: LinkPurpose, handler: LinkHandler) -> None:
        if purpose.name in self._handlers:
            msg = f"link purpose {purpose.name!r} is registered already"
            raise ValueError(msg)
        self._handlers[purpose.name] = handler

    def show(self, token: str) -> LinkPage:
        link, handler = self._open(token)
        return handler.show(link)

    def act(self, token: str, answer: LinkAnswer) -> LinkPage:
        """Hands the answer to the purpose's handler if its page offers that choice."""
        link, handler = self._open(token)
        offered = {choice.value for choice in handler.show(link).choices}
        if answer.choice not in offered or len(answer.comment) > MAX_COMMENT:
            raise InvalidLinkAnswerError
        return handler.act(link, answer)

    def _open(self, token: str) -> tuple[Link, LinkHandler]:
        link = self._links.open(token)
        handler = self._handlers.get(link.purpose)
        if handler is None:
            raise InvalidLinkError
        return link, handler


def _check_ids(subject_id: str, claims: Mapping[str, str]) -> None:
    if not ID_VALUE.fullmatch(subject_id):
        msg = "a link's subject must be an id"
        raise ValueError(msg)
    if len(claims) > MAX_CLAIMS:
        msg = f"a link carries at most {MAX_CLAIMS} claims"
        raise ValueError(msg)
    for name, value in claims.items():
        if not CLAIM_NAME.fullmatch(name) or not ID_VALUE.fullmatch(value):
            msg = f"link claim {name!r} must be a short name with an id value"
            raise ValueError(msg)
