"""Errors of the patients application layer (the domain's own are in domain.patients.errors)."""

from __future__ import annotations

from clinic.application.shared.errors import ApplicationError


class MatchCountChangedError(ApplicationError):
    """A change "for everyone matching this filter" was confirmed for `expected` patients, but
    `matched` match it now (someone changed the list meanwhile): nobody was changed, so the
    user can look again and confirm the new count."""

    def __init__(self, expected: int, matched: int) -> None:
        super().__init__(
            f"{matched} patients match the filter now, not the {expected} confirmed; "
            "nobody was changed"
        )
        self.expected = expected
        self.matched = matched
