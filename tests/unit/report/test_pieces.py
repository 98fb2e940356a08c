"""Charts, number formatting, verdicts and the sweep view, piece by piece."""

from __future__ import annotations

import re
from typing import Any

import pytest

from simulator.report import charts
from simulator.report.chart_data import bucketed
from simulator.report.contacts import _cell
from simulator.report.formatting import Figure, figure, fmt, fmt_diff, fmt_interval
from simulator.report.sweep import sweep_view
from simulator.report.view import comparisons, verdict_status


def test_svg_is_inline_ready_and_ids_do_not_clash() -> None:
    one = charts.step_series({"a": ([0.0, 3600.0], [1.0, 2.0])}, ylabel="n", title="One")
    two = charts.step_series({"a": ([0.0, 3600.0], [1.0, 2.0])}, ylabel="n", title="Two")
    for svg in (one, two):
        assert svg.startswith("<svg")
        assert "://" not in svg and "<metadata" not in svg
        assert 'role="img"' in svg and "<title>" in svg
        for ref in re.findall(r'(?:xlink:href="#|url\(#)([^")]+)', svg):
            assert f'id="{ref}"' in svg
    ids_one = set(re.findall(r'id="([^"]+)"', one))
    ids_two = set(re.findall(r'id="([^"]+)"', two))
    assert not ids_one & ids_two


def test_chart_title_is_escaped() -> None:
    svg = charts.grouped_bars(["p50"], {"<b>": [1.0]}, ylabel="ms", title="<script>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_every_chart_kind_renders() -> None:
    assert charts.interval_service_level(
        {"sync": ([8.0, 8.25], [0.9, None])}, target_level=0.8, title="t"
    ).startswith("<svg")
    assert charts.wait_distribution(
        {"sync": [0.1, 5.0, 50.0], "async": []}, target_seconds=20, title="t"
    ).startswith("<svg")
    assert charts.sweep_curve(
        {"sync": ([1, 2], [0.5, 0.9], [0.4, 0.8], [0.6, 1.0])},
        erlang_c=([1, 2], [0.6, 0.95]),
        target_level=0.8,
        xlabel="agents",
        title="t",
    ).startswith("<svg")
    assert charts.difference_forest([("SL", 0.01, -0.01, 0.03)], xlabel="pp", title="t").startswith(
        "<svg"
    )


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.8123, "pct", "81.2%"),
        (None, "pct", "n/a"),
        (12.34, "s", "12.3 s"),
        (60.0, "s", "60 s"),
        (1234.5, "s", "1,234 s"),
        (0.4021, "ms", "402 ms"),
        (-0.0, "pct", "0.0%"),
        (3.0, "int", "3"),
    ],
)
def test_fmt(value: float | None, unit: str, text: str) -> None:
    assert fmt(value, unit) == text


def test_intervals_are_clipped_to_what_a_figure_can_take() -> None:
    assert fmt_interval(Figure(0.95, 0.9, 1.03), "pct") == "[90.0%, 100.0%]"
    assert fmt_interval(Figure(1.0, -0.5, 2.5), "count") == "[0.0, 2.5]"
    assert fmt_interval(Figure(1.0), "count") == ""


def test_differences_are_signed() -> None:
    assert fmt_diff(0.052, "pct") == "+5.2 pp"
    assert fmt_diff(-1.7, "s") == "−1.7 s"
    assert fmt_diff(-0.00001, "s") == "±0.0 s"
    assert fmt_diff(0.0, "pct") == "±0.0 pp"


def test_figure_reads_both_layouts() -> None:
    assert figure({"x": 1.0, "x_ci95": [0.5, 1.5]}, "x") == Figure(1.0, 0.5, 1.5)
    assert figure({"x": {"mean": 2.0, "ci95": [1, 3]}}, "x") == Figure(2.0, 1.0, 3.0)
    assert figure({"x": True}, "x") == Figure(None)
    assert figure(None, "x") == Figure(None)


@pytest.mark.parametrize(
    ("fig", "status"),
    [
        (Figure(0.9, 0.85, 0.95), "meets"),
        (Figure(0.7, 0.65, 0.75), "misses"),
        (Figure(0.8, 0.75, 0.85), "uncertain"),
        (Figure(0.82), "meets"),
        (Figure(None), "unknown"),
    ],
)
def test_verdict_status(fig: Figure, status: str) -> None:
    assert verdict_status(fig, 0.8) == status


def test_comparison_turns_first_minus_second_into_other_minus_base() -> None:
    metrics: dict[str, Any] = {
        "design_order": ["sync", "async"],
        "designs": {"sync": {"sla": {"asa_seconds": 10.0}}, "async": {"sla": {"asa_seconds": 4.0}}},
        "comparisons": {
            "sync_vs_async": {
                "sla.asa_seconds": {
                    "difference": 6.5,
                    "difference_ci95": [5.5, 7.5],
                    "significant": True,
                }
            }
        },
    }
    (table,) = comparisons(metrics)
    row = next(r for r in table["rows"] if r["label"].startswith("ASA"))
    assert (table["base"], table["other"]) == ("sync", "async")
    assert row["diff"] == "−6.5 s"
    assert row["interval"] == "[−7.5 s, −5.5 s]"
    assert row["winner"] == "async"


def test_sweep_view_from_runner_layout() -> None:
    def point(agents: int, sync: float, erlang: float) -> dict[str, Any]:
        return {
            "values": {"agent_groups.A.agents": agents},
            "designs": {
                "sync": {
                    "service_level": sync,
                    "service_level_ci95": [sync - 0.05, sync],
                    "meets_goal": sync >= 0.8,
                }
            },
            "erlang_c": {"applies": True, "service_level": erlang},
        }

    metrics = {
        "headline_queue": "Q",
        "queues": {"Q": {"goal": 0.8}},
        "sweep": {
            "parameters": [{"path": "agent_groups.A.agents", "values": [8, 9]}],
            "points": [point(8, 0.6, 0.65), point(9, 0.85, 0.9)],
            "smallest_meeting_goal": {
                "sync": [{"path": "agent_groups.A.agents", "fixed": {}, "value": 9}]
            },
            "smallest_meeting_goal_erlang_c": [
                {"path": "agent_groups.A.agents", "fixed": {}, "value": 9}
            ],
        },
    }
    view = sweep_view(metrics, scenario=None)
    assert view is not None
    assert view["has_erlang"]
    assert (
        view["smallest"][0] == "sync: smallest agent_groups.A.agents = 9 meets every queue's goal"
    )
    assert [c["meets"] for r in view["rows"] for c in r["cells"]] == [False, True]
    assert view["chart"].startswith("<svg")
    assert sweep_view({"sweep": None}, scenario=None) is None


def test_bucketing_keeps_peaks_and_means() -> None:
    times, values = [0.0, 10.0, 20.0], [0.0, 5.0, 1.0]
    _, peaks = bucketed(times, values, 100.0, buckets=2)
    assert peaks == [5.0, 1.0]
    _, means = bucketed(times, values, 100.0, how="mean", buckets=2)
    assert means == pytest.approx([(10 * 5 + 30 * 1) / 50, 1.0])


def test_csv_cells_cannot_become_formulas() -> None:
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell(("a", "b")) == "a;b"
    assert _cell(1.23456) == "1.235"
    assert _cell(None) == ""
