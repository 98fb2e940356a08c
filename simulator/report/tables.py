"""The report's tables: per queue, per design, by case, truth space, occupancy.

Each function turns part of the metrics dict into rows of formatted cells (value and
95% interval) for the template; missing figures become "n/a".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.report.formatting import figure, fmt, fmt_interval
from simulator.report.view import design_names, dig, queue_names, tier_names

QUEUE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("offered", "Offered", "count"),
    ("answered", "Answered", "count"),
    ("abandoned", "Abandoned", "count"),
    ("service_level", "Service level", "pct"),
    ("asa_seconds", "ASA", "s"),
    ("wait_p50_seconds", "p50", "s"),
    ("wait_p90_seconds", "p90", "s"),
    ("wait_p95_seconds", "p95", "s"),
    ("wait_p99_seconds", "p99", "s"),
    ("mean_queue", "Mean queue", "count"),
    ("max_queue", "Max queue", "count"),
)

IRP_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("calls", "Calls", "count"),
    ("latency_p50_seconds", "p50", "ms"),
    ("latency_p90_seconds", "p90", "ms"),
    ("latency_p95_seconds", "p95", "ms"),
    ("latency_p99_seconds", "p99", "ms"),
    ("timeout_rate", "Timeout rate", "pct"),
    ("error_rate", "Error rate", "pct"),
    ("rate_limited", "Rate-limited", "count"),
    ("bot_filtered", "Bot-filtered", "count"),
    ("bots_passed", "Bots passed", "count"),
    ("humans_blocked", "Humans blocked", "count"),
)

ACCURACY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("precision", "Precision", "pct"),
    ("recall", "Recall", "pct"),
    ("f1", "F1", "pct"),
    ("false_merge_rate", "False-merge rate", "pct"),
    ("review_rate", "Review rate", "pct"),
    ("duplicate_leads", "Duplicate leads", "count"),
)


def figure_row(node: Any, columns: Sequence[tuple[str, str, str]]) -> list[dict[str, str]]:
    """Cells (value, interval) of one table row, in ``columns`` order."""
    cells = []
    for key, _label, unit in columns:
        fig = figure(node, key)
        cells.append({"value": fmt(fig.mean, unit), "interval": fmt_interval(fig, unit)})
    return cells


def queue_table(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per (queue, design) with SLA figures."""
    rows = []
    for queue in queue_names(metrics):
        for design in design_names(metrics):
            node = dig(metrics, f"designs.{design}.sla.queues.{queue}")
            rows.append(
                {"queue": queue, "design": design, "cells": figure_row(node, QUEUE_COLUMNS)}
            )
    return rows


TIER_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("target_seconds", "Target", "s"),
    ("offered", "Offered", "count"),
    ("answered", "Answered", "count"),
    ("service_level", "Service level", "pct"),
    ("asa_seconds", "ASA", "s"),
    ("wait_p90_seconds", "p90", "s"),
    ("day_meets_goal_probability", "P(day meets goal)", "pct"),
)


def tier_table(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per (true tier, design): how each tier's real customers were served."""
    rows = []
    for tier in tier_names(metrics):
        for design in design_names(metrics):
            node = dig(metrics, f"designs.{design}.sla.tiers.{tier}")
            rows.append({"queue": tier, "design": design, "cells": figure_row(node, TIER_COLUMNS)})
    return rows


def design_table(
    metrics: Mapping[str, Any], section: str, columns: Sequence[tuple[str, str, str]]
) -> list[dict[str, Any]]:
    """One row per design with the figures of ``designs.<d>.<section>``."""
    return [
        {"design": d, "cells": figure_row(dig(metrics, f"designs.{d}.{section}"), columns)}
        for d in design_names(metrics)
    ]


def by_case_table(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Accuracy by ground-truth case: one row per (case, design)."""
    rows = []
    designs = design_names(metrics)
    cases: list[str] = []
    for design in designs:
        for case in dig(metrics, f"designs.{design}.accuracy.by_case") or {}:
            if case not in cases:
                cases.append(case)
    for case in cases:
        for design in designs:
            node = dig(metrics, f"designs.{design}.accuracy.by_case.{case}") or {}
            rows.append(
                {
                    "case": case,
                    "design": design,
                    "messages": fmt(figure(node, "evaluated").mean, "count"),
                    "cells": figure_row(node, ACCURACY_COLUMNS),
                }
            )
    return rows


TRUTH_SPACE: tuple[tuple[str, str], ...] = (
    ("evaluated", "Evaluated"),
    ("true_positives", "TP: linked to the right customer"),
    ("false_positives_wrong_customer", "FP: linked to another customer"),
    ("false_positives_stranger", "FP: a stranger linked to a customer"),
    ("false_negatives", "FN: known customer not linked"),
    ("true_negatives", "TN: stranger not linked"),
)


def truth_space(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """Truth-space table (Splink vocabulary): mean count per replication, by design."""
    designs = design_names(metrics)
    rows = []
    for key, label in TRUTH_SPACE:
        cells = []
        for design in designs:
            fig = figure(dig(metrics, f"designs.{design}.accuracy"), key)
            cells.append({"value": fmt(fig.mean, "count"), "interval": fmt_interval(fig, "count")})
        rows.append({"label": label, "cells": cells})
    return {"designs": designs, "rows": rows}


def occupancy_table(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Time-average occupancy per agent group and design."""
    rows = []
    designs = design_names(metrics)
    groups: list[str] = []
    for design in designs:
        for group in dig(metrics, f"designs.{design}.occupancy") or {}:
            if group not in groups and not group.endswith("_ci95"):
                groups.append(group)
    for group in groups:
        cells = []
        for design in designs:
            fig = figure(dig(metrics, f"designs.{design}.occupancy"), group)
            cells.append({"value": fmt(fig.mean, "pct"), "interval": fmt_interval(fig, "pct")})
        rows.append({"group": group, "cells": cells})
    return rows
