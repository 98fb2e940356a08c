"""Accept (alert) delay stories: offer, accept, missed alert, abandonment while alerting.

Each story logs ``(event #contact, env.now)`` from the dispatcher as it happens and
asserts the whole log, then the records' answer times and context-missing flags.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from simulator.engine import simulate
from simulator.engine.agents import AcceptDraws
from simulator.population import Population
from simulator.scenario import AcceptTime

from .conftest import QUEUES, customer, make_scenario, returning, run, stranger

Z95 = 1.6448536269514722


def desk(accept_time: dict[str, Any], *, agents: int = 1, concurrency: int = 1) -> list[Any]:
    return [
        {
            "name": "desk",
            "agents": agents,
            "concurrency": concurrency,
            "skills": list(QUEUES),
            "handle_time": {"kind": "fixed", "mean_s": 100},
            "accept_time": accept_time,
        }
    ]


def test_the_agent_answers_when_it_accepts_the_offer(world: Population) -> None:
    scenario = make_scenario(agent_groups=desk({"kind": "fixed", "value_s": 4}))
    log: list[tuple[str, float]] = []
    records = run(scenario, world, [(0.0, stranger(1)), (1.0, stranger(2))], log=log)
    assert log == [
        ("offer #0", 0.8),  # 0.5 s IRP + 0.3 s lead, then routed to the free agent: alerting
        ("accept #0", 4.8),  # answered when the agent accepts
        ("end #0", 104.8),
        ("offer #1", 104.8),  # waited in the queue while the only slot was busy
        ("accept #1", 108.8),
        ("end #1", 208.8),
    ]
    assert [(r.answer_s, r.agent) for r in records] == [(4.8, "desk#1"), (108.8, "desk#1")]
    assert records[0].wait_s == 4.8  # the SLA clock runs until the agent accepts


def test_async_context_is_there_when_resolution_beats_the_accept(world: Population) -> None:
    gold = customer(world, "Gold")
    scenario = make_scenario(
        agent_groups=desk({"kind": "lognormal", "median_s": 4, "p95_s": 12}, agents=2),
        irp={"latency": {"kind": "fixed", "values_ms": [500, 9000]}},
        crm={"lookup_latency": {"kind": "fixed", "values_ms": [200]}},
    )
    log: list[tuple[str, float]] = []
    records = run(
        scenario,
        world,
        [(0.0, returning(gold)), (1.0, stranger(1))],
        design_name="async",
        accept_z=[0.0, Z95],  # the median (4 s), then the 95th percentile (12 s)
        log=log,
    )
    assert [(event, round(t, 9)) for event, t in log] == [
        ("offer #0", 0.0),  # routed at once; the IRP answers at 0.5 s, during the alert
        ("offer #1", 1.0),
        ("accept #0", 4.0),
        ("accept #1", 13.0),  # its resolution takes 3 s (timeout), still before the accept
        ("end #0", 104.0),
        ("end #1", 113.0),
    ]
    assert [r.context_missing for r in records] == [False, False]
    slow = make_scenario(
        agent_groups=desk({"kind": "fixed", "value_s": 2}),
        irp={"latency": {"kind": "fixed", "values_ms": [2500]}},
    )
    (late,) = run(slow, world, [(0.0, returning(gold))], design_name="async")
    assert (late.answer_s, late.irp_end_s, late.context_missing) == (2.0, 2.5, True)


def test_a_missed_alert_is_offered_again_in_its_place(world: Population) -> None:
    accept = {"kind": "lognormal", "median_s": 4, "p95_s": 12, "alert_timeout_s": 10}
    scenario = make_scenario(agent_groups=desk(accept, agents=2))
    log: list[tuple[str, float]] = []
    records = run(
        scenario,
        world,
        [(0.0, stranger(1)), (1.0, stranger(2)), (2.0, stranger(3))],
        accept_z=[Z95, 0.0, 0.0],  # contact 0 would take 12 s: past the 10 s alert timeout
        log=log,
    )
    redraw = AcceptDraws([0.0], seed=1, replication=0).z(0, 1)  # contact 0's second offer
    second = 4.0 * math.exp(math.log(3.0) / Z95 * redraw)
    assert second <= 10.0
    assert [(event, round(t, 6)) for event, t in log] == [
        ("offer #0", 0.8),
        ("offer #1", 1.8),
        ("accept #1", 5.8),
        ("miss #0", 10.8),  # the alert timed out: the slot is released, the contact re-queued
        ("offer #0", 10.8),  # ... and offered again at once (the agent is free), a new draw
        ("accept #0", round(10.8 + second, 6)),
        ("end #1", 105.8),
        ("offer #2", 105.8),  # contact 2 waited behind contact 0, which kept its place
        ("accept #2", 109.8),
        ("end #0", round(110.8 + second, 6)),
        ("end #2", 209.8),
    ]
    assert records[0].answer_s == pytest.approx(10.8 + second)


def test_a_customer_may_abandon_while_the_alert_rings(world: Population) -> None:
    scenario = make_scenario(
        agent_groups=desk({"kind": "fixed", "value_s": 20, "alert_timeout_s": 30})
    )
    log: list[tuple[str, float]] = []
    records = run(
        scenario,
        world,
        [(0.0, stranger(1)), (1.0, stranger(2))],
        patience_s=[10.0, 1e9],
        log=log,
    )
    assert log == [
        ("offer #0", 0.8),
        ("withdraw #0", 10.0),  # patience runs from arrival, alerting included
        ("offer #1", 10.0),
        ("accept #1", 30.0),
        ("end #1", 130.0),
    ]
    assert (records[0].abandoned, records[0].answer_s, records[0].end_s) == (True, None, 10.0)


def test_accept_draws_are_common_to_both_designs() -> None:
    one = AcceptDraws.draw(5, seed=3, replication=1)
    two = AcceptDraws.draw(5, seed=3, replication=1)
    assert one.first == two.first
    assert [two.z(2, k) for k in (1, 2)] == [one.z(2, k) for k in (1, 2)]
    assert AcceptDraws.draw(5, seed=3, replication=2).first != one.first


def test_no_accept_time_answers_at_routing_and_changes_nothing(world: Population) -> None:
    scenario = make_scenario(horizon_s=1800, channels=[{"name": "twitter", "rate_per_hour": 60}])
    accept_none = make_scenario(
        horizon_s=1800,
        channels=[{"name": "twitter", "rate_per_hour": 60}],
        agent_groups=desk({"kind": "none"}),
    )
    plain = simulate(scenario, design="async", replication=0, seed=9)
    explicit = simulate(accept_none, design="async", replication=0, seed=9)
    assert plain.records == explicit.records
    assert AcceptTime().enabled is False


def test_the_accept_time_is_in_both_designs_with_the_same_draws() -> None:
    scenario = make_scenario(
        horizon_s=1800,
        channels=[{"name": "twitter", "rate_per_hour": 120}],
        agent_groups=desk({"kind": "lognormal", "median_s": 4, "p95_s": 12}, agents=4),
    )
    sync = simulate(scenario, design="sync", replication=0, seed=9).records
    asyn = simulate(scenario, design="async", replication=0, seed=9).records
    waits = [r.wait_s for r in sync if r.wait_s is not None]
    assert waits and min(waits) > 0.5  # nobody is answered at the instant of routing
    early = [r for r in asyn if r.answer_s is not None and r.irp_end_s is not None]
    assert sum(r.context_missing for r in early) < len(early) / 4
