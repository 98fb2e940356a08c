"""SimPy model of the inbound message flow: arrivals, IRP and CRM stations, agent queues.

``simulate`` is imported lazily so that ``simulator.engine.records`` stays importable
without SimPy and without a cycle through :mod:`simulator.scenario`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["population_for", "simulate"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from simulator.engine import run

        return getattr(run, name)
    raise AttributeError(name)
