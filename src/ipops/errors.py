"""One error hierarchy for the whole platform.

Edges map these once: the CLI to exit codes and one-line messages, the API to HTTP statuses.
"""

from __future__ import annotations


class IpopsError(Exception):
    """Base of every error ipops reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        if self.field:
            return f"{self.field}: {self.message}"
        return self.message


class ValidationError(IpopsError):
    """Input that breaks a rule; ``field`` names what is wrong."""

    exit_code = 2


class NotFound(IpopsError):
    exit_code = 3


class Conflict(IpopsError):
    exit_code = 4


class InvalidTransition(Conflict):
    """A lifecycle change that the state machine does not allow."""


class NoWorkspace(IpopsError):
    exit_code = 5


class RegistryUnavailable(NoWorkspace):
    """The registry database cannot be opened or written (missing or read-only folder,
    database server down): one line saying where and why, never a driver traceback."""


class NotAuthenticated(IpopsError):
    """No valid credentials: unknown user, wrong password, invalid, expired or revoked token."""

    exit_code = 6


class TooManyAttempts(NotAuthenticated):
    """Logins refused for a while after repeated failures; ``retry_after`` in seconds."""

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class Forbidden(IpopsError):
    """Authenticated, but the role or the object's scope does not allow the action."""

    exit_code = 7


class InputFormatError(ValidationError):
    """A file that cannot be read as the format it claims (or any known format)."""
