"""The one exception family of Handlesim.

Every misuse raises a subclass of :class:`HandlesimError`. Messages name the field,
the offending value (shortened, control characters escaped) and what is allowed, so
that a CLI, an HTTP 4xx body and a BDD step can show them as they are.
"""

from __future__ import annotations

from typing import Any

_MAX_SHOWN = 60


def shown(value: Any) -> str:
    """Return a short, printable rendering of ``value`` for an error message."""
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        text = f"{text[:_MAX_SHOWN]}... ({len(str(value))} characters)"
    return text


class HandlesimError(Exception):
    """Root of every error Handlesim raises on purpose."""


class InvalidInput(HandlesimError, ValueError):
    """A value given by a user or a client is not allowed.

    Attributes:
        field: dotted path of the offending field (``handle``, ``irp.latency.p95_ms``).
        value: the value that was given.
        allowed: what would have been accepted, in words.
    """

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {shown(value)} is not allowed; expected {allowed}")

    def to_dict(self) -> dict[str, str]:
        """The JSON error body used by the service and the CLI."""
        return {"field": self.field, "error": str(self), "allowed": self.allowed}


class InvalidHandle(InvalidInput):
    """A social handle that cannot come from the named platform."""


class InvalidChannel(InvalidInput):
    """A channel name outside twitter, x, instagram, linkedin."""


class InvalidRequest(InvalidInput):
    """A resolve, lead or link request whose shape or field types are wrong."""


class InvalidScenario(InvalidInput):
    """A scenario file that does not validate."""


class InvalidAnswer(InvalidInput):
    """An IRP answer (over HTTP or from a Data Action) that breaks the contract."""


class StoreError(HandlesimError):
    """The identity store refused an operation; nothing was written."""


class ConflictError(StoreError):
    """The operation would link one account to two customers, or undo a stored decision."""


class NotFound(StoreError, KeyError):
    """A customer, account or lead that the store does not hold."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"
