"""The engine as M/M/c agrees with Erlang C: P(wait > 0), SL(t) and ASA.

Bots, IRP, lead capture and abandonment are off and handle times exponential, so
``simulate`` must reproduce the steady-state formulas. Each replication is one long
run after a warm-up; the tolerance is 4.5 standard errors across replications.
"""

from __future__ import annotations

import statistics

import pytest

from simulator.engine.records import ContactRecord
from simulator.metrics import sla_figures
from simulator.queueing import asa, erlang_c, service_level

from .models import agreement, check, queue_scenario, replicate

MEAN_HANDLE_S = 100.0
TARGET_S = 20.0


def _figures(records: list[ContactRecord]) -> dict[str, float]:
    waits = [r.answer_s - r.arrival_s for r in records if r.answer_s is not None]
    sla = sla_figures(records, lambda _: TARGET_S, horizon_s=float("inf"))
    assert sla.service_level is not None
    return {
        "wait_probability": sum(w > 0 for w in waits) / len(waits),
        "service_level": sla.service_level,
        "asa": statistics.fmean(waits),
    }


@pytest.mark.statistical
@pytest.mark.parametrize(
    ("servers", "occupancy", "horizon_s", "replications"),
    [
        (3, 0.70, 100_000.0, 16),
        (10, 0.85, 60_000.0, 16),
        (20, 0.93, 120_000.0, 20),
    ],
)
def test_mmc_matches_erlang_c(
    servers: int, occupancy: float, horizon_s: float, replications: int
) -> None:
    rate = 1.0 / MEAN_HANDLE_S
    arrival = occupancy * servers * rate
    scenario = queue_scenario(
        servers=servers,
        arrival_rate=arrival,
        mean_handle_s=MEAN_HANDLE_S,
        horizon_s=horizon_s,
        warmup_s=horizon_s / 8,
        target_s=TARGET_S,
        seed=1000 + servers,
    )
    found = replicate(scenario, replications, _figures)
    check(agreement("P(wait>0)", found["wait_probability"], erlang_c(servers, arrival / rate)))
    check(
        agreement(
            f"SL({TARGET_S:g}s)",
            found["service_level"],
            service_level(servers, arrival, rate, TARGET_S),
        )
    )
    check(agreement("ASA", found["asa"], asa(servers, arrival, rate)), max_relative_se=0.1)
