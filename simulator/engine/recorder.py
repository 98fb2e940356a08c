"""Time-weighted trackers: piecewise-constant quantities recorded on change."""

from __future__ import annotations

from simulator.engine.records import StepSeries

__all__ = ["Tracker"]


class Tracker:
    """Collects ``(time, value)`` steps per named quantity; one step per change."""

    __slots__ = ("_series",)

    def __init__(self) -> None:
        self._series: dict[str, tuple[list[float], list[float]]] = {}

    def declare(self, name: str, value: float = 0.0) -> None:
        """Start a quantity at time 0 with ``value``."""
        self._series[name] = ([0.0], [float(value)])

    def set(self, name: str, now: float, value: float) -> None:
        """Record that ``name`` is ``value`` from ``now`` on."""
        times, values = self._series[name]
        if times[-1] == now:
            values[-1] = value
            if len(values) > 1 and values[-2] == value:
                times.pop()
                values.pop()
        elif values[-1] != value:
            times.append(now)
            values.append(value)

    def series(self) -> dict[str, StepSeries]:
        """The recorded quantities as frozen :class:`StepSeries`."""
        return {
            name: StepSeries(name, tuple(times), tuple(values))
            for name, (times, values) in sorted(self._series.items())
        }
