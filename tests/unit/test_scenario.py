"""Scenario schema: the reference file loads, and a catalogue of broken inputs fails precisely."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from simulator.errors import InvalidScenario
from simulator.scenario import Scenario, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
QUEUES = ["General_Social_Queue", "Platinum_Social_Queue", "Supervisor_Review"]


def minimal() -> dict[str, Any]:
    return {
        "name": "t",
        "horizon_s": 3600,
        "channels": [{"name": "x", "rate_per_hour": 100}],
        "queues": [{"name": q, "sla_target_s": 60} for q in QUEUES],
        "agent_groups": [
            {"name": "g", "agents": 5, "skills": QUEUES, "handle_time": {"mean_s": 300}}
        ],
    }


def test_reference_file_loads() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "example_minimal.yaml")
    assert scenario.name == "example_minimal"
    assert scenario.designs == ("sync", "async")
    assert [g.name for g in scenario.agent_groups] == ["platinum_desk", "general", "supervisors"]
    assert scenario.channels[1].rate_at_hour(10) == 40
    assert scenario.channels[1].rate_at_hour(20) == 10


def test_defaults_and_aliases() -> None:
    scenario = parse_scenario(minimal())
    assert scenario.channels[0].name == "twitter"  # "x" is an alias
    assert scenario.irp.timeout_s == 3
    assert scenario.routing.guest.priority < scenario.routing.Gold.priority
    assert sum(scenario.population.case_mix.weights().values()) > 0


def test_accept_time_defaults_to_none_and_reads_its_kinds() -> None:
    data = minimal()
    assert parse_scenario(data).agent_groups[0].accept_time.enabled is False
    data["agent_groups"][0]["accept_time"] = {
        "kind": "lognormal",
        "median_s": 4,
        "p95_s": 12,
        "alert_timeout_s": 30,
    }
    accept = parse_scenario(data).agent_groups[0].accept_time
    assert (accept.enabled, accept.alert_timeout_s) == (True, 30)
    assert accept.seconds(0.0) == 4.0
    assert accept.seconds(1.6448536269514722) == pytest.approx(12.0)
    data["agent_groups"][0]["accept_time"] = {"kind": "fixed", "value_s": 5}
    assert parse_scenario(data).agent_groups[0].accept_time.seconds(2.0) == 5.0
    assert parse_scenario(minimal()).irp.background_timeout_s is None


def test_scenario_is_frozen() -> None:
    scenario = parse_scenario(minimal())
    with pytest.raises(Exception, match="frozen"):
        scenario.horizon_s = 5  # type: ignore[misc]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.pop(key)


BROKEN = [
    # (mutation, field, text in the allowed part)
    (_set("horizn_s", 5), "horizn_s", "one of the keys name, description, horizon_s"),
    (_drop("horizon_s"), "horizon_s", "required"),
    (_set("horizon_s", -1), "horizon_s", "greater than 0"),
    (_set("horizon_s", "long"), "horizon_s", "a valid number"),
    (_set("warmup_s", 4000), "warmup_s", "less than horizon_s"),
    (_set("name", "has space"), "name", "match pattern"),
    (_set("irp.latency", {"kind": "lognormal", "median_ms": 100, "p95_ms": 50}),
     "irp.latency.p95_ms", ">= median_ms"),
    (_set("irp.latency", {"kind": "lognormal", "median_ms": 100, "p95ms": 50}),
     "irp.latency.p95ms", "one of the keys kind, median_ms, p95_ms"),
    (_set("irp.latency", {"kind": "gauss"}), "irp.latency.kind", "'lognormal', 'fixed'"),
    (_set("irp.latency", {"median_ms": 5}), "irp.latency.kind", "a kind"),
    (_set("irp.latency", {"kind": "fixed", "values_ms": []}), "irp.latency.values_ms",
     "at least 1"),
    (_set("irp.timeout_s", 90), "irp.timeout_s", "less than or equal to 60"),
    (_set("irp.timeout_s", 0.5), "irp.timeout_s", "greater than or equal to 1"),
    (_set("irp.cache_ttl_s", 900), "irp.cache_ttl_s", "less than or equal to 300"),
    (_set("irp.error_rate", 1.5), "irp.error_rate", "less than or equal to 1"),
    (_set("irp.concurrency", 0), "irp.concurrency", "greater than or equal to 1"),
    (_set("crm.lookup_latency", {"kind": "empirical", "values_ms": [-1]}),
     "crm.lookup_latency.values_ms.0", "greater than or equal to 0"),
    (_set("designs", ["sync", "batch"]), "designs.1", "'sync' or 'async'"),
    (_set("designs", ["sync", "sync"]), "designs.1", "not used before"),
    (_set("designs", []), "designs", "at least 1"),
    (_set("channels.0", {"name": "tiktok", "rate_per_hour": 1}), "channels.0.name", "'twitter'"),
    (_set("channels.0", {"name": "twitter", "intraday": [1, 2]}), "channels.0.intraday", "24"),
    (_set("channels.0", {"name": "twitter"}), "channels.0", "exactly one of"),
    (_set("channels.0", {"name": "twitter", "intraday": [{"from_hour": 9, "rate_per_hour": 1},
                                                        {"from_hour": 3, "rate_per_hour": 1}]}),
     "channels.0.intraday", "increasing"),
    (_set("channels.0", {"name": "twitter", "intraday": [{"from_hour": 25, "rate_per_hour": 1}]}),
     "channels.0.intraday.0.from_hour", "less than 24"),
    (_set("channels", []), "channels", "at least 1"),
    (_set("population.case_mix", {"returning": 1, "homoglyf": 1}), "population.case_mix.homoglyf",
     "homoglyph"),
    (_set("population.case_mix", {"returning": 0}), "population.case_mix", "at least one weight"),
    (_set("population.case_mix", {"bot": -1}), "population.case_mix.bot", "greater than or equal"),
    (_set("population.locales", ["xx_YY"]), "population.locales", "Faker locale"),
    (_set("population.customers", 0), "population.customers", "greater than or equal to 1"),
    (_set("bots.storms", [{"start_s": 10, "duration_s": 0, "rate_per_hour": 5}]),
     "bots.storms.0.duration_s", "greater than 0"),
    (_set("bots.storms", [{"start_s": 9999, "duration_s": 5, "rate_per_hour": 5}]),
     "bots.storms.0.start_s", "less than horizon_s"),
    (_set("bots.guard", "maybe"), "bots.guard", "a valid boolean"),
    (_set("routing.Platinum", {"queue": "VIP"}), "routing.Platinum.queue", "one of the queues"),
    (_set("agent_groups.0.skills", ["Nope"]), "agent_groups.0.skills.0", "one of the queues"),
    (_set("agent_groups.0.handle_time", {"kind": "lognormal", "mean_s": 5}),
     "agent_groups.0.handle_time.sd_s", "kind is lognormal"),
    (_set("agent_groups.0.handle_time", {"kind": "weibull", "mean_s": 5}),
     "agent_groups.0.handle_time.kind", "'exponential'"),
    (_set("agent_groups.0.concurrency", 0), "agent_groups.0.concurrency", "greater than or equal"),
    (_set("agent_groups.0.accept_time", {"kind": "fixed"}), "agent_groups.0.accept_time.value_s",
     "kind is fixed"),
    (_set("agent_groups.0.accept_time", {"kind": "lognormal", "median_s": 4}),
     "agent_groups.0.accept_time.p95_s", "kind is lognormal"),
    (_set("agent_groups.0.accept_time", {"kind": "lognormal", "median_s": 4, "p95_s": 2}),
     "agent_groups.0.accept_time.p95_s", ">= median_s"),
    (_set("agent_groups.0.accept_time", {"kind": "none", "value_s": 3}),
     "agent_groups.0.accept_time.value_s", "no value_s when kind is none"),
    (_set("agent_groups.0.accept_time", {"kind": "none", "alert_timeout_s": 8}),
     "agent_groups.0.accept_time.alert_timeout_s", "no timeout"),
    (_set("agent_groups.0.accept_time", {"kind": "fixed", "value_s": 3, "alert_timeout_s": 0}),
     "agent_groups.0.accept_time.alert_timeout_s", "greater than 0"),
    (_set("agent_groups.0.accept_time", {"kind": "gamma"}), "agent_groups.0.accept_time.kind",
     "'none'"),
    (_set("agent_groups.0.accept_time", {"kind": "fixed", "value_s": 3, "alert_s": 3}),
     "agent_groups.0.accept_time.alert_s", "one of the keys kind, value_s"),
    (_set("irp.background_timeout_s", 90), "irp.background_timeout_s", "less than or equal to 60"),
    (_set("queues.1.name", "General_Social_Queue"), "queues.1", "not used before"),
    (_set("queues.0.sla_goal", 0), "queues.0.sla_goal", "greater than 0"),
    (_set("patience", {"kind": "exponential"}), "patience.mean_s", "kind is exponential"),
    (_set("sweep", {"parameters": [{"path": "agent_groups.g.agentz", "values": [1]}]}),
     "sweep.parameters.0.path", "dotted path"),
    (_set("sweep", {"parameters": [{"path": "irp.concurrency", "start": 1}]}),
     "sweep.parameters.0", "either values"),
    (_set("sweep", {"parameters": []}), "sweep.parameters", "at least 1"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "field", "allowed"), BROKEN, ids=[b[1] for b in BROKEN])
def test_broken_input_names_field_and_allowed(
    mutate: Callable[[dict[str, Any]], None], field: str, allowed: str
) -> None:
    data = copy.deepcopy(minimal())
    mutate(data)
    with pytest.raises(InvalidScenario) as info:
        parse_scenario(data, source="test")
    assert info.value.field == field
    assert allowed in info.value.allowed
    assert str(info.value).startswith(f"{field}: ")


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(InvalidScenario, match="a mapping"):
        parse_scenario([1, 2])


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(InvalidScenario, match="readable YAML"):
        load_scenario(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidScenario, match="valid YAML"):
        load_scenario(bad)


def test_sweep_points_and_overrides() -> None:
    data = minimal()
    data["sweep"] = {
        "parameters": [
            {"path": "agent_groups.g.agents", "start": 3, "stop": 5, "step": 1},
            {"path": "irp.concurrency", "values": [5, 10]},
        ]
    }
    scenario = parse_scenario(data)
    assert scenario.sweep is not None
    points = scenario.sweep.points()
    assert len(points) == 6
    assert points[0] == {"agent_groups.g.agents": 3, "irp.concurrency": 5}
    varied = scenario.with_values(points[-1])
    assert isinstance(varied, Scenario)
    assert (varied.agent_groups[0].agents, varied.irp.concurrency) == (5, 10)
    with pytest.raises(InvalidScenario) as info:
        scenario.with_values({"agent_groups.0.agents": -1})
    assert info.value.field == "agent_groups.0.agents"


def test_intraday_hourly_list_wraps_midnight() -> None:
    data = minimal()
    data["channels"] = [{"name": "instagram", "intraday": list(range(24))}]
    channel = parse_scenario(data).channels[0]
    assert channel.rate_at_hour(0.5) == 0
    assert channel.rate_at_hour(23.9) == 23
    assert channel.peak_rate_per_hour == 23
