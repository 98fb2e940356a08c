"""Validation of everything that enters the identity package from outside.

Every function either returns a clean value or raises an :class:`~simulator.errors.InvalidInput`
subclass naming the field, the value and what is allowed; none writes anything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from simulator.errors import InvalidRequest
from simulator.identity._frozen import maker
from simulator.identity.handles import (
    _CHANNELS,
    _PLATFORM_NAMES,
    ParsedHandle,
    check_text,
    parse_channel,
    parse_handle,
)
from simulator.identity.store import TIERS, Customer

MAX_ID = 256
MAX_TEXT = 1_000
MAX_MESSAGE = 10_000
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{1,63}")
_REQUEST_FIELDS = frozenset(
    {"handle", "channel", "user_id", "email", "display_name", "message", "account_created_at"}
)
_EMPTY: Mapping[str, str] = MappingProxyType({})
_CHANNEL_WANTED = "a channel: twitter, x, instagram or linkedin"


def check_id(field: str, value: Any) -> str:
    """A platform user id or CRM id: a non-empty printable string (never a number).

    X snowflakes overflow floats and LinkedIn ids are URNs, so ids stay strings.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        raise InvalidRequest(field, value, "a string id (numbers lose digits: send '123...')")
    return check_text(field, value, max_len=MAX_ID, error=InvalidRequest).strip()


def check_email(field: str, value: Any) -> str:
    """A normalized email address (stripped, lower case)."""
    text = check_text(field, value, max_len=320, error=InvalidRequest).strip().lower()
    if not _EMAIL.fullmatch(text):
        raise InvalidRequest(field, value, "an email address like 'name@example.com'")
    return text


def check_time(field: str, value: Any) -> float | None:
    """``None`` or finite POSIX seconds."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRequest(field, value, "POSIX seconds as a finite number, or null")
    return float(value)


def check_confidence(value: Any, field: str = "confidence") -> float:
    """A confidence (or a threshold) in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidRequest(field, value, "a number between 0 and 1")
    return float(value)


def customer_from_fields(
    customer_id: Any,
    *,
    name: Any,
    tier: Any,
    emails: Iterable[Any] = (),
    preferences: Mapping[str, Any] | None = None,
    last_interaction: Any = None,
    profile_updated_at: Any = None,
) -> Customer:
    """Build a validated :class:`Customer` from loose fields."""
    cid = check_id("customer_id", customer_id)
    clean_name = check_text("name", name, max_len=MAX_TEXT, error=InvalidRequest).strip()
    if tier not in TIERS:
        raise InvalidRequest("tier", tier, f"one of {', '.join(TIERS)}")
    if isinstance(emails, str) or not isinstance(emails, Iterable):
        raise InvalidRequest("emails", emails, "a list of email addresses")
    clean_emails = tuple(dict.fromkeys(check_email("emails", e) for e in emails))
    prefs: Mapping[str, str] = _EMPTY
    if preferences is not None:
        if not isinstance(preferences, Mapping):
            raise InvalidRequest("preferences", preferences, "a mapping of strings")
        for key, value in preferences.items():
            check_text("preferences", key, max_len=MAX_ID, error=InvalidRequest)
            check_text(f"preferences.{key}", value, max_len=MAX_TEXT, error=InvalidRequest)
        prefs = MappingProxyType(dict(preferences)) if preferences else _EMPTY
    return Customer(
        cid,
        clean_name,
        tier,
        clean_emails,
        prefs,
        check_time("last_interaction", last_interaction),
        check_time("profile_updated_at", profile_updated_at),
    )


@dataclass(frozen=True, slots=True)
class ResolveRequest:
    """A validated resolve request (the seed's body plus user id, email and bot hints)."""

    handle: ParsedHandle
    platform: str  # the platform name (``twitter`` for ``x``)
    user_id: str | None
    email: str | None
    display_name: str | None
    message: str
    account_created_at: float | None


