"""Non-preemptive priority classes in one queue agree with Cobham's M/M/c formula.

Known customers (resolved by the real resolver with zero IRP latency) are routed with
priority 5, guests with priority 1, into one queue served by one exponential agent
group: a two-class non-preemptive priority M/M/c queue.
"""

from __future__ import annotations

import statistics

import pytest

from simulator.engine.records import ContactRecord
from simulator.queueing import priority_waits

from .models import ROUTES, agreement, check, queue_scenario, replicate

SERVERS = 8
MEAN_HANDLE_S = 100.0
OCCUPANCY = 0.85
HIGH, LOW = 5, 1


def _figures(records: list[ContactRecord]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, priority in (("high", HIGH), ("low", LOW)):
        mine = [r for r in records if r.priority == priority]
        out[f"{name}_wait"] = statistics.fmean(r.answer_s - r.arrival_s for r in mine)
        out[f"{name}_share"] = len(mine) / len(records)
    return out


@pytest.mark.statistical
def test_priority_classes_match_cobham() -> None:
    rate = 1.0 / MEAN_HANDLE_S
    arrival = OCCUPANCY * SERVERS * rate
    priorities = {rule: LOW for rule in ROUTES} | {"Gold": HIGH, "Silver": HIGH, "Bronze": HIGH}
    scenario = queue_scenario(
        servers=SERVERS,
        arrival_rate=arrival,
        mean_handle_s=MEAN_HANDLE_S,
        horizon_s=80_000.0,
        warmup_s=5_000.0,
        seed=3001,
        population={
            "customers": 200,
            "case_mix": {"returning": 0.4, "new_prospect": 0.6},
            "tier_mix": {"Platinum": 0, "Gold": 1, "Silver": 1, "Bronze": 1},
        },
        irp={
            "concurrency": 100_000,
            "latency": {"kind": "fixed", "values_ms": [0]},
            "rate_limit_per_minute": 100_000,
        },
        routing={rule: {"queue": "Q", "priority": p} for rule, p in priorities.items()},
    )
    found = replicate(scenario, 16, _figures)
    high_share = statistics.fmean(found["high_share"])
    assert high_share == pytest.approx(0.4, abs=0.02)  # every returning customer resolved
    high, low = priority_waits(SERVERS, [arrival * high_share, arrival * (1 - high_share)], rate)
    # the low class's mean wait is dominated by rare long busy periods: noisier
    check(agreement("W high priority", found["high_wait"], high), max_relative_se=0.1)
    check(agreement("W low priority", found["low_wait"], low), max_relative_se=0.15)
