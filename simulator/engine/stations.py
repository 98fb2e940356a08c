"""Service stations with a concurrency limit and a FIFO wait: the IRP and the CRM.

A plain deque and callbacks instead of ``simpy.Resource``: requests never leave the
wait (a data action that times out abandons its request, but the IRP keeps working on
it), so every operation is O(1) even with tens of thousands waiting.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import partial

import simpy

from simulator.engine.recorder import Tracker
from simulator.engine.timers import call_later

__all__ = ["Station"]

Done = Callable[[], None]


class Station:
    """``capacity`` requests in service at once; the others wait in arrival order.

    ``submit(service_s, on_done)`` calls ``on_done()`` when the service ends (waiting for
    a slot included). ``in_flight`` (waiting plus in service) is tracked as
    ``<name>.in_flight``.
    """

    __slots__ = ("_env", "_steps", "_waiting", "busy", "capacity", "in_flight")

    def __init__(self, env: simpy.Environment, name: str, capacity: int, tracker: Tracker) -> None:
        self._env = env
        self._steps = tracker.declare(f"{name}.in_flight")
        self._waiting: deque[tuple[float, Done]] = deque()
        self.capacity = capacity
        self.busy = 0
        self.in_flight = 0

    def submit(self, service_s: float, on_done: Done) -> None:
        """Queue a request that needs ``service_s`` seconds once it holds a slot."""
        self.in_flight += 1
        env = self._env
        self._steps.set(env._now, self.in_flight)
        if self.busy < self.capacity:
            self.busy += 1
            call_later(env, service_s, partial(self._finish, on_done))
        else:
            self._waiting.append((service_s, on_done))

    def _finish(self, on_done: Done, _event: object) -> None:
        self.in_flight -= 1
        env = self._env
        now = env._now
        self._steps.set(now, self.in_flight)
        if self._waiting:  # the slot passes to the next request at once
            service_s, next_done = self._waiting.popleft()
            call_later(env, service_s, partial(self._finish, next_done))
        else:
            self.busy -= 1
        on_done()
