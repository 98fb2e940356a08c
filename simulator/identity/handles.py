"""Platforms, channel names and per-platform handle parsing and normalization.

Normalization is: trim, strip one leading ``@``, Unicode NFKC, case fold (idempotent).
Parsing validates the result against the platform's syntax:

* X/Twitter (``twitter``, alias ``x``): letters, digits and ``_``, at most 15;
* Instagram: letters, digits, ``.`` and ``_``, at most 30, no leading, trailing or
  doubled period;
* LinkedIn: a vanity name of 3 to 100 letters, digits and hyphens, also accepted as a
  profile URL (``linkedin.com/in/johndoe``, with or without scheme, ``www.``, trailing
  slash or query).

Platform handles are ASCII. A raw handle that only becomes valid after NFKC or look-alike
folding (fullwidth or mathematical letters, invisible characters, another script) was not
typed on the platform by its owner: :class:`ParsedHandle` marks it ``suspect``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from simulator.errors import InvalidChannel, InvalidHandle
from simulator.identity._frozen import maker
from simulator.identity.keys import loose_key, skeleton, strip_invisible

#: Longest raw text accepted for a handle (a LinkedIn URL with a query fits easily).
MAX_RAW_HANDLE = 512


class Platform(StrEnum):
    """A social platform whose messages reach the contact centre."""

    TWITTER = "twitter"
    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"


_CHANNELS: dict[str, Platform] = {
    "twitter": Platform.TWITTER,
    "x": Platform.TWITTER,
    "instagram": Platform.INSTAGRAM,
    "linkedin": Platform.LINKEDIN,
}
_LINKEDIN = Platform.LINKEDIN
#: Each platform's name as a plain string (``Platform.value`` is a slow property).
_PLATFORM_NAMES: dict[Platform, str] = {p: p.value for p in Platform}
CHANNELS_ALLOWED = "one of 'twitter', 'x', 'instagram', 'linkedin'"

_SYNTAX: dict[Platform, re.Pattern[str]] = {
    Platform.TWITTER: re.compile(r"[a-z0-9_]{1,15}"),
    Platform.INSTAGRAM: re.compile(r"(?!\.)(?!.*\.\.)(?!.*\.$)[a-z0-9._]{1,30}"),
    Platform.LINKEDIN: re.compile(r"[a-z0-9-]{3,100}"),
}
_ALLOWED: dict[Platform, str] = {
    Platform.TWITTER: "1-15 letters, digits or '_' (an optional leading '@')",
    Platform.INSTAGRAM: "1-30 letters, digits, '.' or '_', no leading, trailing or double '.'",
    Platform.LINKEDIN: (
        "a vanity name of 3-100 letters, digits or '-', or a profile URL "
        "like 'linkedin.com/in/johndoe'"
    ),
}
_FULLMATCH = {platform: pattern.fullmatch for platform, pattern in _SYNTAX.items()}
_LINKEDIN_URL = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.)?(?:www\.)?linkedin\.com/in/([^/?#]+)/?(?:[?#].*)?"
)
_CONTROL_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
_STRIP = " \t\n\r\f\v\u00a0\u3000"


def parse_channel(channel: Any) -> Platform:
    """The platform of a channel name (``twitter``, ``x``, ``instagram``, ``linkedin``).

    Raises:
        InvalidChannel: not a string, or not one of the allowed names.
    """
    if isinstance(channel, Platform):
        return channel
    platform = _CHANNELS.get(channel) if type(channel) is str else None
    if platform is not None:
        return platform
    if not isinstance(channel, str):
        raise InvalidChannel("channel", channel, CHANNELS_ALLOWED)
    platform = _CHANNELS.get(channel.strip().lower())
    if platform is None:
        raise InvalidChannel("channel", channel, CHANNELS_ALLOWED)
    return platform


def check_text(field: str, value: Any, *, max_len: int, error: type = InvalidHandle) -> str:
    """Return ``value`` if it is a non-empty printable string of at most ``max_len``.

    Control characters, lone surrogates, private-use and unassigned code points are
    refused; format characters (zero-width joiners) pass and are judged later.

    Raises:
        InvalidInput: the given ``error`` subclass naming ``field``.
    """
    if (  # the common case: printable (so no refused category), not blank, not too long
        type(value) is str
        and value.isprintable()
        and len(value) <= max_len
        and not value.isspace()
        and value
    ):
        return value
    if not isinstance(value, str):
        raise error(field, value, f"a string, not {type(value).__name__}")
    if not value.strip():
        raise error(field, value, "a non-empty string")
    if len(value) > max_len:
        raise error(field, value, f"at most {max_len} characters")
    core = value.strip(_STRIP)
    if core.isprintable():  # every refused category (Cc, Cs, Co, Cn) is unprintable
        bad = False
    elif core.isascii():
        bad = True
    else:
        bad = any(unicodedata.category(char) in _CONTROL_CATEGORIES for char in core)
    if bad:
        raise error(field, value, "printable characters (no control characters)")
    return value


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def normalize_handle(handle: str) -> str:
    """Trim, strip one leading ``@``, NFKC and case fold; idempotent.

    Args:
        handle: raw handle text (validated by :func:`check_text` first).

    Raises:
        InvalidHandle: the handle is empty, or still starts with ``@`` after one was removed.
    """
    if (  # the common case, in line: printable ASCII that check_text lets through
        type(handle) is str
        and handle.isascii()
        and handle.isprintable()
        and len(handle) <= MAX_RAW_HANDLE
    ):
        folded = handle.strip(_STRIP).removeprefix("@").strip(_STRIP).lower()
        if folded and folded[0] != "@":
            return folded
    return _normalize(check_text("handle", handle, max_len=MAX_RAW_HANDLE))


def _normalize(text: str) -> str:
    handle = text
    if text.isascii():  # NFKC changes no ASCII text and casefold is lower()
        folded = text.strip(_STRIP).removeprefix("@").strip(_STRIP).lower()
        if folded.startswith("@") or not folded:
            raise InvalidHandle("handle", handle, "one handle with at most one leading '@'")
        return folded
    for _ in range(4):
        folded = _fold(text).strip(_STRIP)
        folded = folded.removeprefix("@").strip(_STRIP)
        if folded.startswith("@") or not folded:
            raise InvalidHandle("handle", handle, "one handle with at most one leading '@'")
        if folded == text:
            break
        text = folded
    return text


@dataclass(frozen=True, slots=True)
class ParsedHandle:
    """A validated handle and everything the resolver derives from it.

    Attributes:
        platform: the platform it was parsed for.
        raw: the text as received.
        normalized: trimmed, ``@`` removed, NFKC, case folded (the platform form).
        suspect: the raw text differs from ``normalized`` by more than case, surrounding
            whitespace and one leading ``@`` (NFKC, invisible characters, another script),
            so handle evidence alone must never merge it.
    """

    platform: Platform
    raw: str
    normalized: str
    suspect: bool

    @property
    def skeleton(self) -> str:
        """UTS #39 skeleton of the normalized handle (computed on demand)."""
        return skeleton(self.normalized)

    @property
    def loose(self) -> str:
        """Loose ASCII look-alike key of the normalized handle (computed on demand)."""
        return loose_key(self.normalized)


