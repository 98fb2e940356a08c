"""Number formatting for the report: one place decides units, digits and "n/a".

Every function accepts ``None`` (a figure no replication could define) and returns
plain text; the template escapes it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

NA = "n/a"


@dataclass(frozen=True, slots=True)
class Figure:
    """A mean over replications and its 95% interval, in the metric's own unit."""

    mean: float | None
    low: float | None = None
    high: float | None = None

    @property
    def has_interval(self) -> bool:
        """Whether both bounds are known."""
        return self.low is not None and self.high is not None

    @property
    def excludes_zero(self) -> bool:
        """True when the interval lies wholly on one side of zero."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def as_float(value: Any) -> float | None:
    """``value`` as a finite float, or ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def figure(node: Any, key: str) -> Figure:
    """Read figure ``key`` of a metrics mapping, with its interval where one is stored.

    Accepts both layouts used in ``metrics.json``: a number with a sibling
    ``<key>_ci95`` pair, or a mapping ``{"mean": ..., "ci95": [lo, hi]}``.
    """
    if not isinstance(node, dict):
        return Figure(None)
    value = node.get(key)
    if isinstance(value, dict):
        interval = value.get("ci95") or [value.get("low"), value.get("high")]
        return Figure(as_float(value.get("mean")), *_pair(interval))
    return Figure(as_float(value), *_pair(node.get(f"{key}_ci95")))


def _pair(interval: Any) -> tuple[float | None, float | None]:
    if isinstance(interval, Sequence) and not isinstance(interval, str) and len(interval) == 2:
        return as_float(interval[0]), as_float(interval[1])
    return None, None


def fmt(value: float | None, unit: str) -> str:
    """Format one number in its unit.

    Units: ``pct`` (a 0..1 share shown in %), ``pp`` (a difference of shares in
    percentage points), ``s`` (seconds), ``ms`` (seconds shown in milliseconds),
    ``count`` (a mean count), ``int``, ``ratio`` (0..1 shown with 3 decimals).
    """
    if value is None:
        return NA
    if value == 0:
        value = 0.0  # no "-0.0"
    if unit == "pct":
        return f"{100 * value:.1f}%"
    if unit == "pp":
        return f"{100 * value:+.1f} pp"
    if unit == "s":
        if float(value).is_integer() or abs(value) >= 100:
            return f"{value:,.0f} s"
        return f"{value:.1f} s"
    if unit == "ms":
        return f"{1000 * value:,.0f} ms"
    if unit == "int":
        return f"{value:,.0f}"
    if unit == "ratio":
        return f"{value:.3f}"
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def fmt_interval(fig: Figure, unit: str) -> str:
    """``[low, high]`` in the figure's unit, or an empty string without an interval.

    A Student-t interval can reach past what the figure can take; shown bounds are
    clipped to 0 (every figure here is non-negative) and shares to 100%.
    """
    if fig.low is None or fig.high is None:
        return ""
    low, high = max(fig.low, 0.0), fig.high
    if unit == "pct":
        high = min(high, 1.0)
    return f"[{fmt(low, unit)}, {fmt(high, unit)}]"


def fmt_diff(value: float | None, unit: str) -> str:
    """A signed difference: percentage points for shares, signed numbers otherwise."""
    if value is None:
        return NA
    if unit == "pct":
        return fmt(value, "pp") if round(100 * value, 1) != 0 else "±0.0 pp"
    text = fmt(abs(value), unit)
    if text.strip("0.,% smp") == "":
        return "±" + text
    return ("+" if value >= 0 else "−") + text


def fmt_diff_interval(fig: Figure, unit: str) -> str:
    """The interval of a difference, signed, in the figure's unit."""
    if not fig.has_interval:
        return ""
    return f"[{fmt_diff(fig.low, unit)}, {fmt_diff(fig.high, unit)}]"


def hours_label(hour: float) -> str:
    """Clock time ``HH:MM`` of a clock hour (wraps past midnight)."""
    minutes = round((hour % 24) * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
