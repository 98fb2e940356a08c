"""The report's charts: pick the data out of the metrics and the first replication.

The metrics give the figures averaged over replications (service level per interval);
the first replication's records and step series give what only a single day can show
(wait distribution, queue length, occupancy and IRP in flight over time).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.report import charts
from simulator.report.formatting import as_float, figure
from simulator.report.view import design_names, dig, queue_names

OCCUPANCY_PREFIX = "occupancy:"


def _clock_hour(start_s: float, start_hour: float) -> float:
    return start_hour + start_s / 3600.0


def interval_charts(
    metrics: Mapping[str, Any], *, start_hour: float, goals: Mapping[str, float]
) -> list[dict[str, str]]:
    """One chart per queue: service level per 15-minute interval, one line per design."""
    out = []
    for queue in queue_names(metrics):
        lines: dict[str, tuple[list[float], list[float | None]]] = {}
        for design in design_names(metrics):
            intervals = dig(metrics, f"designs.{design}.sla.queues.{queue}.intervals")
            if not isinstance(intervals, list) or not intervals:
                continue
            hours = [_clock_hour(as_float(i.get("start_s")) or 0.0, start_hour) for i in intervals]
            levels = [figure(i, "service_level").mean for i in intervals]
            lines[design] = (hours, levels)
        if lines:
            title = f"{queue}: service level per 15-minute interval"
            svg = charts.interval_service_level(lines, target_level=goals.get(queue), title=title)
            out.append({"title": title, "svg": svg})
    return out


def wait_chart(first: Mapping[str, Any], *, warmup_s: float, target_s: float | None) -> str:
    """Empirical CDF of waits of answered contacts in the first replication."""
    waits = {
        design: [
            r.wait_s for r in result.records if r.wait_s is not None and r.arrival_s >= warmup_s
        ]
        for design, result in first.items()
    }
    if not any(waits.values()):
        return ""
    return charts.wait_distribution(
        waits, target_seconds=target_s, title="Wait distribution (first replication)"
    )


_QUEUE_NAME = re.compile(r"^queue[.:](?P<name>.+?)(?:\.waiting)?$")
_BUSY_NAME = re.compile(r"^agents\.(?P<name>.+)\.busy$")
_IRP_NAME = re.compile(r"^irp[.:_]in[._]flight$|^irp_in_flight$")
MAX_POINTS = 720
OCCUPANCY_POINTS = 96


def bucketed(
    times: Sequence[float],
    values: Sequence[float],
    horizon_s: float,
    how: str = "max",
    buckets: int = MAX_POINTS,
) -> tuple[list[float], list[float]]:
    """Reduce a step series to at most ``buckets`` buckets (max or time average).

    A day of queue changes is tens of thousands of steps; drawing each would make the
    page heavy without showing more. ``max`` keeps peaks visible.
    """
    if not times:
        return [], []
    width = max(horizon_s / buckets, 1.0)
    starts = [i * width for i in range(math.ceil(horizon_s / width))]
    out: list[float] = []
    k = 0
    current = 0.0
    for start in starts:
        end = start + width
        while k < len(times) and times[k] <= start:
            current = values[k]
            k += 1
        pieces = [(start, current)]
        j = k
        while j < len(times) and times[j] < end:
            pieces.append((times[j], values[j]))
            j += 1
        if how == "max":
            out.append(max(v for _, v in pieces))
        else:
            edges = [t for t, _ in pieces[1:]] + [end]
            out.append(sum((e - t) * v for (t, v), e in zip(pieces, edges, strict=True)) / width)
    return starts, out


def _merge_ratio(busy: Any, staffed: Any, concurrency: int) -> tuple[list[float], list[float]]:
    """Occupancy = busy slots / (agents on shift x concurrency), as one step series."""
    events = sorted(
        [(t, 0, v) for t, v in zip(busy.times, busy.values, strict=True)]
        + [(t, 1, v) for t, v in zip(staffed.times, staffed.values, strict=True)]
    )
    b = s = 0.0
    times: list[float] = []
    values: list[float] = []
    for t, kind, v in events:
        if kind == 0:
            b = v
        else:
            s = v
        ratio = b / (s * concurrency) if s > 0 else 0.0
        if times and times[-1] == t:
            values[-1] = ratio
        else:
            times.append(t)
            values.append(ratio)
    return times, values


def queue_length_charts(first: Mapping[str, Any], *, start_hour: float) -> list[dict[str, str]]:
    """One chart per design: contacts waiting in each queue over the day (bucket maxima)."""
    out = []
    for design, result in first.items():
        lines = {}
        for name, series in sorted(result.series.items()):
            match = _QUEUE_NAME.match(name)
            if match:
                xs, ys = bucketed(series.times, series.values, result.horizon_s)
                lines[match["name"]] = ([start_hour * 3600 + x for x in xs], ys)
        if lines:
            title = f"{design}: contacts waiting per queue (first replication)"
            svg = charts.step_series(lines, ylabel="contacts waiting", title=title)
            out.append({"title": title, "svg": svg})
    return out


def occupancy_charts(
    first: Mapping[str, Any], *, start_hour: float, concurrency: Mapping[str, int]
) -> list[dict[str, str]]:
    """One chart per design: each agent group's busy share of its capacity (time average)."""
    out = []
    for design, result in first.items():
        lines = {}
        for name, series in sorted(result.series.items()):
            match = _BUSY_NAME.match(name)
            staffed = result.series.get(f"agents.{match['name']}.staffed") if match else None
            if match and staffed is not None:
                times, ratio = _merge_ratio(series, staffed, concurrency.get(match["name"], 1))
            elif name.startswith(OCCUPANCY_PREFIX):
                times, ratio = list(series.times), list(series.values)
            else:
                continue
            xs, ys = bucketed(times, ratio, result.horizon_s, how="mean", buckets=OCCUPANCY_POINTS)
            label = match["name"] if match else name.removeprefix(OCCUPANCY_PREFIX)
            lines[label] = ([start_hour * 3600 + x for x in xs], [100 * y for y in ys])
        if lines:
            title = f"{design}: agent occupancy (first replication)"
            svg = charts.step_series(
                lines, ylabel="occupancy (% of agents x concurrency)", title=title
            )
            out.append({"title": title, "svg": svg})
    return out


