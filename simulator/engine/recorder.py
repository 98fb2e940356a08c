"""Time-weighted trackers: piecewise-constant quantities recorded on change."""

from __future__ import annotations

from simulator.engine.records import StepSeries

__all__ = ["Steps", "Tracker"]


class Steps:
    """The ``(time, value)`` steps of one quantity, one step per change."""

    __slots__ = ("times", "values")

    def __init__(self, value: float) -> None:
        self.times = [0.0]
        self.values = [float(value)]

    def set(self, now: float, value: float) -> None:
        """Record that the quantity is ``value`` from ``now`` on."""
        times, values = self.times, self.values
        if times[-1] == now:
            values[-1] = value
            if len(values) > 1 and values[-2] == value:
                times.pop()
                values.pop()
        elif values[-1] != value:
            times.append(now)
            values.append(value)


class Tracker:
    """Collects the steps of named quantities.

    Hot paths keep the :class:`Steps` that :meth:`declare` returns and record through
    it, rather than looking the name up on every change.
    """

    __slots__ = ("_series",)

    def __init__(self) -> None:
        self._series: dict[str, Steps] = {}

    def declare(self, name: str, value: float = 0.0) -> Steps:
        """Start a quantity at time 0 with ``value``; returns its steps to record into."""
        steps = self._series[name] = Steps(value)
        return steps

    def set(self, name: str, now: float, value: float) -> None:
        """Record that ``name`` is ``value`` from ``now`` on."""
        self._series[name].set(now, value)

    def series(self) -> dict[str, StepSeries]:
        """The recorded quantities as frozen :class:`StepSeries`."""
        return {
            name: StepSeries(name, tuple(s.times), tuple(s.values))
            for name, s in sorted(self._series.items())
        }
