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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from simulator.engine.records import CASES
from simulator.lookalikes import below as _below
from simulator.lookalikes import lookalike_ascii, lookalike_unicode
from simulator.population import (
    DAY_S,
    EPOCH_S,
    PLATFORMS,
    SPAM_KEYWORDS,
    Customer,
    Message,
    Population,
    SocialAccount,
    ascii_handle,
    make_message,
)

__all__ = ["TrafficGenerator", "lookalike_ascii", "lookalike_unicode"]

_TEXTS = (
    "Hi, my order has not arrived yet.",
    "Can someone help me with my account?",
    "I was charged twice this month.",
    "How do I change my delivery address?",
    "Thanks for the quick reply yesterday!",
    "Is the store open on Sunday?",
)
_SPAM_TEXTS = tuple(f"{kw.upper()} for the first 100 followers, {kw}!" for kw in SPAM_KEYWORDS)
_N_TEXTS = len(_TEXTS)
_TEXT_BITS = _N_TEXTS.bit_length()
#: User ids of senders not in the CRM: this plus the message's serial number.
_UID_BASE = 2 * 10**12
#: The cases whose sender is a customer without an account on the channel.
_UNLINKED = ("cross_platform", "cross_platform_email")


def _from_account(
    lane: _Lane, case: str, customer: Customer, account: SocialAccount, handle: str, text: int
) -> Message:
    """A message from a customer's linked account on the lane's channel, under ``handle``."""
    return make_message(
        lane.channel,
        case,
        customer.customer_id,
        customer.customer_id,
        handle,
        account.user_id,
        None,
        customer.name,
        _TEXTS[text],
        account.created_at,
        False,
    )


def _fallback(case: str, *, linked: bool, unlinked: bool) -> str:
    """The case written on a channel where some customers cannot write ``case``.

    ``linked``/``unlinked``: whether some customers have / have not an account there.
    A first contact on another platform needs a customer without an account here (else
    it becomes a new handle); the other customer cases need one with an account (else
    a cross-platform contact, or a prospect if no customer can write here).
    """
    if case in _UNLINKED and not unlinked:
        case = "new_handle"
    if case not in ("new_prospect", *_UNLINKED) and not linked:
        case = "cross_platform" if unlinked else "new_prospect"
    return case


@dataclass(frozen=True, slots=True)
class _Lane:
    """What drawing a message on one channel needs, made once per generator.

    The pools do not change during a run, so each drawn case's fallback (see
    :func:`_fallback`) and the method that writes it are looked up, not worked out
    again per message.
    """

    channel: str
    writes: tuple[tuple[str, _Writer], ...]  # for each of CASES: the case written, its writer
    linked: tuple[Customer, ...]  # customers with an account on the channel
    linked_bits: int  # len(linked).bit_length(), for the draw of one of them
    handles: dict[int, str]  # linked[i]'s handle here since its last handle change
    unlinked: tuple[Customer, ...]  # customers without an account on the channel
    separator: str  # between a handle and a numeric suffix
    prospects: list[tuple[str, str, str, str | None]]  # (name, handle, user id, email)
    bots: dict[int, tuple[str, str]]  # bots[k]'s sender key and handle here, once made

    @classmethod
    def build(
        cls, channel: str, linked: tuple[Customer, ...], unlinked: tuple[Customer, ...]
    ) -> _Lane:
        """The lane of ``channel`` given its customers with and without an account there."""
        writes = []
        for case in CASES:
            if case != "bot":
                case = _fallback(case, linked=bool(linked), unlinked=bool(unlinked))
            writes.append((case, _WRITERS[case]))
        return cls(
            channel,
            tuple(writes),
            linked,
            len(linked).bit_length(),
            {},
            unlinked,
            "_" if channel == "twitter" else "",
            [],
            {},
        )

    def account(self, i: int) -> SocialAccount:
        """The account on this channel of customer ``linked[i]``."""
        account = self.linked[i].account(self.channel)
        assert account is not None  # the pool of customers with one
        return account


