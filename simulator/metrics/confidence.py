"""Statistics across independent replications: means, Student-t and binomial intervals.

A time-varying day is a terminating simulation, so each replication gives one
independent observation of every figure; intervals are taken across those
observations (never across contacts of one replication, which are correlated).
All the statistics come from :mod:`scipy.stats`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["Estimate", "mean_ci", "paired_difference", "percentiles", "proportion_ci"]

CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Estimate:
    """A mean over replications and its 95% interval.

    Attributes:
        mean: the sample mean, or ``None`` when no replication defined the figure.
        low: lower bound of the 95% interval (``None`` with fewer than 2 values).
        high: upper bound of the 95% interval (``None`` with fewer than 2 values).
        n: how many replications defined the figure.
    """

    mean: float | None
    low: float | None
    high: float | None
    n: int

    @property
    def ci95(self) -> list[float | None]:
        """The interval as the JSON pair ``[low, high]``."""
        return [self.low, self.high]

    @property
    def excludes_zero(self) -> bool:
        """True when the whole interval lies on one side of 0 (a significant difference)."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def _defined(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(v)]


def mean_ci(values: Sequence[float | None], *, confidence: float = CONFIDENCE) -> Estimate:
    """Sample mean and Student-t interval of per-replication values.

    ``None`` and non-finite values (a figure a replication could not define, such as
    a service level with nothing offered) are left out and ``n`` says how many remain.

    Args:
        values: one value per replication.
        confidence: the interval's coverage.

    Returns:
        The :class:`Estimate`; bounds equal the mean when every value is the same.
    """
    data = _defined(values)
    n = len(data)
    if n == 0:
        return Estimate(None, None, None, 0)
    mean = math.fsum(data) / n
    if n == 1:
        return Estimate(mean, None, None, 1)
    sem = float(stats.sem(data))
    if sem == 0.0 or not math.isfinite(sem):
        return Estimate(mean, mean, mean, n)
    low, high = stats.t.interval(confidence, n - 1, loc=mean, scale=sem)
    return Estimate(mean, float(low), float(high), n)


def proportion_ci(successes: int, trials: int, *, confidence: float = CONFIDENCE) -> Estimate:
    """A probability estimated from ``successes`` out of ``trials`` with its Wilson interval.

    Used for "the probability that a day meets its target": each replication is one
    day, a Bernoulli trial.
    """
    if trials <= 0:
        return Estimate(None, None, None, 0)
    interval = stats.binomtest(successes, trials).proportion_ci(
        confidence_level=confidence, method="wilson"
    )
    return Estimate(successes / trials, float(interval.low), float(interval.high), trials)


def paired_difference(
    first: Sequence[float | None],
    second: Sequence[float | None],
    *,
    confidence: float = CONFIDENCE,
) -> Estimate:
    """Mean and Student-t interval of ``first[r] - second[r]`` over replications r.

    The two designs share the random numbers of replication r (common random
    numbers), so the paired differences have a much smaller variance than two
    independent means. Replications where either value is undefined are skipped.
    """
    diffs: list[float | None] = []
    for a, b in zip(first, second, strict=True):
        diffs.append(None if a is None or b is None else a - b)
    return mean_ci(diffs, confidence=confidence)


def percentiles(values: Sequence[float], quantiles: Sequence[float]) -> tuple[float | None, ...]:
    """Empirical quantiles (linear interpolation) of one replication's values."""
    if len(values) == 0:
        return tuple(None for _ in quantiles)
    found = np.quantile(np.asarray(values, dtype=float), list(quantiles))
    return tuple(float(q) for q in found)
