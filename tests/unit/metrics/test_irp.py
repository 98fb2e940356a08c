"""IRP outcome counts, bot-guard verdicts and latency percentiles."""

from __future__ import annotations

import pytest

from simulator.metrics import irp_figures


def test_irp_counts_rates_and_latency(make_record) -> None:
    records = [
        make_record(contact_id=1, irp_outcome="ok", irp_start_s=0.0, irp_end_s=0.2),
        make_record(contact_id=2, irp_outcome="ok", irp_start_s=0.0, irp_end_s=0.4),
        make_record(contact_id=3, irp_outcome="timeout", irp_start_s=0.0, irp_end_s=3.0),
        make_record(contact_id=4, irp_outcome="error", irp_start_s=0.0, irp_end_s=0.1),
        make_record(contact_id=5, irp_outcome="rate_limited", irp_start_s=0.0, irp_end_s=0.0),
        make_record(contact_id=6, case="bot", bot_truth=True, bot_blocked=True),
        make_record(contact_id=7, case="bot", bot_truth=True),
        make_record(contact_id=8, bot_blocked=True),
    ]
    figures = irp_figures(records)
    assert figures.messages == 8
    assert figures.calls == 5
    assert (figures.ok, figures.timeouts, figures.errors, figures.rate_limited) == (2, 1, 1, 1)
    assert figures.timeout_rate == pytest.approx(0.2)
    assert figures.error_rate == pytest.approx(0.2)
    assert figures.bot_filtered == 2
    assert figures.bots_passed == 1
    assert figures.humans_blocked == 1
    assert figures.latency_p50_seconds == pytest.approx(0.2)
    assert figures.latency_mean_seconds == pytest.approx(3.7 / 5)


def test_no_calls_no_rates(make_record) -> None:
    figures = irp_figures([make_record()])
    assert figures.calls == 0
    assert figures.timeout_rate is None
    assert figures.latency_p90_seconds is None
