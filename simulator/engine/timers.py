"""Callbacks at a later simulated time: how the model waits without a process.

:func:`call_later` schedules what ``env.timeout(delay).callbacks.append(callback)``
would, in the same place of the event order (normal priority, the next event id), but
skips building a full :class:`simpy.Timeout`: the model creates several per contact.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import simpy
from simpy.events import NORMAL

__all__ = ["call_later"]

Callback = Callable[[Any], None]


class _Later(simpy.Event):
    """An event already triggered (ok, no value) with one callback; ``Timeout`` minus fields.

    ``Event.__init__`` is skipped on purpose: SimPy's ``step`` reads only ``callbacks``
    and ``_ok`` of a scheduled event.
    """

    def __init__(self, callback: Callback) -> None:  # no super().__init__(): see above
        self.callbacks = [callback]
        self._ok = True
        self._value = None


def call_later(env: simpy.Environment, delay: float, callback: Callback) -> None:
    """Call ``callback(event)`` when ``delay`` simulated seconds have passed.

    Raises:
        ValueError: a negative delay (as ``env.timeout`` does).
    """
    if delay < 0:
        raise ValueError(f"Negative delay {delay}")
    env.schedule(_Later(callback), NORMAL, delay)
