"""Service level, waits, intervals and step-series figures of one replication."""

from __future__ import annotations

import pytest

from simulator.engine.records import StepSeries
from simulator.metrics import interval_figures, series_max, series_time_average, sla_figures


def test_service_level_counts_late_abandons_and_late_waiters_only(make_record) -> None:
    records = [
        make_record(contact_id=1, arrival_s=0.0, answer_s=10.0),  # within
        make_record(contact_id=2, arrival_s=0.0, answer_s=30.0),  # answered late
        make_record(contact_id=3, arrival_s=0.0, abandoned=True, end_s=5.0),  # short abandon
        make_record(contact_id=4, arrival_s=0.0, abandoned=True, end_s=25.0),  # late abandon
        make_record(contact_id=5, arrival_s=990.0),  # waiting 10 s at the horizon
        make_record(contact_id=6, arrival_s=900.0),  # waiting 100 s at the horizon
        make_record(contact_id=7, queue=None, bot_blocked=True),  # closed bot
    ]
    figures = sla_figures(records, lambda _: 20.0, horizon_s=1000.0)
    assert (figures.offered, figures.answered, figures.abandoned) == (6, 2, 2)
    assert (figures.answered_within, figures.abandoned_after, figures.waiting_after) == (1, 1, 1)
    assert figures.waiting_at_end == 2
    assert figures.service_level == pytest.approx(1 / 4)
    assert figures.abandon_rate == pytest.approx(2 / 6)
    assert figures.asa_seconds == pytest.approx(20.0)
    assert figures.wait_max_seconds == 30.0


def test_wait_percentiles_interpolate_linearly(make_record) -> None:
    records = [make_record(contact_id=i, arrival_s=0.0, answer_s=float(i)) for i in range(1, 101)]
    figures = sla_figures(records, lambda _: 20.0, horizon_s=1000.0)
    assert figures.wait_p50_seconds == pytest.approx(50.5)
    assert figures.wait_p90_seconds == pytest.approx(90.1)
    assert figures.wait_p99_seconds == pytest.approx(99.01)


def test_nothing_offered_leaves_rates_undefined(make_record) -> None:
    figures = sla_figures([make_record(queue=None)], lambda _: 20.0, horizon_s=10.0)
    assert figures.offered == 0
    assert figures.service_level is None
    assert figures.asa_seconds is None
    assert figures.wait_p90_seconds is None


def test_each_contact_is_judged_against_its_own_target(make_record) -> None:
    records = [
        make_record(contact_id=1, queue="Platinum", answer_s=15.0),
        make_record(contact_id=2, queue="General", answer_s=15.0),
    ]
    targets = {"Platinum": 10.0, "General": 20.0}
    figures = sla_figures(records, lambda r: targets[r.queue], horizon_s=100.0)
    assert figures.service_level == pytest.approx(0.5)


def test_intervals_are_clock_aligned_and_by_arrival(make_record) -> None:
    records = [
        make_record(contact_id=1, arrival_s=850.0, answer_s=950.0),  # late, interval 0
        make_record(contact_id=2, arrival_s=901.0, answer_s=905.0),  # interval 1
        make_record(contact_id=3, arrival_s=1900.0, answer_s=1901.0),  # interval 2
    ]
    intervals = interval_figures(
        records, lambda _: 20.0, warmup_s=100.0, horizon_s=2000.0, interval_s=900.0
    )
    assert [i["start_s"] for i in intervals] == [0.0, 900.0, 1800.0]
    assert [i["offered"] for i in intervals] == [1, 1, 1]
    assert [i["service_level"] for i in intervals] == [0.0, 1.0, 1.0]


def test_step_series_time_average_and_max() -> None:
    series = StepSeries("queue:General", times=(0.0, 10.0, 20.0), values=(0.0, 2.0, 4.0))
    assert series_time_average(series, 5.0, 30.0) == pytest.approx(60 / 25)
    assert series_max(series, 12.0, 30.0) == 4.0
    assert series_max(series, 0.0, 5.0) == 0.0
    assert series_max(series, 10.0, 10.0) == 2.0
    assert series_time_average(series, 5.0, 5.0) is None
