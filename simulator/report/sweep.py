"""The sweep section: service level against the swept parameter(s).

Reads ``metrics["sweep"]``: ``parameters`` (dotted paths) and ``points``, each with its
``values`` (path -> value), per-design figures under ``designs`` (the same tree as a
design's top-level figures, or a reduced one) and, where the model allows it, an Erlang
C prediction under ``erlang_c``. The curve is drawn against the first parameter, one
line per design and value of the second parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.report import charts
from simulator.report.formatting import Figure, as_float, figure, fmt, fmt_interval
from simulator.report.view import dig


def _points(sweep: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    points = sweep.get("points")
    return [p for p in points if isinstance(p, Mapping)] if isinstance(points, list) else []


def _parameters(sweep: Mapping[str, Any]) -> list[str]:
    params = sweep.get("parameters") or []
    return [p if isinstance(p, str) else str(p.get("path", p)) for p in params]


def _level(point: Mapping[str, Any], design: str) -> Figure:
    node = dig(point, f"designs.{design}")
    for path in ("sla", ""):
        found = dig(node, path) if path else node
        fig = figure(found, "service_level")
        if fig.mean is not None:
            return fig
    return Figure(None)


def _erlang(point: Mapping[str, Any]) -> float | None:
    node = point.get("erlang_c")
    if isinstance(node, Mapping):
        return as_float(node.get("service_level"))
    return as_float(node)


def sweep_view(metrics: Mapping[str, Any], scenario: Any) -> dict[str, Any] | None:
    """Table rows, chart and smallest meeting value of a sweep, or ``None`` without one."""
    sweep = metrics.get("sweep")
    if not isinstance(sweep, Mapping):
        return None
    params = _parameters(sweep)
    points = _points(sweep)
    if not params or not points:
        return None
    designs = list(dig(points[0], "designs") or {})
    goal = as_float(dig(metrics, f"queues.{metrics.get('headline_queue')}.goal"))
    if goal is None:
        queues = getattr(scenario, "queues", ()) or ()
        goal = queues[0].sla_goal if queues else None
    rows = [_row(point, params, designs, goal) for point in points]
    return {
        "parameters": params,
        "designs": designs,
        "goal": fmt(goal, "pct"),
        "rows": rows,
        "smallest": _smallest(sweep, points, params, designs),
        "chart": _chart(points, params, designs, goal),
        "has_erlang": any(_erlang(p) is not None for p in points),
    }


def _row(
    point: Mapping[str, Any], params: Sequence[str], designs: Sequence[str], goal: float | None
) -> dict[str, Any]:
    values = point.get("values") or {}
    cells = []
    for design in designs:
        fig = _level(point, design)
        stored = dig(point, f"designs.{design}.meets_goal")
        meets = (
            bool(stored)
            if isinstance(stored, bool)
            else (fig.mean is not None and goal is not None and fig.mean >= goal)
        )
        cells.append(
            {"value": fmt(fig.mean, "pct"), "interval": fmt_interval(fig, "pct"), "meets": meets}
        )
    return {
        "values": [_plain(values.get(p)) for p in params],
        "cells": cells,
        "erlang": fmt(_erlang(point), "pct"),
    }


def _plain(value: Any) -> str:
    number = as_float(value)
    if number is None:
        return "" if value is None else str(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _smallest(
    sweep: Mapping[str, Any],
    points: Sequence[Mapping[str, Any]],
    params: Sequence[str],
    designs: Sequence[str],
) -> list[str]:
    """Sentences: the smallest value of the first parameter that meets every queue's goal."""
    stored = sweep.get("smallest_meeting_goal")
    sources: list[tuple[str, Any]] = []
    if isinstance(stored, Mapping):
        sources = [(d, stored.get(d)) for d in designs]
    erlang = sweep.get("smallest_meeting_goal_erlang_c")
    if any(_erlang(p) is not None for p in points) and isinstance(erlang, list):
        sources.append(("Erlang C", erlang))
    out: list[str] = []
    for who, entries in sources:
        mine = [
            e
            for e in (entries if isinstance(entries, list) else [])
            if isinstance(e, Mapping) and e.get("path") == params[0]
        ]  # the answer planners want: the smallest value of the first parameter
        if len({_plain(e.get("value")) for e in mine}) == 1 and len(mine) > 1:
            mine = [{**mine[0], "fixed": {}}]  # the same whatever the other parameters
        out.extend(_smallest_sentence(who, entry) for entry in mine)
    return out


def _smallest_sentence(who: str, entry: Mapping[str, Any]) -> str:
    fixed = entry.get("fixed") or {}
    where = " with " + ", ".join(f"{k} = {_plain(v)}" for k, v in fixed.items()) if fixed else ""
    value = entry.get("value")
    path = entry.get("path")
    if value is None:
        return f"{who}{where}: no swept value of {path} meets every queue's goal"
    return f"{who}{where}: smallest {path} = {_plain(value)} meets every queue's goal"


def _groups(
    points: Sequence[Mapping[str, Any]], params: Sequence[str]
) -> dict[str, list[Mapping[str, Any]]]:
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for point in points:
        values = point.get("values") or {}
        key = _plain(values.get(params[1])) if len(params) > 1 else ""
        groups.setdefault(key, []).append(point)
    return groups


def _chart(
    points: Sequence[Mapping[str, Any]],
    params: Sequence[str],
    designs: Sequence[str],
    goal: float | None,
) -> str:
    curves: dict[str, tuple[list[float], list[float], list[float], list[float]]] = {}
    erlang_x: list[float] = []
    erlang_y: list[float] = []
    for other, group in _groups(points, params).items():
        for design in designs:
            xs, ys, lo, hi = [], [], [], []
            for point in group:
                x = as_float((point.get("values") or {}).get(params[0]))
                fig = _level(point, design)
                if x is None or fig.mean is None:
                    continue
                xs.append(x)
                ys.append(fig.mean)
                lo.append(fig.low if fig.low is not None else fig.mean)
                hi.append(fig.high if fig.high is not None else fig.mean)
                predicted = _erlang(point)
                if predicted is not None and x not in erlang_x:
                    erlang_x.append(x)
                    erlang_y.append(predicted)
            label = f"{design}, {params[1].rsplit('.', 1)[-1]} = {other}" if other else design
            if xs:
                curves[label] = (xs, ys, lo, hi)
    if not curves:
        return ""
    erlang = (erlang_x, erlang_y) if erlang_x else None
    return charts.sweep_curve(
        curves,
        erlang_c=erlang,
        target_level=goal,
        xlabel=params[0],
        title=f"Service level against {params[0]}",
    )
