"""Personal data in stored events, sealed with a key per data subject (crypto-shredding).

An event class lists its personal fields in `personal_fields`. When stored, those fields are
taken out of the event's state, transcoded together and sealed with the subject's key (the
aggregate id is the subject); the rest of the event stays readable. Shredding the key makes the
personal fields of every past event unreadable at once: such events load with those fields set
to None, so aggregates and replays still work after an erasure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Cipher, Compressor, Mapper, StoredEvent, Transcoder

SEALED = "_personal"


class PersonalDataVault(Protocol):
    """Keeps one secret key per data subject; shredding it makes their sealed data unreadable."""

    def prepare(self, subjects: Iterable[UUID]) -> None:
        """Makes sure each subject has a key (one write for many new subjects)."""
        ...

    def prefetch(self, subjects: Iterable[UUID]) -> None:
        """Loads the keys of many subjects at once before their events are opened."""
        ...

    def seal(self, subject: UUID, plaintext: bytes) -> str: ...

    def open(self, subject: UUID, sealed: str) -> bytes | None:
        """The plaintext, or None when the subject's key was shredded."""
        ...

    def shred(self, subject: UUID) -> None:
        """Destroys the subject's key for good (idempotent)."""
        ...


def personal_fields_of(event_class: type[object]) -> tuple[str, ...]:
    return tuple(getattr(event_class, "personal_fields", ()))


class PersonalDataMapper(Mapper[UUID]):
    """The library's Mapper, sealing each event's personal fields with its subject's key."""

    def __init__(
        self,
        transcoder: Transcoder,
        vault: PersonalDataVault,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
    ) -> None:
        super().__init__(transcoder, compressor, cipher)
        self.vault = vault

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        fields = personal_fields_of(type(domain_event))
        if not fields:
            return super().to_stored_event(domain_event)
        state = dict(vars(domain_event))
        personal = {field: state.pop(field) for field in fields}
        sealed = self.vault.seal(state["originator_id"], self.transcoder.encode(personal))
        state[SEALED] = {"fields": list(fields), "sealed": sealed}
        return super().to_stored_event(_with_state(domain_event, state))

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        domain_event = super().to_domain_event(stored_event)
        state: dict[str, Any] = vars(domain_event)
        envelope = state.pop(SEALED, None)
        if envelope is not None:
            plaintext = self.vault.open(domain_event.originator_id, envelope["sealed"])
            if plaintext is None:
                state.update(dict.fromkeys(envelope["fields"]))
            else:
                state.update(self.transcoder.decode(plaintext))
        return domain_event


def _with_state(
    domain_event: DomainEventProtocol[UUID], state: dict[str, Any]
) -> DomainEventProtocol[UUID]:
    copy = object.__new__(type(domain_event))
    object.__setattr__(copy, "__dict__", state)
    return copy
