"""Means and intervals across replications."""

from __future__ import annotations

import pytest
from scipy import stats

from simulator.metrics import mean_ci, paired_difference, proportion_ci


def test_student_t_interval() -> None:
    estimate = mean_ci([1.0, 2.0, 3.0, 4.0])
    half = stats.t.ppf(0.975, 3) * stats.tstd([1, 2, 3, 4]) / 2
    assert estimate.mean == pytest.approx(2.5)
    assert estimate.low == pytest.approx(2.5 - half)
    assert estimate.high == pytest.approx(2.5 + half)
    assert estimate.n == 4


def test_undefined_values_are_left_out() -> None:
    estimate = mean_ci([None, 2.0, float("nan"), 4.0])
    assert (estimate.mean, estimate.n) == (3.0, 2)


def test_degenerate_samples() -> None:
    assert mean_ci([]).ci95 == [None, None]
    assert mean_ci([5.0]).ci95 == [None, None]
    assert mean_ci([5.0]).mean == 5.0
    assert mean_ci([2.0, 2.0, 2.0]).ci95 == [2.0, 2.0]


def test_paired_difference_uses_the_pairs() -> None:
    first = [10.0, 20.0, 30.0, None]
    second = [9.0, 19.1, 28.9, 1.0]
    diff = paired_difference(first, second)
    assert diff.mean == pytest.approx(1.0)
    assert diff.n == 3
    assert diff.excludes_zero


def test_probability_of_meeting_the_goal_has_a_wilson_interval() -> None:
    estimate = proportion_ci(9, 10)
    assert estimate.mean == pytest.approx(0.9)
    assert estimate.low is not None and estimate.high is not None
    assert 0.5 < estimate.low < 0.9 < estimate.high < 1.0
    assert proportion_ci(0, 0).mean is None
