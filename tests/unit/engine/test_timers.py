"""``call_later`` keeps SimPy's event order: a story of callbacks and timeouts."""

from __future__ import annotations

from typing import Any

import pytest
import simpy

from simulator.engine.timers import call_later


def test_callbacks_and_timeouts_run_in_time_then_scheduling_order() -> None:
    env = simpy.Environment()
    log: list[tuple[str, float]] = []

    def note(name: str) -> Any:
        return lambda _ev: log.append((name, env.now))

    call_later(env, 2.0, note("later b"))
    env.timeout(1.0).callbacks.append(note("timeout a"))
    call_later(env, 1.0, note("later a"))
    env.timeout(2.0).callbacks.append(note("timeout b"))
    call_later(env, 0.0, note("now"))
    env.run()
    assert log == [
        ("now", 0.0),
        ("timeout a", 1.0),
        ("later a", 1.0),
        ("later b", 2.0),
        ("timeout b", 2.0),
    ]


def test_a_process_and_a_callback_at_the_same_time() -> None:
    env = simpy.Environment()
    log: list[tuple[str, float]] = []

    def worker() -> Any:
        yield env.timeout(1.5)  # scheduled when the process starts, after the callback
        log.append(("worker", env.now))

    env.process(worker())
    call_later(env, 1.5, lambda _ev: log.append(("callback", env.now)))
    env.run()
    assert log == [("callback", 1.5), ("worker", 1.5)]


def test_negative_delay_is_refused_like_a_timeout() -> None:
    env = simpy.Environment()
    with pytest.raises(ValueError, match="Negative delay"):
        call_later(env, -1.0, lambda _ev: None)
    with pytest.raises(ValueError, match="Negative delay"):
        env.timeout(-1.0)