class TrafficGenerator:
    """Draws who writes each message, and as which case, with ground truth.

    Stateful on purpose: a handle change sticks (the customer keeps writing from the new
    handle) and prospects who wrote before may write again. Its only randomness is
    ``rng``, so the same seed gives the same messages whichever design consumes them.
    Integers are drawn as ``rng.randrange`` draws them (see :func:`_below`), so ``rng``
    must be a ``random.Random`` whose subclass, if any, keeps its ``getrandbits``.
    """

    def __init__(self, population: Population, *, rng: random.Random) -> None:
        self._rng = rng
        self._random = rng.random
        self._getrandbits = rng.getrandbits
        weights = population.config.case_mix.weights()
        self._cum: list[float] = []
        total = 0.0
        for case in CASES:
            total += weights[case]
            self._cum.append(total)
        # the total and the bounds rng.choices(CASES, cum_weights=self._cum) draws with
        self._total = self._cum[-1] + 0.0
        self._last = len(self._cum) - 1
        pools = population.pools()
        self._lanes = {
            p: _Lane.build(p, pools.with_account[p], pools.without_account[p]) for p in PLATFORMS
        }
        self._names = population.names
        self._bots = population.bots
        self._repeat_share = population.config.prospect_repeat_share
        self._serial = 0

    def next_message(self, channel: str, *, now: float = 0.0, case: str | None = None) -> Message:
        """The next message on ``channel`` at simulated time ``now`` (case drawn unless given)."""
        lane = self._lanes[channel]
        if case is None:  # rng.choices(CASES, cum_weights=...)[0], then the lane's fallback
            u = self._random() * self._total
            case, write = lane.writes[bisect(self._cum, u, 0, self._last)]
        else:
            if case != "bot":
                case = _fallback(case, linked=bool(lane.linked), unlinked=bool(lane.unlinked))
            write = _WRITERS.get(case, TrafficGenerator._new_account)
        self._serial += 1
        return write(self, lane, case, now)

    def bot_message(self, channel: str) -> Message:
        """A storm message: a bot from the pool."""
        self._serial += 1
        return self._bot(self._lanes[channel], "bot", 0.0)

    def messages(
        self, times: Sequence[float], channels: Sequence[str], storm: Sequence[bool]
    ) -> list[Message]:
        """One message per arrival, in order: the very messages (and draws) of one call each.

        That is ``bot_message(channel)`` for a storm arrival, else
        ``next_message(channel, now=time)``. The engine draws every contact's message up
        front: one call for all saves a call and the generator's lookups per message.
        """
        lanes, cum, random = self._lanes, self._cum, self._random
        total, last = self._total, self._last
        bot: _Writer = TrafficGenerator._bot
        out: list[Message] = []
        append = out.append
        for now, channel, is_storm in zip(times, channels, storm, strict=True):
            lane = lanes[channel]
            if is_storm:
                case, write = "bot", bot
            else:  # as in next_message
                case, write = lane.writes[bisect(cum, random() * total, 0, last)]
            self._serial += 1
            append(write(self, lane, case, now))
        return out

    # One writer per case: (lane, case, now) to the message, its draws in stream order.

    def _returning(self, lane: _Lane, case: str, now: float) -> Message:
        """A customer writes from its linked account, with its current handle."""
        # Half the traffic: _below's two draws are written out here, saving two calls.
        getrandbits = self._getrandbits
        n, bits = len(lane.linked), lane.linked_bits
        i = getrandbits(bits)
        while i >= n:
            i = getrandbits(bits)
        t = getrandbits(_TEXT_BITS)
        while t >= _N_TEXTS:
            t = getrandbits(_TEXT_BITS)
        customer = lane.linked[i]
        for account in customer.accounts:  # customer.account(lane.channel), without a call
            if account.platform == lane.channel:
                break
        else:
            raise AssertionError("a linked customer without an account on its channel")
        return _from_account(lane, case, customer, account, lane.handles.get(i, account.handle), t)

    def _handle_change(self, lane: _Lane, case: str, now: float) -> Message:
        """A customer writes from a new handle on the account it keeps (same user id)."""
        getrandbits = self._getrandbits
        i = _below(getrandbits, len(lane.linked))
        t = _below(getrandbits, _N_TEXTS)
        account = lane.account(i)
        current = lane.handles.get(i, account.handle)
        suffix = f"{lane.separator}{10 + _below(getrandbits, 989)}"  # rng.randrange(10, 999)
        new = lane.handles[i] = ascii_handle(current, lane.channel, suffix)
        return _from_account(lane, case, lane.linked[i], account, new, t)

    def _handle_reuse(self, lane: _Lane, case: str, now: float) -> Message:
        """A stranger writes from a customer's current handle, on a new account."""
        getrandbits = self._getrandbits
        i = _below(getrandbits, len(lane.linked))
        text = _TEXTS[_below(getrandbits, _N_TEXTS)]
        current = lane.handles.get(i, lane.account(i).handle)
        name, _ = self._names[_below(getrandbits, len(self._names))]
        return make_message(
            lane.channel,
            case,
            None,
            f"stranger-{self._serial}",
            current,
            str(_UID_BASE + self._serial),
            None,
            name,
            text,
            now + EPOCH_S - (8 + (60 - 8) * self._random()) * DAY_S,
            False,
        )

    def _homoglyph(self, lane: _Lane, case: str, now: float) -> Message:
        """An impostor writes from a look-alike of a customer's current handle."""
        getrandbits = self._getrandbits
        i = _below(getrandbits, len(lane.linked))
        text = _TEXTS[_below(getrandbits, _N_TEXTS)]
        current = lane.handles.get(i, lane.account(i).handle)
        rng = self._rng
        fake = (
            lookalike_unicode(current, rng)
            if self._random() < 0.5
            else lookalike_ascii(current, rng)
        )
        return make_message(
            lane.channel,
            case,
            None,
            f"impostor-{self._serial}",
            fake,
            str(_UID_BASE + self._serial),
            None,
            lane.linked[i].name,
            text,
            now + EPOCH_S - (8 + (200 - 8) * self._random()) * DAY_S,
            False,
        )

    def _new_account(self, lane: _Lane, case: str, now: float) -> Message:
        """A customer writes from an account the CRM does not link.

        A new handle on a platform the customer uses, or a first contact on one it does
        not (``cross_platform``, with its email for ``cross_platform_email``).
        """
        getrandbits = self._getrandbits
        pool = lane.unlinked if case in _UNLINKED else lane.linked
        customer = pool[_below(getrandbits, len(pool))]
        text = _TEXTS[_below(getrandbits, _N_TEXTS)]
        suffix = f"{lane.separator}{10 + _below(getrandbits, 9_989)}"  # rng.randrange(10, 9999)
        handle = ascii_handle(customer.accounts[0].handle, lane.channel, suffix)
        email = customer.emails[0] if case == "cross_platform_email" else None
        created = now + EPOCH_S - (10 + (900 - 10) * self._random()) * DAY_S
        return make_message(
            lane.channel,
            case,
            customer.customer_id,
            customer.customer_id,
            handle,
            str(_UID_BASE + self._serial),
            email,
            customer.name,
            text,
            created,
            False,
        )

    def _prospect(self, lane: _Lane, case: str, now: float) -> Message:
        """Someone not in the CRM writes; a prospect who wrote before may write again."""
        getrandbits = self._getrandbits
        seen = lane.prospects
        text = _TEXTS[_below(getrandbits, _N_TEXTS)]
        if seen and self._random() < self._repeat_share:
            name, handle, uid, email = seen[_below(getrandbits, len(seen))]
        else:
            name, stem = self._names[_below(getrandbits, len(self._names))]
            handle = ascii_handle(stem, lane.channel, f"{lane.separator}{self._serial % 10_000}")
            uid = str(_UID_BASE + self._serial)
            email = (
                f"{ascii_handle(stem, 'linkedin')}{self._serial}@example.net"
                if self._random() < 0.4
                else None
            )
            seen.append((name, handle, uid, email))
        created = EPOCH_S - (30 + (2_000 - 30) * self._random()) * DAY_S
        return make_message(
            lane.channel,
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

    def _bot(self, lane: _Lane, case: str, now: float) -> Message:
        """A bot from the pool writes (spam if it is a spammy one)."""
        getrandbits = self._getrandbits
        k = _below(getrandbits, len(self._bots))
        bot = self._bots[k]
        text = _SPAM_TEXTS[_below(getrandbits, len(_SPAM_TEXTS))] if bot.spammy else _TEXTS[0]
        sender = lane.bots.get(k)
        if sender is None:  # a storm draws the same bots over and over
            sender = lane.bots[k] = (f"bot-{bot.user_id}", ascii_handle(bot.handle, lane.channel))
        return make_message(
            lane.channel,
            "bot",
            None,
            sender[0],
            sender[1],
            bot.user_id,
            None,
            bot.handle,
            text,
            bot.created_at,
            True,
        )


_Writer = Callable[[TrafficGenerator, _Lane, str, float], Message]
_WRITERS: dict[str, _Writer] = {
    "returning": TrafficGenerator._returning,
    "handle_change": TrafficGenerator._handle_change,
    "handle_reuse": TrafficGenerator._handle_reuse,
    "homoglyph": TrafficGenerator._homoglyph,
    "cross_platform_email": TrafficGenerator._new_account,
    "cross_platform": TrafficGenerator._new_account,
    "new_handle": TrafficGenerator._new_account,
    "new_prospect": TrafficGenerator._prospect,
    "bot": TrafficGenerator._bot,
}
