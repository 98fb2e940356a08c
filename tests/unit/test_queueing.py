"""Closed-form queueing models against known values and identities."""

from __future__ import annotations

import math

import pytest

from simulator.errors import InvalidInput
from simulator.queueing import (
    asa,
    erlang_a,
    erlang_b,
    erlang_c,
    min_servers_for_service_level,
    priority_waits,
    service_level,
)


def test_erlang_b_small_systems_by_hand() -> None:
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)
    assert erlang_b(3, 0.0) == 0.0


def test_erlang_c_matches_mm1_and_mm2() -> None:
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)


def test_erlang_c_is_stable_for_thousands_of_servers() -> None:
    value = erlang_c(2000, 1990.0)
    assert 0.0 < value < 1.0
    assert math.isfinite(value)


def test_unstable_queue_is_refused() -> None:
    with pytest.raises(InvalidInput, match="offered_load"):
        erlang_c(4, 4.0)


def test_bad_arguments_name_the_field() -> None:
    with pytest.raises(InvalidInput, match="servers"):
        erlang_b(0, 1.0)
    with pytest.raises(InvalidInput, match="service_rate"):
        asa(2, 1.0, 0.0)


def test_mm1_service_level_and_asa() -> None:
    lam, mu = 0.7, 1.0
    assert service_level(1, lam, mu, 2.0) == pytest.approx(1 - 0.7 * math.exp(-0.3 * 2.0))
    assert asa(1, lam, mu) == pytest.approx(0.7 / 0.3)


def test_textbook_call_centre_example() -> None:
    # 8 Erlangs on 10 agents, 60 s handle time, 20 s target.
    assert erlang_c(10, 8.0) == pytest.approx(0.40918, abs=1e-5)
    assert service_level(10, 8 / 60, 1 / 60, 20.0) == pytest.approx(0.78992, abs=1e-5)
    assert asa(10, 8 / 60, 1 / 60) == pytest.approx(12.2754, abs=1e-4)


def test_min_servers_reaches_the_goal_and_one_less_does_not() -> None:
    lam, mu = 8 / 60, 1 / 60
    c = min_servers_for_service_level(lam, mu, 20.0, 0.8)
    assert c == 11
    assert service_level(c, lam, mu, 20.0) >= 0.8 > service_level(c - 1, lam, mu, 20.0)


def test_priority_waits_obey_the_conservation_law() -> None:
    rates = [1 / 60, 3 / 60, 4 / 60]
    waits = priority_waits(10, rates, 1 / 60)
    fcfs = asa(10, sum(rates), 1 / 60)
    assert waits[0] < waits[1] < waits[2]
    assert sum(r * w for r, w in zip(rates, waits, strict=True)) / sum(rates) == pytest.approx(fcfs)


def test_single_class_priority_is_erlang_c() -> None:
    assert priority_waits(3, [2.0], 1.0)[0] == pytest.approx(asa(3, 2.0, 1.0))


def test_erlang_a_without_patience_loss_is_erlang_c() -> None:
    result = erlang_a(10, 8 / 60, 1 / 60, 1e-9, 20.0)
    assert result.wait_probability == pytest.approx(erlang_c(10, 8.0), rel=1e-6)
    assert result.service_level == pytest.approx(service_level(10, 8 / 60, 1 / 60, 20.0), rel=1e-6)
    assert result.asa_served_s == pytest.approx(asa(10, 8 / 60, 1 / 60), rel=1e-5)
    assert result.abandon_probability < 1e-6


def test_erlang_a_with_patience_equal_to_handle_time_is_poisson() -> None:
    # c = 1 and theta = mu: the number in system is Poisson(a) (an M/M/inf chain).
    a = 1.5
    result = erlang_a(1, a, 1.0, 1.0, 0.5)
    assert result.wait_probability == pytest.approx(1 - math.exp(-a))
    assert result.abandon_probability == pytest.approx((a - (1 - math.exp(-a))) / a)


def test_erlang_a_fates_add_up() -> None:
    result = erlang_a(5, 6 / 60, 1 / 60, 1 / 90, 15.0)
    assert 0 < result.abandon_probability < result.wait_probability < 1
    assert 0 < result.service_level < 1
    # answered within + abandoned after <= 1, and overload is allowed with patience
    assert result.answered_within_target + result.abandoned_after_target <= 1.0
    overloaded = erlang_a(5, 10 / 60, 1 / 60, 1 / 90, 15.0)
    assert overloaded.abandon_probability > result.abandon_probability


def test_erlang_a_everyone_is_answered_or_abandons() -> None:
    result = erlang_a(20, 25 / 60, 1 / 60, 1 / 200, 1e6)
    assert result.answered_within_target + result.abandon_probability == pytest.approx(1.0)
    assert result.abandoned_after_target == pytest.approx(0.0, abs=1e-9)