def _display_name(field: str, value: Any) -> str:
    return check_text(field, value, max_len=MAX_TEXT, error=InvalidRequest).strip()


_resolve_request = maker(ResolveRequest)


def _plain(value: Any, max_len: int) -> str | None:
    """``value`` stripped when :func:`check_text` would pass it at once, else ``None``.

    The hot path of :func:`check_id` and the display name; ``None`` sends the caller to
    the full check, which raises the right error.
    """
    if type(value) is str and len(value) <= max_len and value.isprintable():
        stripped = value.strip()
        if stripped:  # not blank
            return stripped
    return None


def parse_request(request: Any) -> ResolveRequest:
    """Validate a resolve request mapping.

    A :class:`ResolveRequest` (already validated) is returned as it is, so a caller that
    sends one message through several steps (resolve, then capture a lead) parses it once.

    Raises:
        InvalidRequest: not a mapping, unknown field, or a field of the wrong type.
        InvalidChannel: unknown channel.
        InvalidHandle: a handle the platform cannot have produced.
    """
    if type(request) is ResolveRequest:
        return request
    if type(request) is not dict and not isinstance(request, Mapping):
        raise InvalidRequest("request", request, "a JSON object with 'handle' and 'channel'")
    if not _REQUEST_FIELDS.issuperset(request):
        unknown = sorted(map(str, set(request) - _REQUEST_FIELDS))
        raise InvalidRequest("request", unknown, f"only {', '.join(sorted(_REQUEST_FIELDS))}")
    if "channel" not in request:
        raise InvalidRequest("channel", None, _CHANNEL_WANTED)
    get = request.get
    return _parse(
        get("channel"),
        get("handle"),
        get("user_id"),
        get("email"),
        get("display_name"),
        get("message"),
        get("account_created_at"),
    )


def parse_fields(
    *,
    channel: Any,
    handle: Any,
    user_id: Any = None,
    email: Any = None,
    display_name: Any = None,
    message: Any = "",
    account_created_at: Any = None,
) -> ResolveRequest:
    """Validate a resolve request given as fields, without building a mapping first.

    ``parse_fields(**fields)`` returns what ``parse_request(fields)`` returns once the
    ``None`` values are left out of ``fields``, and raises the same error (type, field,
    value and message) when that does: a field passed as ``None`` is a field not sent.

    Raises:
        InvalidRequest: no channel, or a field of the wrong type.
        InvalidChannel: unknown channel.
        InvalidHandle: a handle the platform cannot have produced.
    """
    if channel is None:
        raise InvalidRequest("channel", None, _CHANNEL_WANTED)
    return _parse(channel, handle, user_id, email, display_name, message, account_created_at)


def _parse(
    channel: Any,
    handle: Any,
    user_id: Any,
    email: Any,
    display_name: Any,
    message: Any,
    account_created_at: Any,
) -> ResolveRequest:
    """The request of :func:`parse_request` from its fields (``None``: not sent).

    The fields are checked in this order (channel, handle, message, user id, email,
    display name, account creation time), so the first bad one is the one reported.
    """
    platform = _CHANNELS.get(channel) if type(channel) is str else None  # the common case
    if platform is None:
        platform = parse_channel(channel)
    parsed = parse_handle(platform, handle)
    message = message or ""
    if not isinstance(message, str) or len(message) > MAX_MESSAGE:
        raise InvalidRequest("message", message, f"a string of at most {MAX_MESSAGE} characters")
    if user_id is not None:
        user_id = _plain(user_id, MAX_ID) or check_id("user_id", user_id)
    if email is not None:
        email = check_email("email", email)
    if display_name is not None:
        display_name = _plain(display_name, MAX_TEXT) or _display_name("display_name", display_name)
    if account_created_at is not None:
        account_created_at = check_time("account_created_at", account_created_at)
    return _resolve_request(
        parsed,
        _PLATFORM_NAMES[platform],
        user_id,
        email,
        display_name,
        message,
        account_created_at,
    )
