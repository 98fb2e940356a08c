"""Inbound traffic with ground truth: who writes each message, and as which case.

:class:`TrafficGenerator` draws, message by message, the sender and the case of
``records.CASES`` (returning customer, handle change, released handle reused by a
stranger, homoglyph impersonator, cross-platform first contact with or without a shared
email, new unlinked handle, prospect who may write again, bot) over a
:class:`~simulator.population.Population`. Its only randomness is the ``random.Random``
it is given.
"""

from __future__ import annotations

import random
from bisect import bisect

from simulator.engine.records import CASES
from simulator.identity._frozen import maker
from simulator.population import (
    DAY_S,
    EPOCH_S,
    PLATFORMS,
    SPAM_KEYWORDS,
    Customer,
    Message,
    Population,
    ascii_handle,
)

__all__ = ["TrafficGenerator", "lookalike_ascii", "lookalike_unicode"]

#: Builds a :class:`Message` from all its fields, in order, through its slots (as
#: ``Message(...)`` does, faster): one per contact is drawn before every run.
_message = maker(Message)

_TEXTS = (
    "Hi, my order has not arrived yet.",
    "Can someone help me with my account?",
    "I was charged twice this month.",
    "How do I change my delivery address?",
    "Thanks for the quick reply yesterday!",
    "Is the store open on Sunday?",
)
_SPAM_TEXTS = tuple(f"{kw.upper()} for the first 100 followers, {kw}!" for kw in SPAM_KEYWORDS)
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
    a, b = rng.choice(options)
    spots = [i for i, ch in enumerate(handle) if ch == a]
    i = rng.choice(spots)
    return handle[:i] + b + handle[i + 1 :]


def lookalike_unicode(handle: str, rng: random.Random) -> str:
    """A Unicode look-alike: a Cyrillic/Greek letter, or a fullwidth form."""
    spots = [i for i, ch in enumerate(handle) if ch in _UNICODE_LOOKALIKES]
    if spots and rng.random() < 0.7:
        i = rng.choice(spots)
        return handle[:i] + _UNICODE_LOOKALIKES[handle[i]] + handle[i + 1 :]
    i = rng.randrange(len(handle))
    ch = handle[i]
    wide = chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch
    return handle[:i] + wide + handle[i + 1 :]


