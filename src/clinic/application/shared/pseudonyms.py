"""The pseudonym port: a stable stand-in for a person's id in data that must not identify them.

Analysts' read models and exports carry pseudonyms instead of patient ids: the same patient has
the same pseudonym in every call, export and release (so rows can be joined and counted), and
nobody without the server's secret can go from a pseudonym back to the patient."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class Pseudonymiser(Protocol):
    def pseudonym(self, subject_id: UUID) -> str:
        """The pseudonym of `subject_id`: short text, the same every time, not reversible."""
        ...
