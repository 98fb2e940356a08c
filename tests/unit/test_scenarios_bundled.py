"""Every bundled scenario validates, tells its story, and runs when shortened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.cli import BUNDLED_DIR, bundled_scenarios
from simulator.report import render_report
from simulator.runner import run_scenario
from simulator.scenario import Scenario, load_scenario, parse_scenario

REQUIRED = (
    "baseline",
    "irp_degraded",
    "bot_storm",
    "homoglyph_campaign",
    "capacity_sweep",
    "black_friday",
)
SHORT_S = 600.0
FILES = bundled_scenarios()


def shortened(scenario: Scenario) -> Scenario:
    """The same story on a small scale: 10 minutes after warm-up, a small CRM, storms
    moved into the window and shortened, at most two values per swept parameter."""
    data: dict[str, Any] = scenario.model_dump(mode="json")
    warmup = min(data["warmup_s"], 300.0)
    data["warmup_s"] = warmup
    data["horizon_s"] = warmup + SHORT_S
    data["population"]["customers"] = min(data["population"]["customers"], 100)
    data["bots"]["storms"] = [
        {**storm, "start_s": warmup + 60.0, "duration_s": 240.0, "rate_per_hour": 1200.0}
        for storm in data["bots"]["storms"]
    ]
    if data.get("sweep"):
        for param in data["sweep"]["parameters"]:
            values = param["values"] or [param["start"], param["start"] + param["step"]]
            param.update(values=values[:2], start=None, stop=None, step=None)
    return parse_scenario(data, source=f"shortened {scenario.name}")


def test_the_six_stories_are_bundled() -> None:
    names = {path.stem for path in FILES}
    assert set(REQUIRED) <= names, f"missing in {BUNDLED_DIR}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_bundled_scenario_validates_and_tells_its_story(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert len(scenario.description) > 30
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("#"), "each scenario opens with a comment saying what it shows"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_bundled_scenario_runs_shortened(path: Path) -> None:
    scenario = shortened(load_scenario(path))
    result = run_scenario(scenario, replications=1, workers=1)
    metrics = result.metrics
    assert metrics["scenario"] == scenario.name
    for design in scenario.designs:
        sla = metrics["designs"][design]["sla"]
        assert sla["offered"] > 0
        assert 0.0 <= (sla["service_level"] or 0.0) <= 1.0
    assert (metrics["sweep"] is not None) == (scenario.sweep is not None)
    if scenario.sweep is not None:  # the sweep section is drawn from real sweep results
        html = render_report(result, scenario)
        assert "Service level against" in html
        assert "&lt;svg" not in html, "charts must be markup, not escaped text"
