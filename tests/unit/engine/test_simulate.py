"""simulate(): determinism, common random numbers, isolation of designs, arrivals, M/M/c shape."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.engine import simulate
from simulator.engine.draws import draw_arrivals, population_seed, rng
from simulator.errors import InvalidInput
from simulator.population import build_population
from simulator.scenario import Scenario

from .conftest import make_scenario


@pytest.fixture(scope="module")
def busy() -> Scenario:
    return make_scenario(
        horizon_s=1800,
        channels=[
            {"name": "twitter", "rate_per_hour": 300},
            {"name": "instagram", "rate_per_hour": 200},
        ],
        bots={"storms": [{"start_s": 600, "duration_s": 60, "rate_per_hour": 3600}]},
        irp={"latency": {"kind": "lognormal", "median_ms": 300, "p95_ms": 2500}, "timeout_s": 2},
        agent_groups=[
            {
                "name": "desk",
                "agents": 6,
                "concurrency": 2,
                "skills": ["General_Social_Queue", "Platinum_Social_Queue", "Supervisor_Review"],
                "handle_time": {"kind": "exponential", "mean_s": 120},
            }
        ],
        patience={"kind": "exponential", "mean_s": 300},
    )


def test_same_seed_same_records(busy: Scenario) -> None:
    a = simulate(busy, design="sync", replication=0, seed=9)
    b = simulate(busy, design="sync", replication=0, seed=9)
    assert a == b
    c = simulate(busy, design="sync", replication=1, seed=9)
    assert [r.arrival_s for r in c.records] != [r.arrival_s for r in a.records]


def test_designs_share_arrivals_senders_and_do_not_leak(busy: Scenario) -> None:
    pop = build_population(busy, seed=population_seed(9, 0))
    alone = simulate(busy, design="async", replication=0, seed=9, population=pop)
    sync = simulate(busy, design="sync", replication=0, seed=9, population=pop)
    after = simulate(busy, design="async", replication=0, seed=9, population=pop)
    assert after == alone  # sync's resolutions and leads did not touch async's CRM
    key = [(r.arrival_s, r.case, r.sender_key, r.channel) for r in sync.records]
    assert key == [(r.arrival_s, r.case, r.sender_key, r.channel) for r in alone.records]
    assert alone == simulate(busy, design="async", replication=0, seed=9)  # built population


def test_records_are_consistent(busy: Scenario) -> None:
    result = simulate(busy, design="async", replication=0, seed=3)
    assert result.records and sum(r.case == "bot" for r in result.records) > 30  # the storm
    for r in result.records:
        if r.bot_blocked:
            assert r.queue is None and r.irp_outcome == "skipped"
            continue
        assert r.irp_outcome in ("ok", "timeout", "error", "rate_limited")
        assert r.queue is not None
        assert r.abandoned or r.answer_s is not None
        if r.answer_s is not None:
            assert r.answer_s >= r.arrival_s and r.end_s is not None and r.end_s >= r.answer_s
        if r.resolved:
            assert r.resolved_customer_id is not None
    assert any(r.context_missing for r in result.records)
    assert any(r.irp_outcome == "timeout" for r in result.records)
    assert {"irp.in_flight", "queue.General_Social_Queue.waiting", "agents.desk.busy"} <= set(
        result.series
    )
    busy_series = result.series["agents.desk.busy"]
    assert max(busy_series.values) <= 12  # 6 agents x 2 messages
    assert list(busy_series.times) == sorted(busy_series.times)


def test_unknown_design(busy: Scenario) -> None:
    with pytest.raises(InvalidInput, match="design"):
        simulate(busy, design="batch", replication=0, seed=1)


def test_thinning_follows_the_intraday_profile() -> None:
    profile = [0.0] * 24
    profile[1] = 3600.0
    scenario = make_scenario(
        horizon_s=3 * 3600, channels=[{"name": "linkedin", "intraday": profile}]
    )
    arrivals = draw_arrivals(scenario, rng(1, 0, "arrivals"))
    times = np.array(arrivals.times)
    assert ((times >= 3600) & (times < 7200)).all()
    assert abs(len(times) - 3600) < 5 * 60


def test_mmc_without_bots_irp_and_abandonment() -> None:
    """With everything else off the model is M/M/c: a coarse Erlang C check (B2 does it well)."""
    lam, mean_s, c = 0.5, 10.0, 7  # offered load 5 Erlang on 7 agents
    scenario = make_scenario(
        horizon_s=40_000,
        channels=[{"name": "twitter", "rate_per_hour": lam * 3600}],
        population={"case_mix": {"returning": 1.0}},
        irp={"enabled": False},
        routing={"guest": {"queue": "General_Social_Queue", "priority": 1}},
        agent_groups=[
            {
                "name": "desk",
                "agents": c,
                "skills": ["General_Social_Queue"],
                "handle_time": {"kind": "exponential", "mean_s": mean_s},
            }
        ],
    )
    result = simulate(scenario, design="sync", replication=0, seed=4)
    waits = np.array([r.wait_s for r in result.records if r.arrival_s > 2_000])
    a = lam * mean_s
    top = a**c / math.factorial(c) * c / (c - a)
    erlang_c = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    assert abs((waits > 0).mean() - erlang_c) < 0.05
    assert abs(waits.mean() - erlang_c * mean_s / (c - a)) < 1.0


def test_records_put_each_value_in_its_field(busy: Scenario) -> None:
    from simulator.engine.records import CASES, IRP_OUTCOMES

    result = simulate(busy, design="async", replication=0, seed=5)
    for r in result.records:
        assert (r.replication, r.design) == (0, "async")
        assert r.channel in ("twitter", "instagram") and r.case in CASES
        assert r.irp_outcome in IRP_OUTCOMES and isinstance(r.reasons, tuple)
        assert isinstance(r.priority, int) and isinstance(r.reroutes, int)
        assert r.queue is None or r.queue.endswith(("Queue", "Review"))
        assert r.lead_action in (None, "created", "existing", "attached")
    assert [r.contact_id for r in result.records] == list(range(len(result.records)))


def test_population_is_built_once_per_replication(busy: Scenario) -> None:
    from simulator.engine import population_for

    first = population_for(busy, seed=9, replication=0)
    assert population_for(busy, seed=9, replication=0) is first
    assert population_for(busy, seed=9, replication=1) is not first
    more_agents = busy.with_values({"agent_groups.desk.agents": 9})
    assert population_for(more_agents, seed=9, replication=0) is first  # sweeps share it


def test_per_contact_draws_are_common_to_both_designs(busy: Scenario) -> None:
    pop = build_population(busy, seed=population_seed(9, 0))
    sync = simulate(busy, design="sync", replication=0, seed=9, population=pop).records
    asyn = simulate(busy, design="async", replication=0, seed=9, population=pop).records
    served = [
        (s, a)
        for s, a in zip(sync, asyn, strict=True)
        if s.end_s is not None and a.end_s is not None and s.answer_s is not None
        and a.answer_s is not None and not s.abandoned and not a.abandoned
    ]  # fmt: skip
    assert len(served) > 100
    for s, a in served:  # one agent group: the same handle time whatever the design
        assert s.end_s - s.answer_s == pytest.approx(a.end_s - a.answer_s)
    ok = [(s, a) for s, a in zip(sync, asyn, strict=True) if s.irp_outcome == a.irp_outcome == "ok"]
    assert ok
    irp_waits = [(s.irp_end_s or 0) - (s.irp_start_s or 0) for s, _ in ok]
    assert min(irp_waits) > 0


def test_records_do_not_depend_on_string_hashing() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = (
        "import hashlib\n"
        "from simulator.scenario import load_scenario\n"
        "from simulator.engine import simulate\n"
        "s = load_scenario('scenarios/example_minimal.yaml')\n"
        "r = simulate(s, design='async', replication=0, seed=3)\n"
        "print(hashlib.sha256(repr((r.records, sorted(r.series.items()))).encode()).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_a_finished_run_leaves_no_cyclic_garbage(busy: Scenario) -> None:
    """Reference counting frees the model; a cycle collection would walk every contact."""
    import gc

    pop = build_population(busy, seed=population_seed(9, 0))
    simulate(busy, design="async", replication=0, seed=9, population=pop)  # warm caches
    gc.collect()
    gc.disable()
    try:
        result = simulate(busy, design="async", replication=0, seed=9, population=pop)
        garbage = gc.collect()
    finally:
        gc.enable()
    assert len(result.records) > 300
    assert garbage < len(result.records) / 5  # agents and SimPy's own small cycles only
