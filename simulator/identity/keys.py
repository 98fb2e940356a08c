"""Look-alike keys of handles: the UTS #39 skeleton and a looser ASCII key.

The skeleton comes from the Unicode confusables data that ICU ships (PyICU); no
confusables table is typed here. The order matters: the Unicode data maps ``0`` to a
capital ``O`` and ``I`` to ``l``, so the skeleton is case-folded again after it is taken
and the pair is repeated until nothing changes; otherwise ``j0hn_doe`` would miss
``john_doe``. The loose key then folds the ASCII look-alikes that the Unicode data lacks
(``0/o``, ``1/l/I``, ``5/s``, ``rn/m``, ``vv/w``, ``cl/d``) and drops the separators
``_ . -``. Both keys are only ever used to find *suspects*, never to merge.

:data:`UNICODE_DATA_VERSION` names the data that built a key; store it next to keys that
are persisted, and rebuild them when it changes.
"""

from __future__ import annotations

import re
import unicodedata

import icu

#: Unicode and ICU versions of the confusables data behind :func:`skeleton`.
UNICODE_DATA_VERSION: str = f"Unicode {icu.UNICODE_VERSION} (ICU {icu.ICU_VERSION})"

_SPOOF = icu.SpoofChecker()


def _code_point(value: int | str) -> int:
    """PyICU gives range ends as code points or as one-character strings."""
    return value if isinstance(value, int) else ord(value)


def _invisible_pattern() -> re.Pattern[str]:
    """A regex class of default-ignorable and format (Cf) characters, from ICU data."""
    uset = icu.UnicodeSet("[[:Default_Ignorable_Code_Point:][:Cf:]]")
    parts = []
    for index in range(uset.getRangeCount()):
        start, end = _code_point(uset.getRangeStart(index)), _code_point(uset.getRangeEnd(index))
        parts.append(f"\\U{start:08x}-\\U{end:08x}" if start != end else f"\\U{start:08x}")
    return re.compile("[" + "".join(parts) + "]+")


_INVISIBLE = _invisible_pattern()

# Multi-letter look-alikes first, then single characters. Applied to the casefolded
# skeleton, so 'm' has already become 'rn' and '0' has become 'o' by then.
_LOOSE_PAIRS: tuple[tuple[str, str], ...] = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_LOOSE_FOLDS = {"0": "o", "1": "l", "i": "l", "|": "l", "5": "s"}
_LOOSE_CHARS = str.maketrans(_LOOSE_FOLDS)
_SEPARATORS = re.compile(r"[_.\-]+")
# The same two steps for ASCII text, on bytes: bytes.translate drops the separators and
# folds in one pass with no dictionary lookups (a fifth of the cost of the str steps).
_LOOSE_BYTES = bytes.maketrans(
    "".join(_LOOSE_FOLDS).encode("ascii"), "".join(_LOOSE_FOLDS.values()).encode("ascii")
)
_SEPARATOR_BYTES = b"_.-"
_MAX_ROUNDS = 4


def strip_invisible(text: str) -> str:
    """Remove default-ignorable and format characters (zero-width space, joiners, ...)."""
    return _INVISIBLE.sub("", text)


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds a default-ignorable or format character."""
    return _INVISIBLE.search(text) is not None


def _icu_skeleton(text: str) -> str:
    current = strip_invisible(unicodedata.normalize("NFKC", text).casefold())
    for _ in range(_MAX_ROUNDS):
        folded = strip_invisible(_SPOOF.getSkeleton(0, current).casefold())
        if folded == current:
            break
        current = folded
    return current


def _ascii_table() -> dict[int, str]:
    """Skeletons of the printable ASCII characters, taken from the ICU data at import.

    For ASCII text NFKC and NFD change nothing and the skeleton maps each character on
    its own, so translating with this table equals :func:`_icu_skeleton` (a unit test
    checks it) at a tenth of the cost.
    """
    return {code: _icu_skeleton(chr(code)) for code in range(32, 127)}


_ASCII_SKELETON = _ascii_table()


def skeleton(text: str) -> str:
    """The case-insensitive UTS #39 skeleton of ``text``.

    NFKC, case fold, drop invisible characters, then skeleton and case fold until a
    fixpoint. ``skeleton("j0hn_doe") == skeleton("jоhn_doe") == skeleton("john_doe")``.

    Args:
        text: any string (usually a normalized handle).

    Returns:
        The skeleton; equal skeletons mean "could be mistaken for each other".
    """
    if text.isascii():
        return text.translate(_ASCII_SKELETON)
    return _icu_skeleton(text)


def loose_key(text: str) -> str:
    """The looser ASCII look-alike key: the skeleton with ASCII confusables folded.

    ``loose_key("j0hn.d0e") == loose_key("john_doe") == "johndoe"``; ``rn`` folds to ``m``,
    ``vv`` to ``w``, ``cl`` to ``d``, ``1``/``l``/``I``/``|`` to ``l``, ``5`` to ``s``.
    """
    return loose_from_skeleton(skeleton(text))


def loose_from_skeleton(skeleton_text: str) -> str:
    """The loose key of a text whose skeleton is ``skeleton_text`` (no ICU call)."""
    if skeleton_text.isascii():
        ascii_text = skeleton_text.encode("ascii")
        key = ascii_text.translate(_LOOSE_BYTES, _SEPARATOR_BYTES).decode("ascii")
    else:
        key = _SEPARATORS.sub("", skeleton_text).translate(_LOOSE_CHARS)
    for pair, letter in _LOOSE_PAIRS:
        if pair in key:  # most keys hold no pair, and `in` costs half a replace() call
            key = key.replace(pair, letter)
    return key


def handle_keys(handle: str) -> tuple[str, str]:
    """``(skeleton, loose_key)`` of a normalized handle, sharing string objects if equal.

    Backends index accounts by these two keys; sharing the string object when a key
    equals the handle keeps a million-account index small.
    """
    sk = skeleton(handle)
    if sk == handle:
        sk = handle
    loose = loose_from_skeleton(sk)
    if loose == sk:
        loose = sk
    return sk, loose