def irp_in_flight_chart(first: Mapping[str, Any], *, start_hour: float) -> str:
    """IRP requests in flight over the day, one line per design (bucket maxima)."""
    lines = {}
    for design, result in first.items():
        for name, series in sorted(result.series.items()):
            if _IRP_NAME.match(name):
                xs, ys = bucketed(series.times, series.values, result.horizon_s)
                lines[design] = ([start_hour * 3600 + x for x in xs], ys)
    if not lines:
        return ""
    return charts.step_series(
        lines, ylabel="IRP requests in flight", title="IRP requests in flight (first replication)"
    )


def irp_latency_chart(metrics: Mapping[str, Any]) -> str:
    """IRP latency percentiles (ms), one bar per design."""
    keys = (
        "latency_p50_seconds",
        "latency_p90_seconds",
        "latency_p95_seconds",
        "latency_p99_seconds",
    )
    bars: dict[str, list[float | None]] = {}
    for design in design_names(metrics):
        node = dig(metrics, f"designs.{design}.irp")
        values = [figure(node, k).mean for k in keys]
        if any(v is not None for v in values):
            bars[design] = [None if v is None else 1000.0 * v for v in values]
    if not bars:
        return ""
    return charts.grouped_bars(
        ["p50", "p90", "p95", "p99"],
        bars,
        ylabel="IRP latency (ms)",
        title="IRP latency percentiles",
    )


def section_charts(
    metrics: Mapping[str, Any], first: Mapping[str, Any], scenario: Any
) -> dict[str, Any]:
    """Every chart of the report, keyed by where the template places it."""
    start_hour = float(getattr(scenario, "start_hour", 0.0) or 0.0)
    warmup_s = float(getattr(scenario, "warmup_s", 0.0) or 0.0)
    queues = getattr(scenario, "queues", ()) or ()
    goals = {q.name: q.sla_goal for q in queues}
    headline = metrics.get("headline_queue")
    targets = {q.name: q.sla_target_s for q in queues}
    headline_target = (
        targets.get(headline)
        if headline in targets
        else (queues[0].sla_target_s if queues else None)
    )
    concurrency = {g.name: g.concurrency for g in getattr(scenario, "agent_groups", ())}
    return {
        "intervals": interval_charts(metrics, start_hour=start_hour, goals=goals),
        "waits": wait_chart(first, warmup_s=warmup_s, target_s=headline_target),
        "queue_length": queue_length_charts(first, start_hour=start_hour),
        "occupancy": occupancy_charts(first, start_hour=start_hour, concurrency=concurrency),
        "irp_latency": irp_latency_chart(metrics),
        "irp_in_flight": irp_in_flight_chart(first, start_hour=start_hour),
    }
