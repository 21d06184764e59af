"""Errors raised by the application layer of any context."""

from __future__ import annotations


class ApplicationError(Exception):
    """Base class of application-level errors."""


class NotFoundError(ApplicationError):
    """The requested thing does not exist (or is not visible)."""

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key} not found")
        self.what = what
        self.key = key


class ReadModelLagError(ApplicationError):
    """A read model did not catch up with a command in time."""

    def __init__(self, projection: str, position: int, reached: int) -> None:
        super().__init__(
            f"read model {projection!r} reached position {reached}, not {position}, in time"
        )
        self.projection = projection
        self.position = position
        self.reached = reached


class InvalidCursorError(ApplicationError):
    """A pagination cursor was not one this server issued."""


class PermissionDeniedError(ApplicationError):
    """The actor's role (and grants) do not include a permission the act needs."""

    def __init__(self, username: str, permission: str) -> None:
        super().__init__(f"{username} lacks {permission}")
        self.username = username
        self.permission = permission
