"""Run orchestration: parallel replications, stable metrics.json, sweeps, overrides."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simulator.errors import InvalidInput, InvalidScenario
from simulator.runner import run_scenario, stable_json
from simulator.scenario import Scenario, parse_scenario
from simulator.sweep import erlang_c_prediction, smallest_meeting

CONTRACT = (
    "sla.service_level",
    "sla.service_level_ci95",
    "sla.target_seconds",
    "sla.asa_seconds",
    "sla.wait_p90_seconds",
    "irp.timeout_rate",
    "accuracy.precision",
    "accuracy.recall",
    "accuracy.false_merge_rate",
    "accuracy.duplicate_leads",
    "context_missing_rate",
)


def _scenario(**overrides: Any) -> Scenario:
    data: dict[str, Any] = {
        "name": "runner_check",
        "horizon_s": 1800,
        "warmup_s": 60,
        "seed": 5,
        "replications": 3,
        "population": {"customers": 80, "locales": ["en_US", "ja_JP"]},
        "channels": [{"name": "twitter", "rate_per_hour": 150}],
        "queues": [
            {"name": "Platinum_Social_Queue", "sla_target_s": 30, "sla_goal": 0.9},
            {"name": "General_Social_Queue", "sla_target_s": 60},
            {"name": "Supervisor_Review", "sla_target_s": 300},
        ],
        "agent_groups": [
            {
                "name": "team",
                "agents": 3,
                "skills": ["Platinum_Social_Queue", "General_Social_Queue", "Supervisor_Review"],
                "concurrency": 2,
                "handle_time": {"kind": "exponential", "mean_s": 120},
            }
        ],
    }
    data.update(overrides)
    return parse_scenario(data)


def _leaf(tree: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        tree = tree[key]
    return tree


@pytest.fixture(scope="module")
def serial() -> Any:
    return run_scenario(_scenario(), workers=1)


def test_metrics_hold_the_design_contract(serial) -> None:
    metrics = serial.metrics
    assert metrics["scenario"] == "runner_check"
    assert (metrics["seed"], metrics["replications"]) == (5, 3)
    assert metrics["design_order"] == ["sync", "async"]
    for design in ("sync", "async"):
        for path in CONTRACT:
            _leaf(metrics["designs"][design], path)  # present
        sla = metrics["designs"][design]["sla"]
        assert len(sla["service_level_ci95"]) == 2
        assert sla["target_seconds"] == 60
        assert set(sla["queues"]) == {
            "Platinum_Social_Queue",
            "General_Social_Queue",
            "Supervisor_Review",
        }
        assert len(sla["intervals"]) == 2
    assert "sla.service_level" in metrics["comparisons"]["sync_vs_async"]
    assert metrics["formulas"]["service_level"]
    assert metrics["erlang_c"]["applies"] is True
    assert metrics["sweep"] is None
    assert set(serial.first_replication) == {"sync", "async"}
    assert serial.first_replication["sync"].replication == 0


def test_worker_count_does_not_change_a_byte(serial, tmp_path) -> None:
    seen: list[tuple[int, int]] = []
    parallel = run_scenario(
        _scenario(), workers=2, progress=lambda done, total: seen.append((done, total))
    )
    one = serial.write_metrics_json(tmp_path / "one.json").read_bytes()
    two = parallel.write_metrics_json(tmp_path / "two.json").read_bytes()
    assert one == two
    assert seen[-1] == (3, 3)
    assert json.loads(one) == serial.metrics


def test_overrides_and_their_errors() -> None:
    result = run_scenario(_scenario(), replications=1, seed=9, designs=["async"], workers=1)
    assert result.metrics["seed"] == 9
    assert result.metrics["replications"] == 1
    assert list(result.metrics["designs"]) == ["async"]
    assert result.metrics["comparisons"] == {}
    assert result.metrics["designs"]["async"]["sla"]["service_level_ci95"] == [None, None]
    with pytest.raises(InvalidInput, match="workers"):
        run_scenario(_scenario(), workers=0)
    with pytest.raises(InvalidScenario, match="designs"):
        run_scenario(_scenario(), designs=["batch"])


def test_sweep_finds_the_smallest_staffing_and_overlays_erlang_c() -> None:
    scenario = _scenario(
        designs=["sync"],
        replications=2,
        sweep={"parameters": [{"path": "agent_groups.team.agents", "values": [1, 4]}]},
    )
    sweep = run_scenario(scenario, workers=1).metrics["sweep"]
    assert sweep["parameters"] == [{"path": "agent_groups.team.agents", "values": [1, 4]}]
    assert [p["values"] for p in sweep["points"]] == [
        {"agent_groups.team.agents": 1},
        {"agent_groups.team.agents": 4},
    ]
    few, many = (p["designs"]["sync"] for p in sweep["points"])
    assert few["service_level"] < many["service_level"]
    overlay = sweep["points"][1]["erlang_c"]
    assert overlay["servers"] == 8
    assert overlay["min_servers_for_goal"] >= 1
    (smallest,) = sweep["smallest_meeting_goal"]["sync"]
    assert smallest["path"] == "agent_groups.team.agents"
    assert smallest["value"] in (1, 4, None)


def test_smallest_meeting_per_parameter_with_the_other_fixed() -> None:
    points = [{"a": a, "b": b} for a in (1, 2, 3) for b in (10, 20)]
    meets = [False, False, False, True, True, True]
    found = smallest_meeting(points, meets)
    assert {"path": "a", "fixed": {"b": 10}, "value": 3} in found
    assert {"path": "a", "fixed": {"b": 20}, "value": 2} in found
    assert {"path": "b", "fixed": {"a": 1}, "value": None} in found
    assert {"path": "b", "fixed": {"a": 2}, "value": 20} in found


def test_erlang_c_says_when_it_does_not_apply() -> None:
    scenario = _scenario(patience={"kind": "exponential", "mean_s": 300})
    prediction = erlang_c_prediction(scenario, [])
    assert prediction["applies"] is False
    assert any("abandon" in reason for reason in prediction["reasons"])


def test_stable_json_rounds_and_sorts() -> None:
    text = stable_json({"b": 1 / 3, "a": [float("nan"), 2.0, (1, True)], "c": None})
    assert text == (
        '{\n  "a": [\n    null,\n    2.0,\n    [\n      1,\n      true\n    ]\n  ],\n'
        '  "b": 0.333333,\n  "c": null\n}\n'
    )


def test_stable_json_accepts_numpy_numbers() -> None:
    import numpy as np

    assert stable_json({"n": np.int64(3), "x": np.float64(2 / 3)}) == (
        '{\n  "n": 3,\n  "x": 0.666667\n}\n'
    )


def test_a_user_error_inside_a_replication_keeps_its_type(monkeypatch) -> None:
    import simulator.engine

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise InvalidScenario("irp.latency.p95_ms", -1, "a number > 0")

    monkeypatch.setattr(simulator.engine, "simulate", broken)
    with pytest.raises(InvalidScenario, match=r"irp\.latency\.p95_ms") as caught:
        run_scenario(_scenario(), workers=1, replications=1)
    assert caught.value.field == "irp.latency.p95_ms"
