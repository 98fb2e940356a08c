"""A hand-built run for report tests: synthetic records folded by the real metrics code.

The records are random but seeded; they are not a simulation, only shaped like one,
so the report can be tested without the engine. A handle-like string with markup
(``<script>``) is planted in the data to check escaping.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from simulator.engine.records import CASES, ContactRecord, ReplicationResult, StepSeries
from simulator.metrics import (
    FORMULAS,
    MetricsConfig,
    QueueTarget,
    compare_designs,
    replication_metrics,
    summarize,
)
from simulator.scenario import Scenario, load_scenario

EVIL = "<script>alert('x')</script>"
SCENARIO_YAML = """
name: fake_day
description: "A fake day for report tests <b>not bold</b>"
horizon_s: 7200
warmup_s: 600
start_hour: 9
seed: 3
replications: 3
channels:
  - {name: twitter, rate_per_hour: 100}
queues:
  - {name: Platinum_Social_Queue, sla_target_s: 60, sla_goal: 0.9, priority: 10}
  - {name: General_Social_Queue, sla_target_s: 120, sla_goal: 0.8}
  - {name: Supervisor_Review, sla_target_s: 600, sla_goal: 0.8}
agent_groups:
  - {name: General_Agents, agents: 3, skills: [General_Social_Queue, Platinum_Social_Queue],
     concurrency: 2, handle_time: {mean_s: 200}}
  - {name: Supervisors, agents: 1, skills: [Supervisor_Review], handle_time: {mean_s: 300}}
"""


@dataclass
class FakeRun:
    """What :func:`simulator.runner.run_scenario` returns, reduced to what reports read."""

    metrics: dict[str, Any]
    first_replication: dict[str, ReplicationResult] = field(default_factory=dict)


def fake_scenario(tmp_path: Path) -> Scenario:
    """The small scenario the fake run pretends to have simulated."""
    path = tmp_path / "fake_day.yaml"
    path.write_text(SCENARIO_YAML, encoding="utf-8")
    return load_scenario(path)


def _record(rng: random.Random, design: str, rep: int, cid: int, t: float) -> ContactRecord:
    case = rng.choice(CASES)
    queue = rng.choice(["Platinum_Social_Queue", "General_Social_Queue", "Supervisor_Review"])
    truth = None if case in ("new_prospect", "bot", "handle_reuse", "homoglyph") else f"C{cid % 50}"
    linked = truth is not None and rng.random() < (0.9 if design == "sync" else 0.8)
    wrong = rng.random() < 0.03
    resolved_id = f"C{(cid + 7) % 50}" if wrong else (truth if linked else None)
    wait = rng.expovariate(1 / (40 if design == "async" else 55))
    irp_start = t + 0.05
    return ContactRecord(
        replication=rep,
        design=design,
        contact_id=cid,
        channel="twitter",
        case=case,
        true_customer_id=truth,
        sender_key=EVIL if cid == 5 else f"S{cid}",
        arrival_s=t,
        bot_truth=case == "bot",
        bot_blocked=case == "bot" and rng.random() < 0.9,
        irp_start_s=irp_start,
        irp_end_s=irp_start + rng.lognormvariate(-1.8, 0.6),
        irp_outcome="timeout" if rng.random() < 0.02 else "ok",
        resolved=resolved_id is not None,
        resolved_customer_id=resolved_id,
        confidence=round(rng.random(), 3),
        method="user_id" if linked else "none",
        review=case == "homoglyph",
        reasons=(EVIL,) if cid == 5 else ("homoglyph_suspect",),
        lead_action="created" if resolved_id is None else None,
        lead_id=None,
        tier="Gold",
        queue=queue,
        priority=5,
        reroutes=int(design == "async" and rng.random() < 0.1),
        answer_s=t + wait,
        agent="a1",
        end_s=t + wait + 200,
        abandoned=False,
        context_missing=design == "async" and rng.random() < 0.15,
    )


def _replication(design: str, rep: int, horizon: float, warmup: float) -> ReplicationResult:
    rng = random.Random(f"{design}-{rep}")
    records, t, cid = [], 0.0, 0
    while True:
        t += rng.expovariate(100 / 3600)
        if t >= horizon:
            break
        records.append(_record(rng, design, rep, cid, t))
        cid += 1
    times = tuple(float(x) for x in range(0, int(horizon), 300))
    series = {
        "queue:General_Social_Queue": StepSeries(
            "queue:General_Social_Queue", times, tuple(float(rng.randint(0, 6)) for _ in times)
        ),
        "occupancy:General_Agents": StepSeries(
            "occupancy:General_Agents", times, tuple(rng.random() for _ in times)
        ),
        "irp_in_flight": StepSeries(
            "irp_in_flight", times, tuple(float(rng.randint(0, 3)) for _ in times)
        ),
    }
    return ReplicationResult(design, rep, horizon, warmup, tuple(records), series)


def fake_run(scenario: Scenario, *, designs: tuple[str, ...] = ("sync", "async")) -> FakeRun:
    """Three replications of each design, folded as the runner folds them."""
    config = MetricsConfig(
        targets={q.name: QueueTarget(q.sla_target_s, q.sla_goal) for q in scenario.queues},
        headline_queue=scenario.queues[0].name,
    )
    trees: dict[str, list[dict[str, Any]]] = {}
    first: dict[str, ReplicationResult] = {}
    for design in designs:
        results = [
            _replication(design, r, scenario.horizon_s, scenario.warmup_s)
            for r in range(scenario.replications)
        ]
        first[design] = results[0]
        trees[design] = [replication_metrics(res, config) for res in results]
    metrics: dict[str, Any] = {
        "scenario": scenario.name,
        "seed": scenario.seed,
        "replications": scenario.replications,
        "designs": {d: summarize(trees[d]) for d in designs},
        "comparisons": compare_designs(trees, list(designs)),
        "formulas": dict(FORMULAS),
    }
    return FakeRun(metrics=metrics, first_replication=first)


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The fake day's scenario."""
    return fake_scenario(tmp_path_factory.mktemp("scenario"))


@pytest.fixture(scope="session")
def run(scenario: Scenario) -> FakeRun:
    """The fake run of both designs."""
    return fake_run(scenario)


@pytest.fixture(scope="session")
def evil() -> str:
    """A handle-like string that would be markup if it were not escaped."""
    return EVIL


@pytest.fixture(scope="session")
def remake() -> Any:
    """Build a run from a metrics dict and first-replication results (for variants)."""
    return FakeRun
