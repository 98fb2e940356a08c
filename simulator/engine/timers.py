"""Callbacks at a later simulated time: how the model waits without a process.

:func:`call_later` schedules what ``env.timeout(delay).callbacks.append(callback)``
would, in the same place of the event order (normal priority, the next event id), but
skips building a full :class:`simpy.Timeout`: the model creates several per contact.

The engine reads three internals of :class:`simpy.Environment` on its hot paths: ``_now``
(what the ``now`` property returns), ``_queue`` and ``_eid`` (what ``schedule`` pushes
with). ``pyproject.toml`` pins SimPy below 5, and ``tests/unit/engine/test_timers.py``
checks that the order of events stays SimPy's own.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL

__all__ = ["call_later"]

Callback = Callable[[Any], None]


class _Later(simpy.Event):
    """An event already triggered (ok, no value) with one callback; ``Timeout`` minus fields.

    Built without ``Event.__init__``: SimPy's ``step`` reads only ``callbacks`` (iterates
    it, then sets it to ``None``) and ``_ok`` of a scheduled event; ``_ok``/``_value`` are
    the same for every instance, and the slot keeps the instance free of a ``__dict__``.
    """

    __slots__ = ("callbacks",)
    _ok = True
    _value = None


def call_later(env: simpy.Environment, delay: float, callback: Callback) -> None:
    """Call ``callback(event)`` when ``delay`` simulated seconds have passed.

    Schedules as :meth:`simpy.Environment.schedule` does (the same heap entry), in line.

    Raises:
        ValueError: a negative delay (as ``env.timeout`` does).
    """
    if delay < 0:
        raise ValueError(f"Negative delay {delay}")
    event = _new(_Later)
    event.callbacks = [callback]
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), event))


_new = object.__new__
