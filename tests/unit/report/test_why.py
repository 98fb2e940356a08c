"""The verdict's "why": sentences built from the run's own figures, and only from them."""

from __future__ import annotations

from typing import Any

from simulator.report.why import explanations


def _design(timeout_rate: float, recall: float, duplicates: float, context: float) -> dict:
    return {
        "irp": {
            "calls": 100,
            "timeout_rate": timeout_rate,
            "timeout_rate_ci95": [timeout_rate, timeout_rate],
            "error_rate": 0.01,
            "latency_p95_seconds": 5.0,
            "bot_filtered": 12,
        },
        "accuracy": {
            "recall": recall,
            "duplicate_leads": duplicates,
            "by_case": {
                "new_handle": {"false_negatives": 30.0},
                "cross_platform": {"false_negatives": 10.0},
                "returning": {"false_negatives": 0.0},
                "homoglyph": {"evaluated": 40.0, "review_rate": 0.9, "false_positives": 0.0},
            },
        },
        "context_missing_rate": context,
        "rerouted_rate": context / 2,
        "sla": {"tiers": {"Platinum": {"service_level": 0.9, "target_seconds": 30.0}}},
    }


def _metrics() -> dict[str, Any]:
    return {
        "design_order": ["sync", "async"],
        "designs": {
            "sync": _design(timeout_rate=0.134, recall=0.755, duplicates=861.0, context=0.0),
            "async": _design(timeout_rate=0.0, recall=0.872, duplicates=464.0, context=0.21),
        },
    }


def test_the_failure_branch_is_blamed_only_on_the_design_that_timed_out() -> None:
    lines = explanations(_metrics())
    cost = [line for line in lines if "guest branch" in line]
    assert len(cost) == 1 and cost[0].startswith("sync:")
    assert "75.5%" in cost[0] and "87.2%" in cost[0] and "861" in cost[0] and "464" in cost[0]


def test_context_missing_and_the_unavoidable_misses_are_explained() -> None:
    lines = explanations(_metrics())
    assert any(line.startswith("async: 21.0%") and "context missing" in line for line in lines)
    evidence = next(line for line in lines if line.startswith("Most misses"))
    assert "new, unlinked account (30.0)" in evidence and "returning" not in evidence
    assert any("Platinum customers" in line and "30 s" in line for line in lines)
    assert any("bot guard closed 12" in line for line in lines)
    impostors = [line for line in lines if "look-alike handles" in line]
    assert len(impostors) == 2 and "90.0%" in impostors[0] and "0.0 were merged" in impostors[0]


def test_nothing_is_said_without_figures() -> None:
    assert explanations({}) == []
    quiet = _metrics()
    for design in quiet["designs"].values():
        design["irp"] = {"calls": 0}
        design["context_missing_rate"] = design["rerouted_rate"] = 0.0
    lines = explanations(quiet)
    assert not any("IRP calls" in line or "context missing" in line for line in lines)
