"""Shared builders for the queueing-theory checks: M/M/c-shaped scenarios and replications.

With the bot guard, the IRP and lead capture switched off, every message is a guest
routed straight to one queue served by one agent group with exponential handle times:
the engine is then an M/M/c queue (M/M/c+M with exponential patience).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import statistics
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from simulator.engine import simulate
from simulator.engine.records import ContactRecord
from simulator.metrics import after_warmup
from simulator.scenario import Scenario, parse_scenario

ROUTES = ("Platinum", "Gold", "Silver", "Bronze", "guest", "review", "initial")


def queue_scenario(
    *,
    servers: int,
    arrival_rate: float,
    mean_handle_s: float,
    horizon_s: float,
    warmup_s: float,
    target_s: float = 20.0,
    mean_patience_s: float | None = None,
    **overrides: Any,
) -> Scenario:
    """An M/M/c (or M/M/c+M) scenario: one queue, one agent group, no IRP, no bots."""
    data: dict[str, Any] = {
        "name": "queueing_check",
        "horizon_s": horizon_s,
        "warmup_s": warmup_s,
        "seed": 11,
        "replications": 1,
        "population": {"customers": 20, "case_mix": {"new_prospect": 1.0}},
        "channels": [{"name": "twitter", "rate_per_hour": arrival_rate * 3600.0}],
        "bots": {"guard": False},
        "irp": {"enabled": False},
        "crm": {"platinum_lookup": False, "lead_capture": False},
        "designs": ["sync"],
        "queues": [{"name": "Q", "sla_target_s": target_s}],
        "routing": {rule: {"queue": "Q", "priority": 1} for rule in ROUTES},
        "agent_groups": [
            {
                "name": "agents",
                "agents": servers,
                "skills": ["Q"],
                "handle_time": {"kind": "exponential", "mean_s": mean_handle_s},
            }
        ],
        "patience": (
            {"kind": "none"}
            if mean_patience_s is None
            else {"kind": "exponential", "mean_s": mean_patience_s}
        ),
    }
    data.update(overrides)
    return parse_scenario(data)


def _one_replication(
    job: tuple[Scenario, int, Callable[[list[ContactRecord]], dict[str, float]]],
) -> dict[str, float]:
    scenario, replication, figures = job
    result = simulate(scenario, design="sync", replication=replication, seed=scenario.seed)
    return figures(after_warmup(result))


def replicate(
    scenario: Scenario,
    replications: int,
    figures: Callable[[list[ContactRecord]], dict[str, float]],
) -> dict[str, list[float]]:
    """Run ``replications`` of the sync design and collect ``figures`` of each.

    Replications run in forked worker processes (one per core) when the platform can
    fork; the result is the same either way, in replication order.
    """
    jobs = [(scenario, r, figures) for r in range(replications)]
    workers = min(os.cpu_count() or 1, replications)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            rows = list(pool.map(_one_replication, jobs))
    else:
        rows = [_one_replication(job) for job in jobs]
    out: dict[str, list[float]] = {}
    for row in rows:
        for name, value in row.items():
            out.setdefault(name, []).append(value)
    return out


@dataclass(frozen=True, slots=True)
class Agreement:
    """A simulated mean with its standard error against a formula's value."""

    name: str
    simulated: float
    standard_error: float
    formula: float

    @property
    def z(self) -> float:
        """Distance from the formula in standard errors."""
        return (self.simulated - self.formula) / self.standard_error

    def __str__(self) -> str:
        return (
            f"{self.name}: simulated {self.simulated:.4f} +- {self.standard_error:.4f} (SE), "
            f"formula {self.formula:.4f}, z = {self.z:+.2f}"
        )


def agreement(name: str, values: Sequence[float], formula: float) -> Agreement:
    """Compare per-replication values with a formula (standard error across replications)."""
    se = statistics.stdev(values) / math.sqrt(len(values))
    return Agreement(name, statistics.fmean(values), se, formula)


def check(found: Agreement, *, tolerance_se: float = 4.5, max_relative_se: float = 0.05) -> None:
    """Assert agreement within ``tolerance_se`` standard errors, and a precise enough run.

    The second condition keeps the check meaningful: a sloppy simulation with a huge
    standard error would agree with anything.
    """
    print(found)
    assert found.standard_error > 0, found
    assert abs(found.z) < tolerance_se, str(found)
    scale = max(abs(found.formula), 1e-9)
    assert found.standard_error / scale < max_relative_se, f"too imprecise: {found}"
