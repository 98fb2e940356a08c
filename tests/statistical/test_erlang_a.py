"""With exponential patience the engine is M/M/c+M: abandonment agrees with Erlang A."""

from __future__ import annotations

import statistics

import pytest

from simulator.engine.records import ContactRecord
from simulator.metrics import sla_figures
from simulator.queueing import erlang_a

from .models import agreement, check, queue_scenario, replicate

MEAN_HANDLE_S = 100.0
MEAN_PATIENCE_S = 200.0
TARGET_S = 20.0


def _figures(records: list[ContactRecord]) -> dict[str, float]:
    offered = [r for r in records if r.queue is not None]
    served = [r.answer_s - r.arrival_s for r in offered if r.answer_s is not None]
    waited = sum(w > 0 for w in served) + sum(r.abandoned for r in offered)
    sla = sla_figures(offered, lambda _: TARGET_S, horizon_s=float("inf"))
    assert sla.service_level is not None and sla.abandon_rate is not None
    # nothing is lost: a get() that lost its race against patience would swallow a contact
    assert sla.waiting_at_end == 0
    assert sla.answered + sla.abandoned == len(offered)
    return {
        "abandon": sla.abandon_rate,
        "wait_probability": waited / len(offered),
        "service_level": sla.service_level,
        "asa_served": statistics.fmean(served),
    }


@pytest.mark.statistical
@pytest.mark.parametrize(("servers", "offered_load"), [(10, 9.5), (10, 12.0)])
def test_abandonment_matches_erlang_a(servers: int, offered_load: float) -> None:
    rate, patience = 1.0 / MEAN_HANDLE_S, 1.0 / MEAN_PATIENCE_S
    arrival = offered_load * rate
    scenario = queue_scenario(
        servers=servers,
        arrival_rate=arrival,
        mean_handle_s=MEAN_HANDLE_S,
        mean_patience_s=MEAN_PATIENCE_S,
        horizon_s=40_000.0,
        warmup_s=4_000.0,
        target_s=TARGET_S,
        seed=2000 + round(offered_load * 10),
    )
    found = replicate(scenario, 20, _figures)
    model = erlang_a(servers, arrival, rate, patience, TARGET_S)
    check(agreement("P(abandon)", found["abandon"], model.abandon_probability))
    check(agreement("P(wait>0)", found["wait_probability"], model.wait_probability))
    check(agreement(f"SL({TARGET_S:g}s)", found["service_level"], model.service_level))
    check(agreement("ASA served", found["asa_served"], model.asa_served_s))
