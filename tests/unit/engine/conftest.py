"""Helpers for engine story tests: a tiny world, hand-placed arrivals and fixed draws."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import pytest

from simulator.engine.agents import AcceptDraws
from simulator.engine.draws import ContactDraws
from simulator.engine.model import Model
from simulator.engine.records import ContactRecord
from simulator.flow import design
from simulator.population import EPOCH_S, Customer, Message, Population, build_population
from simulator.scenario import Scenario, parse_scenario

QUEUES = ("General_Social_Queue", "Platinum_Social_Queue", "Supervisor_Review")
BASE: dict[str, Any] = {
    "name": "story",
    "horizon_s": 3600,
    "channels": [{"name": "twitter", "rate_per_hour": 1}],
    "population": {"customers": 60, "locales": ["en_US"]},
    "irp": {"latency": {"kind": "fixed", "values_ms": [500]}, "concurrency": 5, "timeout_s": 3},
    "crm": {
        "lookup_latency": {"kind": "fixed", "values_ms": [200]},
        "lead_latency": {"kind": "fixed", "values_ms": [300]},
    },
    "queues": [{"name": q, "sla_target_s": 60} for q in QUEUES],
    "agent_groups": [
        {
            "name": "desk",
            "agents": 1,
            "skills": list(QUEUES),
            "handle_time": {"kind": "fixed", "mean_s": 100},
        }
    ],
}


def make_scenario(**overrides: Any) -> Scenario:
    data = copy.deepcopy(BASE)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return parse_scenario(data)


@pytest.fixture(scope="session")
def world() -> Population:
    return build_population(make_scenario(), seed=5)


def customer(world: Population, tier: str | None = None) -> Customer:
    """A customer with an X account (of a given tier)."""
    return next(
        c for c in world.customers if c.account("twitter") and (tier is None or c.tier == tier)
    )


def returning(c: Customer) -> Message:
    a = c.account("twitter")
    assert a is not None
    return Message("twitter", "returning", c.customer_id, c.customer_id, a.handle, a.user_id,
                   None, c.name, "Where is my order?", a.created_at, False)  # fmt: skip


def stranger(n: int, *, user_id: str | None = None) -> Message:
    return Message("twitter", "new_prospect", None, f"prospect-{n}", f"stranger_{n}",
                   user_id or f"55{n:04d}", None, f"Stranger {n}", "Hello there",
                   EPOCH_S - 400 * 86400, False)  # fmt: skip


def spam_bot() -> Message:
    return Message("twitter", "bot", None, "bot-1", "promo_1", "777", None, "promo",
                   "GIVEAWAY! click here", EPOCH_S - 86400, True)  # fmt: skip


def run(
    scenario: Scenario,
    world: Population,
    arrivals: Sequence[tuple[float, Message]],
    *,
    design_name: str = "sync",
    latency_s: Sequence[float] | None = None,
    patience_s: Sequence[float] | None = None,
    accept_z: Sequence[float] | None = None,
    log: list[tuple[str, float]] | None = None,
) -> list[ContactRecord]:
    """Run the model on hand-placed arrivals; ``log`` collects ``("event #i", env.now)``.

    ``accept_z`` are the contacts' first-offer accept draws (standard normal; zeros by
    default, i.e. the median accept time).
    """
    n = len(arrivals)
    irp = scenario.irp.latency
    fixed = list(getattr(irp, "values_ms", (500,)))
    draws = ContactDraws(
        messages=[m for _, m in arrivals],
        irp_latency_s=list(latency_s)
        if latency_s
        else [fixed[i % len(fixed)] / 1000 for i in range(n)],
        irp_error=[False] * n,
        crm_lookup_s=[0.2] * n,
        crm_lead_s=[0.3] * n,
        service_exp=[1.0] * n,
        service_normal=[0.0] * n,
        patience_s=list(patience_s) if patience_s else [float("inf")] * n,
    )
    accept = AcceptDraws(list(accept_z) if accept_z else [0.0] * n, seed=1, replication=0)
    model = Model(
        scenario, design(design_name), world, draws, [t for t, _ in arrivals], accept=accept
    )
    if log is not None:
        env = model.env
        model.dispatcher.trace = lambda event, c: log.append((f"{event} #{c.idx}", env.now))
    model.run()
    tiers = {c.customer_id: c.tier for c in world.customers}
    return [c.record(replication=0, design=design_name, tiers=tiers) for c in model.contacts]
