"""All the figures of one replication, as one JSON-able tree of numbers.

:func:`replication_metrics` is the single entry point the runner calls per
(design, replication). Its tree has the same shape for every replication of a
scenario, so :mod:`simulator.metrics.summary` can average it leaf by leaf.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.records import ContactRecord, ReplicationResult
from simulator.metrics.accuracy import accuracy_by_case, accuracy_figures, duplicate_lead_contacts
from simulator.metrics.irp import irp_figures
from simulator.metrics.sla import (
    QueueTarget,
    interval_figures,
    interval_starts,
    series_max,
    series_time_average,
    sla_figures,
)

__all__ = ["MetricsConfig", "after_warmup", "replication_metrics"]

Tree = dict[str, Any]


@dataclass(frozen=True, slots=True)
class MetricsConfig:
    """What the metrics need to know beyond the records.

    Attributes:
        targets: each queue's objective, by queue name, in display order.
        headline_queue: the queue whose target is reported as the design's
            ``sla.target_seconds`` (the headline service level still judges every
            contact against its own queue's target).
        concurrency: messaging slots per agent, by agent group (for occupancy).
        interval_s: length of the reporting intervals (15 minutes).
        queue_series: name pattern of the step series of a queue's waiting contacts.
        busy_series: name pattern of the step series of a group's busy slots.
        staffed_series: name pattern of the step series of a group's agents on shift.
        default_target: the objective of a queue missing from ``targets``.
        tier_targets: by customer tier, the objective of the queue that tier is routed
            to; judges each tier's real customers wherever they were routed (a Platinum
            customer whose resolution timed out waits in General as a guest).
    """

    targets: Mapping[str, QueueTarget]
    headline_queue: str
    concurrency: Mapping[str, int] = field(default_factory=dict)
    interval_s: float = 900.0
    queue_series: str = "queue.{}.waiting"
    busy_series: str = "agents.{}.busy"
    staffed_series: str = "agents.{}.staffed"
    default_target: QueueTarget = field(default=QueueTarget(20.0, 0.8))
    tier_targets: Mapping[str, QueueTarget] = field(default_factory=dict)

    def target(self, queue: str | None) -> QueueTarget:
        """The objective of ``queue`` (the default one for a queue not configured)."""
        if queue is None:
            return self.default_target
        return self.targets.get(queue, self.default_target)


def after_warmup(result: ReplicationResult) -> list[ContactRecord]:
    """The records that count: contacts arriving at or after the warm-up."""
    return [r for r in result.records if r.arrival_s >= result.warmup_s]


def _meets(service_level: float | None, goal: float) -> int | None:
    return None if service_level is None else int(service_level >= goal)


def _sla_tree(
    records: Sequence[ContactRecord], result: ReplicationResult, config: MetricsConfig
) -> Tree:
    def target_of(record: ContactRecord) -> float:
        return config.target(record.queue).target_s

    headline = config.target(config.headline_queue)
    tree: Tree = sla_figures(records, target_of, horizon_s=result.horizon_s).as_dict()
    tree["target_seconds"] = headline.target_s
    tree["goal"] = headline.goal
    tree["intervals"] = interval_figures(
        records,
        target_of,
        warmup_s=result.warmup_s,
        horizon_s=result.horizon_s,
        interval_s=config.interval_s,
    )
    queues: Tree = {}
    verdicts: list[int] = []
    for name, target in config.targets.items():
        queues[name] = _queue_tree(name, target, records, result, config)
        if queues[name]["day_meets_goal"] is not None:
            verdicts.append(queues[name]["day_meets_goal"])
    tree["queues"] = queues
    tree["day_meets_goal"] = int(all(verdicts)) if verdicts else None
    tree["tiers"] = {
        tier: _tier_tree(tier, target, records, result)
        for tier, target in config.tier_targets.items()
    }
    return tree


def _target_tree(
    records: Sequence[ContactRecord], target: QueueTarget, result: ReplicationResult
) -> Tree:
    """SLA figures of ``records``, every one judged against ``target``."""
    tree: Tree = sla_figures(
        records, lambda _: target.target_s, horizon_s=result.horizon_s
    ).as_dict()
    tree["target_seconds"] = target.target_s
    tree["goal"] = target.goal
    tree["day_meets_goal"] = _meets(tree["service_level"], target.goal)
    return tree


def _tier_tree(
    tier: str, target: QueueTarget, records: Sequence[ContactRecord], result: ReplicationResult
) -> Tree:
    """Service to one tier's real customers, judged against that tier's queue target."""
    return _target_tree([r for r in records if r.true_tier == tier], target, result)


def _queue_tree(
    name: str,
    target: QueueTarget,
    records: Sequence[ContactRecord],
    result: ReplicationResult,
    config: MetricsConfig,
) -> Tree:
    mine = [r for r in records if r.queue == name]
    tree = _target_tree(mine, target, result)
    series = result.series.get(config.queue_series.format(name))
    tree["max_queue"] = None
    tree["mean_queue"] = None
    if series is not None:
        tree["max_queue"] = series_max(series, result.warmup_s, result.horizon_s)
        tree["mean_queue"] = series_time_average(series, result.warmup_s, result.horizon_s)
    intervals = interval_figures(
        mine,
        lambda _: target.target_s,
        warmup_s=result.warmup_s,
        horizon_s=result.horizon_s,
        interval_s=config.interval_s,
    )
    for entry, window in zip(intervals, _windows(result, config), strict=True):
        entry["max_queue"] = None if series is None else series_max(series, *window)
    tree["intervals"] = intervals
    return tree


def _windows(result: ReplicationResult, config: MetricsConfig) -> list[tuple[float, float]]:
    """Each reporting interval, clipped to the measured window [warm-up, horizon]."""
    starts = interval_starts(result.warmup_s, result.horizon_s, config.interval_s)
    return [
        (max(start, result.warmup_s), min(start + config.interval_s, result.horizon_s))
        for start in starts
    ]


def _group_occupancy(
    result: ReplicationResult, config: MetricsConfig, group: str, start: float, end: float
) -> float | None:
    """Busy slots / (agents on shift x concurrency), time-weighted over [start, end]."""
    busy = result.series.get(config.busy_series.format(group))
    staffed = result.series.get(config.staffed_series.format(group))
    if busy is None or staffed is None:
        return None
    mean_busy = series_time_average(busy, start, end)
    mean_staffed = series_time_average(staffed, start, end)
    if mean_busy is None or not mean_staffed:
        return None
    return mean_busy / (mean_staffed * config.concurrency[group])


def _occupancy(result: ReplicationResult, config: MetricsConfig) -> tuple[Tree, Tree]:
    """Occupancy per agent group over the day, and per reporting interval."""
    day: Tree = {}
    by_interval: Tree = {}
    windows = _windows(result, config)
    for group in config.concurrency:
        day[group] = _group_occupancy(result, config, group, result.warmup_s, result.horizon_s)
        by_interval[group] = [
            {"start_s": start, "occupancy": _group_occupancy(result, config, group, lo, hi)}
            for (lo, hi), start in zip(
                windows,
                interval_starts(result.warmup_s, result.horizon_s, config.interval_s),
                strict=True,
            )
        ]
    return day, by_interval


def replication_metrics(result: ReplicationResult, config: MetricsConfig) -> Tree:
    """Every figure of one design's replication (warm-up removed).

    Args:
        result: what the engine recorded.
        config: queue objectives and series naming.

    Returns:
        A tree of numbers (``None`` where undefined) with the keys ``messages``,
        ``sla`` (headline, ``intervals``, ``queues``), ``occupancy``,
        ``occupancy_intervals``, ``irp``,
        ``accuracy`` (with ``by_case``), ``context_missing``,
        ``context_missing_rate``, ``reroutes``, ``rerouted_rate``.
    """
    records = after_warmup(result)
    duplicates = duplicate_lead_contacts(result.records)
    accuracy: Tree = accuracy_figures(records, duplicates).as_dict()
    accuracy["by_case"] = accuracy_by_case(records, duplicates)
    answered = [r for r in records if r.answer_s is not None]
    offered = [r for r in records if r.queue is not None]
    missing = sum(r.context_missing for r in answered)
    occupancy, occupancy_intervals = _occupancy(result, config)
    return {
        "messages": len(records),
        "sla": _sla_tree(records, result, config),
        "occupancy": occupancy,
        "occupancy_intervals": occupancy_intervals,
        "irp": irp_figures(records).as_dict(),
        "accuracy": accuracy,
        "context_missing": missing,
        "context_missing_rate": missing / len(answered) if answered else None,
        "reroutes": sum(r.reroutes for r in records),
        "rerouted_rate": (sum(r.reroutes > 0 for r in offered) / len(offered) if offered else None),
    }
