"""Port for operating read models from jobs and the CLI."""

from __future__ import annotations

from typing import Protocol


class ReadModelMaintenance(Protocol):
    def rebuild(self, projection: str) -> int:
        """Empties the read model and replays every event into it; returns events applied."""
        ...

    def catch_up(self) -> int:
        """Applies every recorded event not yet applied; returns how many."""
        ...

    def positions(self) -> dict[str, int]:
        """Each projection's tracking position."""
        ...
