"""Look-alike handles an impersonator would pick, and the integer draw they use.

Unicode look-alikes swap a letter for a Cyrillic or Greek one, or a fullwidth form; ASCII
look-alikes use the classic confusions (0/o, 1/l, rn/m, 5/s, vv/w). Both draw from the
``random.Random`` they are given, exactly as ``rng.choice``/``rng.randrange`` would.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["below", "lookalike_ascii", "lookalike_unicode"]

_UNICODE_LOOKALIKES = {
    "a": "\u0430",
    "c": "\u0441",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "x": "\u0445",
    "y": "\u0443",
    "i": "\u0456",
    "s": "\u0455",
    "j": "\u0458",
    "v": "\u03bd",
    "k": "\u03ba",
    "n": "\u03b7",
    "t": "\u03c4",
}
_ASCII_LOOKALIKES = (("m", "rn"), ("o", "0"), ("l", "1"), ("i", "1"), ("s", "5"), ("w", "vv"))


def lookalike_ascii(handle: str, rng: random.Random) -> str:
    """An ASCII look-alike (0/o, 1/l, rn/m, 5/s, vv/w); the handle itself if none applies."""
    options = [(a, b) for a, b in _ASCII_LOOKALIKES if a in handle]
    if not options:
        return handle + "_" if len(handle) < 15 else handle[:-1] + "_"
    a, b = options[below(rng.getrandbits, len(options))]  # rng.choice(options)
    spots = [i for i, ch in enumerate(handle) if ch == a]
    i = spots[below(rng.getrandbits, len(spots))]
    return handle[:i] + b + handle[i + 1 :]


def lookalike_unicode(handle: str, rng: random.Random) -> str:
    """A Unicode look-alike: a Cyrillic/Greek letter, or a fullwidth form."""
    spots = [i for i, ch in enumerate(handle) if ch in _UNICODE_LOOKALIKES]
    if spots and rng.random() < 0.7:
        i = spots[below(rng.getrandbits, len(spots))]  # rng.choice(spots)
        return handle[:i] + _UNICODE_LOOKALIKES[handle[i]] + handle[i + 1 :]
    i = below(rng.getrandbits, len(handle))  # rng.randrange(len(handle))
    ch = handle[i]
    wide = chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch
    return handle[:i] + wide + handle[i + 1 :]


def below(getrandbits: Callable[[int], int], n: int) -> int:
    """``rng.randrange(n)`` or ``rng.choice`` of ``n`` items: the same ``getrandbits`` draws.

    ``random.Random`` draws ``n.bit_length()`` bits until the value is below ``n``; doing
    it here skips its checks and two Python calls, a good part of a message's cost (the
    traffic generator draws with it; it likewise spells ``rng.uniform(a, b)`` as
    ``random.py`` computes it, ``a + (b - a) * rng.random()``). Unit tests check both
    against ``random.Random``.

    Raises:
        ValueError: ``n <= 0``, as ``randrange`` (the loop would never end).
    """
    if n <= 0:
        raise ValueError(f"empty range: randrange({n})")
    bits = n.bit_length()
    r = getrandbits(bits)
    while r >= n:
        r = getrandbits(bits)
    return r
