"""Contact values shared by many people, which must never link two records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DEFAULT_PHONES = frozenset({"+70000000000", "+79999999999", "+71234567890", "+79001234567"})
DEFAULT_PHONE_PATTERNS = (
    r"\+\d*(\d)\1{6}",  # the last seven digits all alike: +79160000000, +71111111111
    r"\+\d*(?:1234567|7654321)",  # counting to the end: +79161234567
)
DEFAULT_EMAIL_LOCAL_PARTS = frozenset(
    {"test", "testing", "noemail", "no-email", "nomail", "none", "no", "na", "noreply",
     "no-reply", "donotreply", "null", "info", "admin", "mail", "email", "example", "xxx",
     "asdf", "qwerty"}
)  # fmt: skip
DEFAULT_EMAIL_DOMAINS = frozenset(
    {"example.com", "example.org", "example.net", "test.com", "test.ru", "mail.test",
     "localhost", "invalid", "noemail.com", "nomail.ru"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BlockList:
    """Which phones and e-mails are treated as missing: a clinic's own numbers, placeholders.

    Values are compared in their normalised form (E.164 phones, casefolded e-mails). A local part
    is blocked with or without a numeric suffix or +tag (`test@`, `test1@`, `test+a@`).
    """

    phones: frozenset[str] = DEFAULT_PHONES
    phone_patterns: tuple[str, ...] = DEFAULT_PHONE_PATTERNS
    emails: frozenset[str] = frozenset()
    email_local_parts: frozenset[str] = DEFAULT_EMAIL_LOCAL_PARTS
    email_domains: frozenset[str] = DEFAULT_EMAIL_DOMAINS
    _phone_regexes: tuple[re.Pattern[str], ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        compiled = tuple(re.compile(pattern) for pattern in self.phone_patterns)
        object.__setattr__(self, "_phone_regexes", compiled)

    def with_extra(
        self, *, phones: frozenset[str] = frozenset(), emails: frozenset[str] = frozenset()
    ) -> BlockList:
        """This list plus a clinic's own numbers and addresses (already normalised)."""
        return BlockList(
            phones=self.phones | phones,
            phone_patterns=self.phone_patterns,
            emails=self.emails | {e.casefold() for e in emails},
            email_local_parts=self.email_local_parts,
            email_domains=self.email_domains,
        )

    def blocks_phone(self, e164: str) -> bool:
        if e164 in self.phones:
            return True
        return any(regex.fullmatch(e164) for regex in self._phone_regexes)

    def blocks_email(self, address: str) -> bool:
        address = address.casefold()
        if address in self.emails:
            return True
        local, _, domain = address.rpartition("@")
        local = local.split("+", 1)[0].rstrip("0123456789._-")
        return domain in self.email_domains or local in self.email_local_parts
