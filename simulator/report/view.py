"""From ``metrics.json`` to what the report shows: pure functions, no HTML, no charts.

The report reads the metrics dict written by :mod:`simulator.runner` (layout in its
docstring, contract keys in DESIGN.md). Every figure is looked up defensively: a key
that a run did not produce becomes "n/a" in the page, never an exception, so a report
can always be written for whatever the run measured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.report.formatting import (
    Figure,
    as_float,
    figure,
    fmt,
    fmt_diff,
    fmt_diff_interval,
    fmt_interval,
)


@dataclass(frozen=True, slots=True)
class Headline:
    """A figure compared between designs: where it sits, its unit, which way is better."""

    path: str  # dotted path inside designs.<name>
    label: str
    unit: str  # see formatting.fmt
    better: str  # "higher" or "lower"


HEADLINES: tuple[Headline, ...] = (
    Headline("sla.service_level", "Service level (all queues)", "pct", "higher"),
    Headline("sla.asa_seconds", "ASA (average speed of answer)", "s", "lower"),
    Headline("sla.wait_p90_seconds", "Wait p90", "s", "lower"),
    Headline("sla.wait_p99_seconds", "Wait p99", "s", "lower"),
    Headline("sla.abandon_rate", "Abandon rate", "pct", "lower"),
    Headline("irp.timeout_rate", "IRP timeout rate", "pct", "lower"),
    Headline("irp.latency_p95_seconds", "IRP latency p95", "ms", "lower"),
    Headline("accuracy.precision", "Precision", "pct", "higher"),
    Headline("accuracy.recall", "Recall", "pct", "higher"),
    Headline("accuracy.f1", "F1", "pct", "higher"),
    Headline("accuracy.false_merge_rate", "False-merge rate", "pct", "lower"),
    Headline("accuracy.review_rate", "Review rate", "pct", "lower"),
    Headline("accuracy.duplicate_leads", "Duplicate leads (per replication)", "count", "lower"),
    Headline("context_missing_rate", "Context missing", "pct", "lower"),
    Headline("rerouted_rate", "Re-routed contacts", "pct", "lower"),
    Headline("reroutes", "Re-routes (per replication)", "count", "lower"),
)


def dig(node: Any, path: str) -> Any:
    """Follow a dotted path through nested mappings; ``None`` when any step is missing."""
    for key in path.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def design_figure(metrics: Mapping[str, Any], design: str, path: str) -> Figure:
    """Figure ``path`` (dotted, inside ``designs.<design>``) with its interval."""
    parent, _, key = path.rpartition(".")
    node = dig(metrics, f"designs.{design}" + (f".{parent}" if parent else ""))
    return figure(node, key)


def design_names(metrics: Mapping[str, Any]) -> list[str]:
    """The designs in the run's order (``design_order``; else as stored)."""
    designs = metrics.get("designs")
    if not isinstance(designs, Mapping):
        return []
    order = metrics.get("design_order")
    if isinstance(order, list) and all(d in designs for d in order):
        return [str(d) for d in order]
    return list(designs)


def _sla_keys(metrics: Mapping[str, Any], section: str) -> list[str]:
    """Every key of ``designs.<d>.sla.<section>`` in any design, in first-seen order."""
    names: list[str] = []
    for design in design_names(metrics):
        for name in dig(metrics, f"designs.{design}.sla.{section}") or {}:
            if name not in names:
                names.append(name)
    return names


def queue_names(metrics: Mapping[str, Any]) -> list[str]:
    """Every queue that any design reports, in first-seen order."""
    return _sla_keys(metrics, "queues")


def tier_names(metrics: Mapping[str, Any]) -> list[str]:
    """Every customer tier that any design reports (ground truth), in first-seen order."""
    return _sla_keys(metrics, "tiers")


# --- verdict ------------------------------------------------------------------------------


