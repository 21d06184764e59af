"""What a registration records besides the personal data, when its source knows more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic.domain.patients.consents import Consent
from clinic.domain.patients.contacts import ContactKind, ContactPoint, contact_key
from clinic.domain.patients.values import PersonalData
from clinic.domain.shared.errors import InvalidFieldError


@dataclass(frozen=True, slots=True)
class RegistrationDetails:
    """More contact points (messengers, second phones), consents and tags (normalised by
    `parse_tag`) of a patient registered from a source system in one event."""

    contact_points: tuple[ContactPoint, ...] = ()
    consents: tuple[Consent, ...] = ()
    tags: tuple[str, ...] = ()

    def checked(self, data: PersonalData, now: datetime) -> RegistrationDetails:
        """Without the contact points `data` gives already and without repeats (the last word
        on a channel and purpose stands); InvalidFieldError for a consent dated after `now`."""
        if any(consent.at > now for consent in self.consents):
            raise InvalidFieldError("at", "cannot be in the future", "in_future")
        seen = {contact_key(kind, value) for kind, value in _primary(data)}
        points = []
        for point in self.contact_points:
            if point.key not in seen:
                seen.add(point.key)
                points.append(point)
        consents = {consent.key: consent for consent in self.consents}
        return RegistrationDetails(
            tuple(points), tuple(consents.values()), tuple(dict.fromkeys(self.tags))
        )


def _primary(data: PersonalData) -> list[tuple[ContactKind, str]]:
    primary = [(ContactKind.PHONE, data.phone.e164)] if data.phone else []
    return primary + ([(ContactKind.EMAIL, data.email.address)] if data.email else [])
