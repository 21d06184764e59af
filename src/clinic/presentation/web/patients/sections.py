"""What the tabs of the patient profile are made of: a section shows one part of the profile
and, for who may change patients, the forms that change that part."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from clinic.application.patients.profile import PatientProfile
from clinic.application.shared.actor import Actor
from clinic.domain.patients.values import PatientStatus
from clinic.domain.shared.access import Permission

Command = Callable[[Any, Actor], int | None]
"""Calls one command of the patients service as the signed-in user: `(service, actor)`,
returning the command's notification position (None: nothing changed)."""


class ProfileChanges(Protocol):
    """How a section changes the patient it shows."""

    @property
    def allowed(self) -> bool:
        """The user may change patients, and this one can still be changed."""
        ...

    async def apply(self, command: Command) -> None:
        """Runs `command`, waits until the read models have it (read-your-writes) and shows
        the profile again. A refusal (invalid input, a profile that cannot change) is raised
        for the form to show; nothing of it was saved."""
        ...


class ProfileSection(Protocol):
    def show(self, profile: PatientProfile) -> None:
        """Shows (again) what the profile holds now."""
        ...


@dataclass(frozen=True, slots=True)
class ProfileTab:
    """A tab of the profile: `build` makes its section inside the tab's panel; only users
    holding `permission` see the tab."""

    name: str
    label: str
    build: Callable[[ProfileChanges], ProfileSection]
    permission: Permission = Permission.PATIENTS_READ


def changeable(profile: PatientProfile) -> bool:
    """Erased and merged profiles take no more changes."""
    return profile.status in (PatientStatus.ACTIVE, PatientStatus.ARCHIVED)


class Sections:
    """Several sections in one tab, shown one under another."""

    def __init__(self, *sections: ProfileSection) -> None:
        self._sections = sections

    def show(self, profile: PatientProfile) -> None:
        for section in self._sections:
            section.show(profile)
