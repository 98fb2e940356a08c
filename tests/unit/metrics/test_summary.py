"""Folding replication trees into means, intervals and paired differences."""

from __future__ import annotations

import pytest

from simulator.metrics import compare_designs, leaf, summarize


def _tree(sl: float, within: int, judged: int, meets: int) -> dict:
    return {
        "messages": 100,
        "sla": {
            "service_level": sl,
            "answered": judged,
            "answered_within": within,
            "abandoned_after": 0,
            "waiting_after": 0,
            "target_seconds": 20.0,
            "goal": 0.8,
            "day_meets_goal": meets,
            "intervals": [{"start_s": 0.0, "offered": judged}, {"start_s": 900.0, "offered": 1}],
            "queues": {"General": {"service_level": sl}},
        },
        "context_missing_rate": None,
    }


def test_summary_means_intervals_and_pooled_ratio() -> None:
    folded = summarize([_tree(0.9, 9, 10, 1), _tree(0.5, 15, 30, 0)])
    sla = folded["sla"]
    assert sla["service_level"] == pytest.approx(0.7)
    low, high = sla["service_level_ci95"]
    assert low < 0.7 < high
    assert sla["service_level_pooled"] == pytest.approx(24 / 40)
    assert sla["target_seconds"] == 20.0
    assert "target_seconds_ci95" not in sla
    assert sla["day_meets_goal_probability"] == pytest.approx(0.5)
    assert [i["offered"] for i in sla["intervals"]] == [20.0, 1.0]
    assert sla["intervals"][1]["start_s"] == 900.0
    assert folded["context_missing_rate"] is None
    assert list(folded) == sorted(folded)


def test_leaf_follows_dotted_paths() -> None:
    tree = _tree(0.9, 9, 10, 1)
    assert leaf(tree, "sla.queues.General.service_level") == 0.9
    assert leaf(tree, "sla.nothing.here") is None


def test_compare_designs_pairs_replications() -> None:
    sync = [_tree(0.70, 7, 10, 0), _tree(0.60, 6, 10, 0), _tree(0.80, 8, 10, 1)]
    hybrid = [_tree(0.90, 9, 10, 1), _tree(0.81, 8, 10, 1), _tree(0.99, 9, 10, 1)]
    out = compare_designs({"sync": sync, "async": hybrid}, ["sync", "async"])
    entry = out["sync_vs_async"]["sla.service_level"]
    assert entry["difference"] == pytest.approx(-0.2)
    assert entry["n"] == 3
    assert entry["significant"]
    assert entry["first"] == pytest.approx(0.7)
    assert "sla.queues.General.service_level" in out["sync_vs_async"]
    assert out["sync_vs_async"]["context_missing_rate"]["difference"] is None


def test_intervals_of_fractions_stay_in_the_unit_range() -> None:
    folded = summarize(
        [{"service_level": 1.0, "asa_seconds": 1.0}, {"service_level": 0.2, "asa_seconds": 9.0}]
    )
    assert folded["service_level_ci95"][0] == 0.0
    assert folded["service_level_ci95"][1] == 1.0
    assert folded["asa_seconds_ci95"][0] == 0.0
    assert folded["asa_seconds_ci95"][1] > 9.0
