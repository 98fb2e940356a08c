"""Service-level figures of one replication: per queue, per interval and for the day.

A contact is *offered* when the flow transferred it to a queue (``record.queue`` is
set; closed bots are not offered). Its wait runs from arrival, so in the ``sync``
design the time spent resolving counts. See :data:`simulator.metrics.FORMULAS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass

from simulator.engine.records import ContactRecord, StepSeries
from simulator.metrics.confidence import percentiles

__all__ = [
    "QueueTarget",
    "SlaFigures",
    "interval_figures",
    "interval_starts",
    "series_max",
    "series_time_average",
    "sla_figures",
]

WAIT_QUANTILES: tuple[float, ...] = (0.5, 0.9, 0.95, 0.99)

#: The figures kept per 15-minute interval (counts for pooled ratios, then rates).
INTERVAL_KEYS: tuple[str, ...] = (
    "offered",
    "answered",
    "abandoned",
    "answered_within",
    "abandoned_after",
    "waiting_after",
    "service_level",
    "asa_seconds",
    "wait_p90_seconds",
)


@dataclass(frozen=True, slots=True)
class QueueTarget:
    """A queue's service-level objective: ``goal`` of contacts answered within ``target_s``."""

    target_s: float
    goal: float = 0.8


@dataclass(frozen=True, slots=True)
class SlaFigures:
    """Counts and waits of the contacts offered to one queue (or all) in one replication.

    Attributes:
        offered: contacts transferred to the queue.
        answered: contacts an agent answered.
        abandoned: contacts that left before an answer.
        waiting_at_end: offered contacts neither answered nor abandoned at the horizon.
        answered_within: answered with a wait <= the target.
        abandoned_after: abandoned after waiting longer than the target.
        waiting_after: still waiting at the horizon, already past the target.
        service_level: answered_within / (answered + abandoned_after + waiting_after).
        abandon_rate: abandoned / offered.
        asa_seconds: mean wait of the answered contacts.
        wait_p50_seconds .. wait_p99_seconds: quantiles of the answered contacts' waits.
        wait_max_seconds: the longest wait that was answered.
    """

    offered: int
    answered: int
    abandoned: int
    waiting_at_end: int
    answered_within: int
    abandoned_after: int
    waiting_after: int
    service_level: float | None
    abandon_rate: float | None
    asa_seconds: float | None
    wait_p50_seconds: float | None
    wait_p90_seconds: float | None
    wait_p95_seconds: float | None
    wait_p99_seconds: float | None
    wait_max_seconds: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        """The figures as a JSON-able mapping."""
        return asdict(self)


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def sla_figures(
    records: Iterable[ContactRecord],
    target_of: Callable[[ContactRecord], float],
    *,
    horizon_s: float,
) -> SlaFigures:
    """Service-level figures of the offered contacts among ``records``.

    Args:
        records: contacts of one replication (warm-up already removed).
        target_of: the answer-time target that applies to a contact (its queue's).
        horizon_s: end of the replication, to age contacts still waiting.

    Returns:
        The :class:`SlaFigures`.
    """
    offered = answered = abandoned = waiting = 0
    within = abandoned_after = waiting_after = 0
    waits: list[float] = []
    for record in records:
        if record.queue is None:
            continue
        offered += 1
        target = target_of(record)
        if record.answer_s is not None:
            answered += 1
            wait = record.answer_s - record.arrival_s
            waits.append(wait)
            within += wait <= target
        elif record.abandoned:
            abandoned += 1
            left = record.end_s if record.end_s is not None else horizon_s
            abandoned_after += left - record.arrival_s > target
        else:
            waiting += 1
            waiting_after += horizon_s - record.arrival_s > target
    p50, p90, p95, p99 = percentiles(waits, WAIT_QUANTILES)
    return SlaFigures(
        offered=offered,
        answered=answered,
        abandoned=abandoned,
        waiting_at_end=waiting,
        answered_within=within,
        abandoned_after=abandoned_after,
        waiting_after=waiting_after,
        service_level=_ratio(within, answered + abandoned_after + waiting_after),
        abandon_rate=_ratio(abandoned, offered),
        asa_seconds=_ratio(math.fsum(waits), answered),
        wait_p50_seconds=p50,
        wait_p90_seconds=p90,
        wait_p95_seconds=p95,
        wait_p99_seconds=p99,
        wait_max_seconds=max(waits) if waits else None,
    )


def interval_starts(warmup_s: float, horizon_s: float, interval_s: float) -> list[float]:
    """Starts of the clock-aligned intervals ``[k i, (k+1) i)`` that overlap the window."""
    first = math.floor(warmup_s / interval_s)
    last = math.ceil(horizon_s / interval_s)
    return [k * interval_s for k in range(first, last)]


def interval_figures(
    records: Sequence[ContactRecord],
    target_of: Callable[[ContactRecord], float],
    *,
    warmup_s: float,
    horizon_s: float,
    interval_s: float,
) -> list[dict[str, float | int | None]]:
    """Service-level figures per interval of arrival (15 minutes by default).

    A contact counts in the interval in which it arrived, whenever it was answered.
    Each entry holds ``start_s`` and the :data:`INTERVAL_KEYS` of :class:`SlaFigures`.
    """
    starts = interval_starts(warmup_s, horizon_s, interval_s)
    buckets: list[list[ContactRecord]] = [[] for _ in starts]
    first = math.floor(warmup_s / interval_s)
    for record in records:
        index = math.floor(record.arrival_s / interval_s) - first
        if 0 <= index < len(buckets):
            buckets[index].append(record)
    out: list[dict[str, float | int | None]] = []
    for start, bucket in zip(starts, buckets, strict=True):
        figures = sla_figures(bucket, target_of, horizon_s=horizon_s).as_dict()
        out.append({"start_s": start, **{key: figures[key] for key in INTERVAL_KEYS}})
    return out


def _clip(series: StepSeries, start: float, end: float) -> list[tuple[float, float, float]]:
    """Pieces ``(from, to, value)`` of a step series inside ``[start, end]``."""
    pieces: list[tuple[float, float, float]] = []
    times, values = series.times, series.values
    for i, (t0, value) in enumerate(zip(times, values, strict=True)):
        t1 = times[i + 1] if i + 1 < len(times) else end
        lo, hi = max(t0, start), min(t1, end)
        if hi > lo or (hi == lo and t0 <= start < t1):
            pieces.append((lo, hi, value))
    return pieces


def series_time_average(series: StepSeries, start: float, end: float) -> float | None:
    """Time-weighted mean of a step series over ``[start, end]``."""
    pieces = _clip(series, start, end)
    span = math.fsum(hi - lo for lo, hi, _ in pieces)
    if span <= 0:
        return None
    return math.fsum((hi - lo) * value for lo, hi, value in pieces) / span


def series_max(series: StepSeries, start: float, end: float) -> float | None:
    """Largest value a step series takes within ``[start, end]``."""
    pieces = _clip(series, start, end)
    return max((value for _, _, value in pieces), default=None)
