"""The contract between projections (application) and the runner feeding them (infrastructure)."""

from __future__ import annotations

from typing import ClassVar, Protocol, TypeVar


class ReadModelWriter(Protocol):
    """Writes one read model inside the runner's current transaction."""

    def flush(self) -> None:
        """Writes whatever the writer buffered; called before the tracking position moves."""
        ...

    def reset(self) -> None:
        """Deletes every row of the read model (before a rebuild)."""
        ...


WriterT_contra = TypeVar("WriterT_contra", bound=ReadModelWriter, contravariant=True)


class Projection(Protocol[WriterT_contra]):
    """Turns one application's events into one read model.

    `name` keys the tracking position; `application` names the event store it reads; `topics`
    limits the events it is given (empty: all of them).
    """

    name: ClassVar[str]
    application: ClassVar[str]
    topics: ClassVar[tuple[str, ...]]

    def apply(self, event: object, writer: WriterT_contra) -> None: ...