class TrafficGenerator:
    """Draws who writes each message, and as which case, with ground truth.

    Stateful on purpose: a handle change sticks (the customer keeps writing from the new
    handle) and prospects who wrote before may write again. Its only randomness is
    ``rng``, so the same seed gives the same messages whichever design consumes them.
    """

    def __init__(self, population: Population, *, rng: random.Random) -> None:
        self._pop = population
        self._rng = rng
        weights = population.config.case_mix.weights()
        self._cases = CASES
        self._cum: list[float] = []
        total = 0.0
        for case in CASES:
            total += weights[case]
            self._cum.append(total)
        pools = population.pools()
        self._with = pools.with_account
        self._without = pools.without_account
        self._handles: dict[tuple[str, str], str] = {}
        self._prospects: dict[str, list[tuple[str, str, str, str | None]]] = {
            p: [] for p in PLATFORMS
        }
        self._serial = 0

    def _draw_case(self) -> str:
        """``rng.choices(CASES, cum_weights=...)[0]``, with the same single ``random()``."""
        cum = self._cum
        return self._cases[bisect(cum, self._rng.random() * (cum[-1] + 0.0), 0, len(cum) - 1)]

    def next_message(self, channel: str, *, now: float = 0.0, case: str | None = None) -> Message:
        """The next message on ``channel`` at simulated time ``now`` (case drawn unless given)."""
        rng = self._rng
        if case is None:
            case = self._draw_case()
        self._serial += 1
        if case == "bot":
            return self._bot(channel)
        if case in ("cross_platform", "cross_platform_email") and not self._without[channel]:
            case = "new_handle"
        if (
            case not in ("new_prospect", "cross_platform", "cross_platform_email")
            and not self._with[channel]
        ):
            case = "cross_platform" if self._without[channel] else "new_prospect"
        if case == "new_prospect":
            return self._prospect(channel, now)
        pool = (
            self._with if case not in ("cross_platform", "cross_platform_email") else self._without
        )
        customer = pool[channel][rng.randrange(len(pool[channel]))]
        text = _TEXTS[rng.randrange(len(_TEXTS))]
        account = customer.account(channel)
        key = (customer.customer_id, channel)
        if account is not None:
            current = self._handles.get(key, account.handle)
            if case == "returning":
                return self._msg(
                    channel, case, customer, current, account.user_id, text, account.created_at
                )
            if case == "handle_change":
                new = ascii_handle(
                    current,
                    channel,
                    f"{'_' if channel == 'twitter' else ''}{rng.randrange(10, 999)}",
                )
                self._handles[key] = new
                return self._msg(
                    channel, case, customer, new, account.user_id, text, account.created_at
                )
            if case == "handle_reuse":
                name, _ = self._pop.names[rng.randrange(len(self._pop.names))]
                return _message(
                    channel,
                    case,
                    None,
                    f"stranger-{self._serial}",
                    current,
                    self._uid(),
                    None,
                    name,
                    text,
                    now + EPOCH_S - rng.uniform(8, 60) * DAY_S,
                    False,
                )
            if case == "homoglyph":
                fake = (
                    lookalike_unicode(current, rng)
                    if rng.random() < 0.5
                    else lookalike_ascii(current, rng)
                )
                return _message(
                    channel,
                    case,
                    None,
                    f"impostor-{self._serial}",
                    fake,
                    self._uid(),
                    None,
                    customer.name,
                    text,
                    now + EPOCH_S - rng.uniform(8, 200) * DAY_S,
                    False,
                )
        # new_handle, cross_platform, cross_platform_email: an unlinked account of a customer
        stem = customer.accounts[0].handle
        handle = ascii_handle(
            stem, channel, f"{'_' if channel == 'twitter' else ''}{rng.randrange(10, 9999)}"
        )
        email = customer.emails[0] if case == "cross_platform_email" else None
        created = now + EPOCH_S - rng.uniform(10, 900) * DAY_S
        return _message(
            channel,
            case,
            customer.customer_id,
            customer.customer_id,
            handle,
            self._uid(),
            email,
            customer.name,
            text,
            created,
            False,
        )

    def bot_message(self, channel: str) -> Message:
        """A storm message: a bot from the pool."""
        self._serial += 1
        return self._bot(channel)

    def _msg(
        self, channel: str, case: str, c: Customer, handle: str, uid: str, text: str, created: float
    ) -> Message:
        return _message(
            channel,
            case,
            c.customer_id,
            c.customer_id,
            handle,
            uid,
            None,
            c.name,
            text,
            created,
            False,
        )

    def _uid(self) -> str:
        return str(2 * 10**12 + self._serial)

    def _bot(self, channel: str) -> Message:
        bots = self._pop.bots
        bot = bots[self._rng.randrange(len(bots))]
        text = _SPAM_TEXTS[self._rng.randrange(len(_SPAM_TEXTS))] if bot.spammy else _TEXTS[0]
        handle = ascii_handle(bot.handle, channel)
        return _message(
            channel,
            "bot",
            None,
            f"bot-{bot.user_id}",
            handle,
            bot.user_id,
            None,
            bot.handle,
            text,
            bot.created_at,
            True,
        )

    def _prospect(self, channel: str, now: float) -> Message:
        rng = self._rng
        seen = self._prospects[channel]
        text = _TEXTS[rng.randrange(len(_TEXTS))]
        if seen and rng.random() < self._pop.config.prospect_repeat_share:
            key, handle, uid, email = seen[rng.randrange(len(seen))]
            name = key
        else:
            name, stem = self._pop.names[rng.randrange(len(self._pop.names))]
            handle = ascii_handle(
                stem, channel, f"{'_' if channel == 'twitter' else ''}{self._serial % 10_000}"
            )
            uid = self._uid()
            email = (
                f"{ascii_handle(stem, 'linkedin')}{self._serial}@example.net"
                if rng.random() < 0.4
                else None
            )
            seen.append((name, handle, uid, email))
        created = EPOCH_S - rng.uniform(30, 2_000) * DAY_S
        return _message(
            channel,
            "new_prospect",
            None,
            f"prospect-{uid}",
            handle,
            uid,
            email,
            name,
            text,
            created,
            False,
        )