def verdict_status(fig: Figure, goal: float | None) -> str:
    """``meets`` / ``misses`` when the whole interval is on one side of the goal, else
    ``uncertain`` (the replications cannot tell); ``unknown`` without figures."""
    if fig.mean is None or goal is None:
        return "unknown"
    low = fig.low if fig.low is not None else fig.mean
    high = fig.high if fig.high is not None else fig.mean
    if low >= goal:
        return "meets"
    if high < goal:
        return "misses"
    return "uncertain"


def queue_goal(metrics: Mapping[str, Any], queue: str, scenario_goals: Mapping[str, Any]) -> Any:
    """The queue's (target seconds, goal share), from the metrics or else the scenario."""
    for design in design_names(metrics):
        node = dig(metrics, f"designs.{design}.sla.queues.{queue}") or {}
        target = as_float(node.get("target_seconds"))
        goal = as_float(node.get("goal", node.get("sla_goal")))
        if target is not None and goal is not None:
            return target, goal
    return scenario_goals.get(queue, (None, None))


def verdict(metrics: Mapping[str, Any], scenario_goals: Mapping[str, Any]) -> dict[str, Any]:
    """Per queue: each design's service level against its goal, and one sentence.

    Args:
        metrics: the metrics dict.
        scenario_goals: queue -> (target seconds, goal share) from the scenario, used when
            the metrics do not repeat them.
    """
    designs = design_names(metrics)
    tables = comparisons(metrics)
    rows = []
    for queue in queue_names(metrics):
        target, goal = queue_goal(metrics, queue, scenario_goals)
        cells = []
        for design in designs:
            fig = figure(dig(metrics, f"designs.{design}.sla.queues.{queue}"), "service_level")
            p_meet = figure(
                dig(metrics, f"designs.{design}.sla.queues.{queue}"), "day_meets_goal_probability"
            )
            cells.append(
                {
                    "design": design,
                    "value": fmt(fig.mean, "pct"),
                    "interval": fmt_interval(fig, "pct"),
                    "status": verdict_status(fig, goal),
                    "p_meet": fmt(p_meet.mean, "pct") if p_meet.mean is not None else "",
                }
            )
        rows.append(
            {
                "queue": queue,
                "target": fmt(target, "s"),
                "goal": fmt(goal, "pct"),
                "cells": cells,
                "sentence": _queue_sentence(queue, target, goal, cells)
                + _queue_winner(tables, f"{queue}: service level"),
            }
        )
    return {"designs": designs, "rows": rows, "wins": wins(metrics)}


def _queue_sentence(
    queue: str, target: float | None, goal: float | None, cells: Sequence[Mapping[str, str]]
) -> str:
    words = {
        "meets": "meets",
        "misses": "misses",
        "uncertain": "may or may not meet",
        "unknown": "has no figure for",
    }
    parts = [
        f"{c['design']} {words[c['status']]} it ({c['value']}"
        + (f", 95% CI {c['interval']}" if c["interval"] else "")
        + ")"
        for c in cells
    ]
    head = f"{queue} (goal {fmt(goal, 'pct')} answered within {fmt(target, 's')}): "
    return head + "; ".join(parts) + "."


def _queue_winner(tables: Sequence[Mapping[str, Any]], label: str) -> str:
    """`` async is better by +1.2 pp [..]`` or that the designs cannot be told apart."""
    text = ""
    for table in tables:
        row = next((r for r in table["rows"] if r["label"] == label), None)
        if row is None:
            continue
        pair = f"{table['other']} − {table['base']}"
        interval = f" {row['interval']}" if row["interval"] else ""
        if row["winner"]:
            text += f" {row['winner']} is better here ({pair}: {row['diff']}{interval})."
        else:
            text += f" No significant difference ({pair}: {row['diff']}{interval})."
    return text


