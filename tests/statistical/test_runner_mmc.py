"""End to end: run_scenario's service level and ASA on an M/M/c scenario vs Erlang C.

Checks the whole path (parallel runner, warm-up deletion, per-replication metrics,
Student-t intervals, the Erlang C overlay) rather than the engine alone.
"""

from __future__ import annotations

import pytest
from scipy import stats

from simulator.queueing import asa, service_level
from simulator.runner import run_scenario

from .models import Agreement, check, queue_scenario

SERVERS, MEAN_HANDLE_S, OCCUPANCY, TARGET_S = 6, 100.0, 0.8, 20.0
REPLICATIONS = 12


def _from_interval(name: str, mean: float, ci95: list[float], formula: float) -> Agreement:
    half = (ci95[1] - ci95[0]) / 2
    return Agreement(name, mean, half / stats.t.ppf(0.975, REPLICATIONS - 1), formula)


@pytest.mark.statistical
def test_runner_metrics_match_erlang_c() -> None:
    rate = 1.0 / MEAN_HANDLE_S
    arrival = OCCUPANCY * SERVERS * rate
    scenario = queue_scenario(
        servers=SERVERS,
        arrival_rate=arrival,
        mean_handle_s=MEAN_HANDLE_S,
        horizon_s=40_000.0,
        warmup_s=4_000.0,
        target_s=TARGET_S,
        seed=4006,
        replications=REPLICATIONS,
    )
    metrics = run_scenario(scenario, workers=2).metrics
    sla = metrics["designs"]["sync"]["sla"]
    expected_sl = service_level(SERVERS, arrival, rate, TARGET_S)
    check(_from_interval("runner SL", sla["service_level"], sla["service_level_ci95"], expected_sl))
    check(
        _from_interval(
            "runner ASA", sla["asa_seconds"], sla["asa_seconds_ci95"], asa(SERVERS, arrival, rate)
        ),
        max_relative_se=0.1,
    )
    overlay = metrics["erlang_c"]
    assert overlay["applies"] is True
    assert overlay["servers"] == SERVERS
    assert overlay["offered_load_erlangs"] == pytest.approx(arrival / rate, rel=0.03)
    assert overlay["service_level"] == pytest.approx(expected_sl, abs=0.03)
