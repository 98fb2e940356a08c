"""One replication's full tree: warm-up deletion, queues, series, accuracy."""

from __future__ import annotations

import pytest

from simulator.engine.records import ReplicationResult, StepSeries
from simulator.metrics import MetricsConfig, QueueTarget, replication_metrics


def test_replication_tree(make_record) -> None:
    records = (
        make_record(contact_id=0, arrival_s=50.0, answer_s=500.0),  # warm-up: ignored
        make_record(contact_id=1, arrival_s=100.0, answer_s=110.0, context_missing=True),
        make_record(contact_id=2, arrival_s=200.0, answer_s=260.0, reroutes=1),
        make_record(contact_id=3, arrival_s=300.0, queue="Platinum", answer_s=301.0),
        make_record(contact_id=4, arrival_s=400.0, queue=None, bot_blocked=True, case="bot"),
    )
    series = {
        "queue.General.waiting": StepSeries("q", (0.0, 150.0, 250.0), (5.0, 1.0, 0.0)),
        "agents.team.busy": StepSeries("b", (0.0, 550.0), (4.0, 2.0)),
        "agents.team.staffed": StepSeries("s", (0.0,), (2.0,)),
    }
    result = ReplicationResult("sync", 0, 1000.0, 100.0, records, series)
    config = MetricsConfig(
        targets={"General": QueueTarget(20.0, 0.8), "Platinum": QueueTarget(10.0, 0.9)},
        headline_queue="General",
        concurrency={"team": 2, "absent": 1},
    )
    tree = replication_metrics(result, config)
    assert tree["messages"] == 4
    assert tree["sla"]["offered"] == 3
    assert tree["sla"]["service_level"] == pytest.approx(2 / 3)
    assert tree["sla"]["target_seconds"] == 20.0
    assert tree["sla"]["day_meets_goal"] == 0
    general = tree["sla"]["queues"]["General"]
    assert general["service_level"] == pytest.approx(0.5)
    assert general["max_queue"] == 5.0
    assert general["day_meets_goal"] == 0
    assert tree["sla"]["queues"]["Platinum"]["day_meets_goal"] == 1
    assert tree["occupancy"] == {"team": pytest.approx(0.75), "absent": None}
    assert tree["context_missing_rate"] == pytest.approx(1 / 3)
    assert tree["rerouted_rate"] == pytest.approx(1 / 3)
    assert tree["irp"]["bot_filtered"] == 1
    assert tree["accuracy"]["evaluated"] == 3
    assert len(tree["sla"]["intervals"]) == 2
    assert [i["max_queue"] for i in general["intervals"]] == [5.0, 0.0]
    assert tree["occupancy_intervals"]["team"] == [
        {"start_s": 0.0, "occupancy": pytest.approx(3.125 / 4)},
        {"start_s": 900.0, "occupancy": pytest.approx(0.5)},
    ]


def test_tiers_are_judged_by_ground_truth_wherever_they_were_routed(make_record) -> None:
    # A Platinum customer whose resolution timed out waits in General as a guest: the
    # Platinum queue looks perfect, the Platinum customers do not.
    records = (
        make_record(contact_id=1, true_tier="Platinum", queue="Platinum", answer_s=5.0),
        make_record(contact_id=2, true_tier="Platinum", queue="General", answer_s=25.0),
        make_record(contact_id=3, true_tier="Gold", queue="General", answer_s=25.0),
        make_record(contact_id=4, true_tier=None, queue="General", answer_s=1.0),
    )
    result = ReplicationResult("sync", 0, 1000.0, 0.0, records, {})
    platinum, general = QueueTarget(10.0, 0.9), QueueTarget(30.0, 0.8)
    config = MetricsConfig(
        targets={"General": general, "Platinum": platinum},
        headline_queue="General",
        tier_targets={"Platinum": platinum, "Gold": general},
    )
    sla = replication_metrics(result, config)["sla"]
    assert sla["queues"]["Platinum"]["service_level"] == 1.0
    assert sla["tiers"]["Platinum"]["offered"] == 2
    assert sla["tiers"]["Platinum"]["service_level"] == pytest.approx(0.5)
    assert sla["tiers"]["Platinum"]["target_seconds"] == 10.0
    assert sla["tiers"]["Platinum"]["day_meets_goal"] == 0
    assert sla["tiers"]["Gold"]["service_level"] == 1.0
    assert set(sla["tiers"]) == {"Platinum", "Gold"}