def wins(metrics: Mapping[str, Any]) -> list[str]:
    """One line per headline figure where a paired difference is significant."""
    lines = []
    for comparison in comparisons(metrics):
        for row in comparison["rows"]:
            if row["winner"]:
                lines.append(
                    f"{row['winner']} is better on {row['label']} "
                    f"({comparison['other']} − {comparison['base']}: {row['diff']}"
                    + (f", 95% CI {row['interval']}" if row["interval"] else "")
                    + ")"
                )
    return lines


# --- design comparison --------------------------------------------------------------------


def comparisons(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Side-by-side tables: every other design against the first, per headline figure.

    The paired difference (other − base) and its interval come from the metrics'
    ``comparisons`` section; without it only the two means are shown.
    """
    designs = design_names(metrics)
    tables = []
    for other in designs[1:]:
        base = designs[0]
        diffs, sign = _comparison_node(metrics, base, other)
        rows = []
        for h in (*HEADLINES, *tier_headlines(metrics), *queue_headlines(metrics)):
            a = design_figure(metrics, base, h.path)
            b = design_figure(metrics, other, h.path)
            diff = _difference(diffs, sign, h.path, a, b)
            rows.append(
                {
                    "label": h.label,
                    "base": fmt(a.mean, h.unit),
                    "base_ci": fmt_interval(a, h.unit),
                    "other": fmt(b.mean, h.unit),
                    "other_ci": fmt_interval(b, h.unit),
                    "diff": fmt_diff(diff.mean, h.unit),
                    "interval": fmt_diff_interval(diff, h.unit),
                    "winner": _winner(diff, h, base, other),
                }
            )
        tables.append({"base": base, "other": other, "rows": rows})
    return tables


def tier_headlines(metrics: Mapping[str, Any]) -> list[Headline]:
    """Per-tier figures for each tier's real customers, compared between designs."""
    return [
        Headline(
            f"sla.tiers.{tier}.service_level", f"{tier} customers: service level", "pct", "higher"
        )
        for tier in tier_names(metrics)
    ]


def queue_headlines(metrics: Mapping[str, Any]) -> list[Headline]:
    """Per-queue figures compared between designs (service level, ASA, wait p90)."""
    out = []
    for queue in queue_names(metrics):
        out += [
            Headline(
                f"sla.queues.{queue}.service_level", f"{queue}: service level", "pct", "higher"
            ),
            Headline(f"sla.queues.{queue}.asa_seconds", f"{queue}: ASA", "s", "lower"),
            Headline(f"sla.queues.{queue}.wait_p90_seconds", f"{queue}: wait p90", "s", "lower"),
        ]
    return out


def _comparison_node(
    metrics: Mapping[str, Any], base: str, other: str
) -> tuple[Mapping[str, Any], float]:
    """The stored paired differences of two designs and the sign that makes them
    ``other - base`` (the runner stores ``first - second`` under ``<first>_vs_<second>``)."""
    node = metrics.get("comparisons")
    if isinstance(node, Mapping):
        if isinstance(node.get(f"{base}_vs_{other}"), Mapping):
            return node[f"{base}_vs_{other}"], -1.0
        if isinstance(node.get(f"{other}_vs_{base}"), Mapping):
            return node[f"{other}_vs_{base}"], 1.0
    return {}, 1.0


def _difference(diffs: Mapping[str, Any], sign: float, path: str, a: Figure, b: Figure) -> Figure:
    stored = diffs.get(path)
    if isinstance(stored, Mapping):
        fig = figure(stored, "difference")
        if fig.mean is not None:
            if sign < 0:
                return Figure(-fig.mean, _neg(fig.high), _neg(fig.low))
            return fig
    if a.mean is not None and b.mean is not None:
        return Figure(b.mean - a.mean)
    return Figure(None)


def _neg(value: float | None) -> float | None:
    return None if value is None else -value


def _winner(diff: Figure, h: Headline, base: str, other: str) -> str:
    if not diff.excludes_zero or diff.mean is None:
        return ""
    other_higher = diff.mean > 0
    return other if other_higher == (h.better == "higher") else base
