"""Sweep results and the Erlang C overlay: pure functions of per-replication trees.

The runner simulates every sweep point; this module turns the points' trees into
the ``sweep`` section of metrics.json::

    sweep:
      parameters: [{path, values}]
      points: [{values: {path: value},
                designs.<design>: {service_level(+_ci95), service_level_pooled,
                    asa_seconds(+_ci95), wait_p90_seconds(+_ci95), abandon_rate,
                    day_meets_goal_probability, timeout_rate, precision, recall,
                    false_merge_rate, context_missing_rate, occupancy, meets_goal,
                    queues.<queue>: {service_level(+_ci95), asa_seconds, goal,
                                     target_seconds, meets_goal}},
                erlang_c: see erlang_c_prediction}]
      smallest_meeting_goal.<design>: [{path, fixed: {other path: value}, value}]
      smallest_meeting_goal_erlang_c: [{path, fixed, value}]

A point *meets the goal* when every queue that received traffic has a mean service
level at or above its goal. ``smallest_meeting_goal`` gives, for each swept
parameter and each combination of the other parameters' values, the smallest value
that meets it (``null`` if none does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.metrics import mean_ci, summarize
from simulator.queueing import asa, erlang_c, min_servers_for_service_level, service_level
from simulator.scenario import Scenario

__all__ = ["erlang_c_prediction", "smallest_meeting", "sweep_section"]

Tree = dict[str, Any]

ERLANG_C_ASSUMPTIONS = (
    "agents as one M/M/c pool: c = agents x concurrency, mu = 1 / mean handle time, "
    "lambda = measured rate of contacts offered to the queues after warm-up, steady state; "
    "IRP time in the sync design, priorities between queues and intraday variation are "
    "not in the formula"
)


def _not_applicable(scenario: Scenario) -> list[str]:
    reasons: list[str] = []
    if len(scenario.agent_groups) != 1:
        reasons.append("more than one agent group")
    group = scenario.agent_groups[0]
    if group.handle_time.kind != "exponential":
        reasons.append(f"handle time is {group.handle_time.kind}, not exponential")
    if group.schedule is not None:
        reasons.append("agents follow a shift schedule")
    if scenario.patience.kind != "none":
        reasons.append("customers abandon (use Erlang A)")
    return reasons


def erlang_c_prediction(scenario: Scenario, trees: Sequence[Mapping[str, Any]]) -> Tree:
    """Erlang C service level, P(wait) and ASA for the scenario's agent pool.

    Applies when there is one agent group with exponential handle times, no shift
    schedule and no abandonment. The arrival rate is the measured rate of offered
    contacts (mean over replications), so bots closed by the guard are left out.

    Args:
        scenario: the (sweep point's) scenario.
        trees: per-replication metric trees of one design.

    Returns:
        ``{applies: false, reasons: [...]}`` or ``{applies: true, assumptions,
        arrival_rate_per_s, service_rate_per_s, servers, offered_load_erlangs,
        occupancy, target_seconds, goal, stable, min_servers_for_goal (the smallest
        c = agents x concurrency whose Erlang C service level reaches the goal),
        wait_probability, service_level, asa_seconds, meets_goal}``.
    """
    reasons = _not_applicable(scenario)
    if reasons:
        return {"applies": False, "reasons": reasons}
    group = scenario.agent_groups[0]
    headline = scenario.queue(scenario.routing.initial.queue)
    offered = mean_ci([t["sla"]["offered"] for t in trees]).mean or 0.0
    arrival = offered / (scenario.horizon_s - scenario.warmup_s)
    rate = 1.0 / group.handle_time.mean_s
    servers = group.agents * group.concurrency
    load = arrival / rate
    out: Tree = {
        "applies": True,
        "assumptions": ERLANG_C_ASSUMPTIONS,
        "arrival_rate_per_s": arrival,
        "service_rate_per_s": rate,
        "servers": servers,
        "offered_load_erlangs": load,
        "occupancy": load / servers if servers else None,
        "target_seconds": headline.sla_target_s,
        "goal": headline.sla_goal,
        "stable": servers > 0 and load < servers,
    }
    out["min_servers_for_goal"] = (
        min_servers_for_service_level(arrival, rate, headline.sla_target_s, headline.sla_goal)
        if arrival > 0 and headline.sla_goal < 1.0
        else None
    )
    if out["stable"] and arrival > 0:
        level = service_level(servers, arrival, rate, headline.sla_target_s)
        out.update(
            wait_probability=erlang_c(servers, load),
            service_level=level,
            asa_seconds=asa(servers, arrival, rate),
            meets_goal=level >= headline.sla_goal,
        )
    else:
        stable = out["stable"]
        out.update(
            wait_probability=0.0 if stable else 1.0,
            service_level=1.0 if stable else 0.0,
            asa_seconds=0.0 if stable else None,
            meets_goal=bool(stable),
        )
    return out


_POINT_SLA_KEYS = (
    "service_level",
    "service_level_ci95",
    "service_level_pooled",
    "asa_seconds",
    "asa_seconds_ci95",
    "wait_p90_seconds",
    "wait_p90_seconds_ci95",
    "abandon_rate",
)


def _point_design(summary: Mapping[str, Any]) -> Tree:
    sla = summary["sla"]
    out: Tree = {key: sla.get(key) for key in _POINT_SLA_KEYS}
    out["day_meets_goal_probability"] = sla.get("day_meets_goal_probability")
    out["timeout_rate"] = summary["irp"].get("timeout_rate")
    for key in ("precision", "recall", "false_merge_rate"):
        out[key] = summary["accuracy"].get(key)
    out["context_missing_rate"] = summary.get("context_missing_rate")
    out["occupancy"] = summary.get("occupancy")
    queues: Tree = {}
    verdicts: list[bool] = []
    for name, queue in sla["queues"].items():
        level, goal = queue.get("service_level"), queue.get("goal")
        meets = None if level is None else bool(level >= goal)
        if meets is not None and (queue.get("offered") or 0) > 0:
            verdicts.append(meets)
        queues[name] = {
            "service_level": level,
            "service_level_ci95": queue.get("service_level_ci95"),
            "asa_seconds": queue.get("asa_seconds"),
            "target_seconds": queue.get("target_seconds"),
            "goal": goal,
            "meets_goal": meets,
        }
    out["queues"] = queues
    out["meets_goal"] = all(verdicts) if verdicts else None
    return out


def smallest_meeting(
    points: Sequence[Mapping[str, float]], meets: Sequence[bool | None]
) -> list[Tree]:
    """Smallest value of each parameter that meets the goal, the others held fixed.

    Args:
        points: the sweep points as ``{path: value}``, all with the same paths.
        meets: whether each point meets the goal.

    Returns:
        ``[{path, fixed, value}]``: one entry per parameter and per combination of
        the other parameters' values, in order of first appearance.
    """
    paths = list(points[0]) if points else []
    out: list[Tree] = []
    for path in paths:
        groups: dict[tuple[tuple[str, float], ...], list[float]] = {}
        for point, ok in zip(points, meets, strict=True):
            fixed = tuple((p, v) for p, v in point.items() if p != path)
            bucket = groups.setdefault(fixed, [])
            if ok:
                bucket.append(point[path])
        for fixed, good in groups.items():
            out.append({"path": path, "fixed": dict(fixed), "value": min(good, default=None)})
    return out


def sweep_section(
    scenario: Scenario,
    variants: Sequence[Scenario],
    points: Sequence[Mapping[str, float]],
    per_point: Sequence[Mapping[str, Sequence[Mapping[str, Any]]]],
    designs: Sequence[str],
) -> Tree:
    """The ``sweep`` section of metrics.json (layout in the module docstring).

    Args:
        scenario: the base scenario (its ``sweep`` names the parameters).
        variants: the scenario at each point.
        points: each point's ``{path: value}``.
        per_point: per point, the per-replication trees by design.
        designs: the design names in display order.
    """
    assert scenario.sweep is not None
    entries: list[Tree] = []
    for variant, values, trees in zip(variants, points, per_point, strict=True):
        entries.append(
            {
                "values": dict(values),
                "designs": {d: _point_design(summarize(trees[d])) for d in designs},
                "erlang_c": erlang_c_prediction(variant, trees[designs[0]]),
            }
        )
    smallest = {
        d: smallest_meeting(points, [e["designs"][d]["meets_goal"] for e in entries])
        for d in designs
    }
    predicted = [e["erlang_c"].get("meets_goal") for e in entries]
    return {
        "parameters": [
            {"path": p.path, "values": list(p.points())} for p in scenario.sweep.parameters
        ],
        "points": entries,
        "smallest_meeting_goal": smallest,
        "smallest_meeting_goal_erlang_c": smallest_meeting(points, predicted),
    }
