"""IRP station and bot-guard figures of one replication."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from simulator.engine.records import ContactRecord
from simulator.metrics.confidence import percentiles

__all__ = ["IrpFigures", "irp_figures"]

LATENCY_QUANTILES: tuple[float, ...] = (0.5, 0.9, 0.95, 0.99)


@dataclass(frozen=True, slots=True)
class IrpFigures:
    """What the IRP did for the contacts of one replication.

    Attributes:
        messages: contacts that arrived (after warm-up), bots included.
        bot_filtered: contacts the bot guard closed before the IRP.
        bots_passed: real bots the guard let through.
        humans_blocked: real people the guard closed (false positives of the guard).
        calls: contacts for which the flow called the IRP (outcome other than ``skipped``).
        ok, timeouts, errors, rate_limited: calls by outcome.
        timeout_rate, error_rate, rate_limited_rate: those counts over ``calls``.
        latency_*_seconds: ``irp_end_s - irp_start_s`` (queueing for an IRP slot included)
            over the calls with a recorded end.
    """

    messages: int
    bot_filtered: int
    bots_passed: int
    humans_blocked: int
    calls: int
    ok: int
    timeouts: int
    errors: int
    rate_limited: int
    timeout_rate: float | None
    error_rate: float | None
    rate_limited_rate: float | None
    latency_mean_seconds: float | None
    latency_p50_seconds: float | None
    latency_p90_seconds: float | None
    latency_p95_seconds: float | None
    latency_p99_seconds: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        """The figures as a JSON-able mapping."""
        return asdict(self)


def _rate(count: int, total: int) -> float | None:
    return count / total if total > 0 else None


def irp_figures(records: Iterable[ContactRecord]) -> IrpFigures:
    """Count IRP calls by outcome, bot-guard verdicts and IRP latencies."""
    counts = {"ok": 0, "timeout": 0, "error": 0, "rate_limited": 0}
    messages = filtered = bots_passed = humans_blocked = calls = 0
    latencies: list[float] = []
    for record in records:
        messages += 1
        filtered += record.bot_blocked
        bots_passed += record.bot_truth and not record.bot_blocked
        humans_blocked += record.bot_blocked and not record.bot_truth
        if record.irp_outcome == "skipped":
            continue
        calls += 1
        if record.irp_outcome in counts:
            counts[record.irp_outcome] += 1
        if record.irp_start_s is not None and record.irp_end_s is not None:
            latencies.append(record.irp_end_s - record.irp_start_s)
    p50, p90, p95, p99 = percentiles(latencies, LATENCY_QUANTILES)
    return IrpFigures(
        messages=messages,
        bot_filtered=filtered,
        bots_passed=bots_passed,
        humans_blocked=humans_blocked,
        calls=calls,
        ok=counts["ok"],
        timeouts=counts["timeout"],
        errors=counts["error"],
        rate_limited=counts["rate_limited"],
        timeout_rate=_rate(counts["timeout"], calls),
        error_rate=_rate(counts["error"], calls),
        rate_limited_rate=_rate(counts["rate_limited"], calls),
        latency_mean_seconds=math.fsum(latencies) / len(latencies) if latencies else None,
        latency_p50_seconds=p50,
        latency_p90_seconds=p90,
        latency_p95_seconds=p95,
        latency_p99_seconds=p99,
    )