_parsed_handle = maker(ParsedHandle)


def _linkedin_vanity(text: str) -> str:
    match = _LINKEDIN_URL.fullmatch(text)
    return match.group(1) if match else text


def _plain(raw: str) -> str:
    """The raw handle with only surrounding whitespace, one ``@`` and case removed."""
    return raw.strip(_STRIP).removeprefix("@").strip(_STRIP).lower()


def parse_handle(platform: Platform | str, raw: Any) -> ParsedHandle:
    """Validate and normalize a handle for a platform.

    Args:
        platform: a :class:`Platform` or a channel name.
        raw: the handle as received (for LinkedIn a vanity name or a profile URL).

    Returns:
        The parsed handle; ``suspect`` tells whether handle evidence may count.

    Raises:
        InvalidChannel: unknown platform.
        InvalidHandle: the handle cannot come from that platform even after folding.
    """
    plat = platform if type(platform) is Platform else parse_channel(platform)
    if type(raw) is str and raw.isascii() and len(raw) <= MAX_RAW_HANDLE:
        # Fast path: plain ASCII (most traffic). NFKC and casefold change nothing here,
        # and a body that the platform syntax accepts is printable, not empty, has no
        # '@' or blank left to strip and is no LinkedIn URL: _parse_general would find
        # the same body.
        core = raw.strip(_STRIP)
        body = (core[1:] if core[:1] == "@" else core).lower()
        if _FULLMATCH[plat](body):
            return _parsed_handle(plat, raw, body, False)
    return _parse_general(plat, raw)


def _parse_general(plat: Platform, raw: Any) -> ParsedHandle:
    """:func:`parse_handle` for any text: check, fold, then judge the folded forms."""
    text = check_text("handle", raw, max_len=MAX_RAW_HANDLE)
    normalized = _normalize(text)
    plain = _plain(text)
    if plat is Platform.LINKEDIN:
        normalized = _linkedin_vanity(normalized)
        plain = _linkedin_vanity(plain)
    syntax = _SYNTAX[plat]
    if normalized == plain and normalized.isascii():  # nothing was folded: syntax decides
        if syntax.fullmatch(normalized):
            return _parsed_handle(plat, text, normalized, False)
        raise InvalidHandle("handle", raw, f"a handle for {plat.value}: {_ALLOWED[plat]}")
    folded = strip_invisible(normalized)
    if any(syntax.fullmatch(form) for form in (normalized, folded, skeleton(normalized))):
        return _parsed_handle(plat, text, folded, True)
    raise InvalidHandle("handle", raw, f"a handle for {plat.value}: {_ALLOWED[plat]}")
