"""Charts for the HTML report, rendered by matplotlib to inline SVG strings.

Every function takes plain numbers (no records, no metrics dict) and returns one
``<svg>`` element as text, ready to be placed in the page as it is: no XML prolog, no
DOCTYPE, no metadata, no namespace URLs, ids prefixed so that several charts can live in
one document. Text stays text (``svg.fonttype = none``) so the charts are small,
searchable and print sharply. The palette is Okabe-Ito, safe for colour-blind readers;
line styles differ too, so the charts also read in grey.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, cast

import matplotlib
from matplotlib.figure import Figure

#: Okabe-Ito colours, in the order designs and series are given.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
)
LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":")
TARGET_COLOUR = "#444444"

_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "handlesim",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
}
_ids = itertools.count(1)

_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_XMLNS = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_SIZE = re.compile(r'<svg([^>]*?)\swidth="[^"]*"\s+height="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r"(xlink:href=\"#|url\(#)([^\")]+)")


def _style() -> AbstractContextManager[None]:
    """Our rc settings, for the duration of one chart (the global rcParams stay as they are)."""
    return matplotlib.rc_context(cast(Any, _RC))


def style(index: int) -> dict[str, Any]:
    """Colour and line style for the ``index``-th design or series."""
    return {
        "color": PALETTE[index % len(PALETTE)],
        "linestyle": LINESTYLES[index % len(LINESTYLES)],
    }


def _figure(width_in: float = 7.0, height_in: float = 2.8) -> Figure:
    return Figure(figsize=(width_in, height_in), layout="constrained")


def to_svg(fig: Figure, *, title: str) -> str:
    """Render ``fig`` to one self-contained inline ``<svg>`` element.

    Args:
        fig: the figure; it is not reused afterwards.
        title: an accessible name for the chart (screen readers, tooltips).

    Returns:
        The ``<svg>`` text with ids prefixed, sized to the width of its container.
    """
    buffer = io.StringIO()
    with _style():
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = _PROLOG.sub("", buffer.getvalue(), count=1)
    text = _METADATA.sub("", text)
    text = _XMLNS.sub("", text)
    text = _SIZE.sub(r'<svg\1 width="100%" preserveAspectRatio="xMidYMid meet"', text, count=1)
    prefix = f"c{next(_ids)}"
    text = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace(
        ">", f' role="img" aria-label="{_attr(title)}"><title>{safe_title}</title>', 1
    )


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _target_line(ax: Any, level: float | None, label: str) -> None:
    if level is not None:
        ax.axhline(level, color=TARGET_COLOUR, linestyle=(0, (4, 2)), linewidth=1.2, label=label)


def _clock_axis(ax: Any) -> None:
    """Label an axis of clock hours as ``HH:MM``."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    def label(hour: float, _pos: int) -> str:
        minutes = round((hour % 24) * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 3, 6, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(label))


def _finish(ax: Any, *, xlabel: str, ylabel: str, legend: bool = True) -> None:
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles = ax.get_legend_handles_labels()[0]
    if legend and handles:
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=min(len(handles), 4),
            fontsize=8,
            borderaxespad=0.2,
        )


def interval_service_level(
    lines: Mapping[str, tuple[Sequence[float], Sequence[float | None]]],
    *,
    target_level: float | None,
    title: str,
) -> str:
    """Service level per 15-minute interval, one line per design, with the target line.

    Args:
        lines: label -> (interval start in hours, service level 0..1 or ``None`` when the
            interval had no offered contact).
        target_level: the queue's target service level (0..1), drawn dashed.
        title: accessible chart title.
    """
    with _style():
        fig = _figure()
        ax = fig.add_subplot()
        for i, (label, (hours, levels)) in enumerate(lines.items()):
            ys = [float("nan") if v is None else 100.0 * v for v in levels]
            ax.plot(list(hours), ys, drawstyle="steps-post", label=label, linewidth=1.4, **style(i))
        _target_line(ax, None if target_level is None else 100.0 * target_level, "goal")
        seen = [100.0 * v for _, levels in lines.values() for v in levels if v is not None]
        floor = min([*seen, 100.0 * (target_level or 0.0)], default=0.0)
        ax.set_ylim(max(0.0, floor - 10.0) - 1, 101)
        _clock_axis(ax)
        _finish(ax, xlabel="time of day (interval start)", ylabel="service level (%)")
    return to_svg(fig, title=title)


def wait_distribution(
    waits: Mapping[str, Sequence[float]], *, target_seconds: float | None, title: str
) -> str:
    """Empirical CDF of answered contacts' waits, one line per design.

    The share of contacts answered within the target is where a line crosses the
    vertical target line.
    """
    with _style():
        fig = _figure()
        ax = fig.add_subplot()
        for i, (label, values) in enumerate(waits.items()):
            xs = sorted(values)
            if not xs:
                continue
            ys = [100.0 * (k + 1) / len(xs) for k in range(len(xs))]
            ax.plot(xs, ys, drawstyle="steps-post", label=label, linewidth=1.4, **style(i))
        if target_seconds is not None:
            ax.axvline(
                target_seconds, color=TARGET_COLOUR, linestyle=(0, (4, 2)), label="SLA target"
            )
        ax.set_xscale("symlog", linthresh=10.0)
        ax.set_xlim(left=0)
        ax.set_ylim(0, 101)
        _finish(
            ax,
            xlabel="wait from arrival to answer (s, log scale above 10 s)",
            ylabel="contacts answered (%)",
        )
    return to_svg(fig, title=title)


def step_series(
    series: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    *,
    ylabel: str,
    title: str,
) -> str:
    """Piecewise-constant quantities over the day (queue length, occupancy, in flight).

    Args:
        series: label -> (times in seconds, values).
        ylabel: y-axis label with its unit.
        title: accessible chart title.
    """
    with _style():
        fig = _figure()
        ax = fig.add_subplot()
        for i, (label, (times, values)) in enumerate(series.items()):
            hours = [t / 3600.0 for t in times]
            ax.plot(
                hours, list(values), drawstyle="steps-post", label=label, linewidth=1.1, **style(i)
            )
        _clock_axis(ax)
        _finish(ax, xlabel="time of day", ylabel=ylabel)
    return to_svg(fig, title=title)


def grouped_bars(
    groups: Sequence[str],
    bars: Mapping[str, Sequence[float | None]],
    *,
    ylabel: str,
    title: str,
) -> str:
    """Grouped bar chart: one group per label in ``groups``, one bar per series.

    Used for IRP latency percentiles (groups p50..p99, one bar per design).
    """
    with _style():
        fig = _figure(height_in=2.5)
        ax = fig.add_subplot()
        n = max(len(bars), 1)
        width = 0.8 / n
        hatches = ("", "//", "..", "xx", "\\\\")
        for i, (label, values) in enumerate(bars.items()):
            xs = [g + (i - (n - 1) / 2) * width for g in range(len(groups))]
            ys = [0.0 if v is None else v for v in values]
            ax.bar(
                xs,
                ys,
                width=width,
                label=label,
                color=PALETTE[i % len(PALETTE)],
                hatch=hatches[i % len(hatches)],
                edgecolor="white",
            )
        ax.set_xticks(range(len(groups)), list(groups))
        ax.grid(axis="x", visible=False)
        _finish(ax, xlabel="", ylabel=ylabel)
    return to_svg(fig, title=title)


def sweep_curve(
    curves: Mapping[str, tuple[Sequence[float], Sequence[float], Sequence[float], Sequence[float]]],
    *,
    erlang_c: tuple[Sequence[float], Sequence[float]] | None,
    target_level: float | None,
    xlabel: str,
    title: str,
) -> str:
    """Service level against a swept parameter, with 95% bands, target and Erlang C.

    Args:
        curves: label -> (parameter values, service level, CI low, CI high), levels 0..1.
        erlang_c: (parameter values, predicted service level) or ``None`` where the model
            does not allow the formula.
        target_level: target service level (0..1).
        xlabel: name and unit of the swept parameter.
        title: accessible chart title.
    """
    with _style():
        fig = _figure(height_in=3.0)
        ax = fig.add_subplot()
        for i, (label, (xs, ys, lo, hi)) in enumerate(curves.items()):
            st = style(i)
            ax.fill_between(
                list(xs),
                [100 * v for v in lo],
                [100 * v for v in hi],
                color=st["color"],
                alpha=0.15,
                linewidth=0,
            )
            ax.plot(
                list(xs),
                [100 * v for v in ys],
                marker="o",
                markersize=3.5,
                label=label,
                linewidth=1.4,
                **st,
            )
        if erlang_c is not None and len(erlang_c[0]) > 0:
            ax.plot(
                list(erlang_c[0]),
                [100 * v for v in erlang_c[1]],
                color="#000000",
                linestyle=":",
                marker="x",
                markersize=4,
                linewidth=1.2,
                label="Erlang C prediction",
            )
        _target_line(ax, None if target_level is None else 100.0 * target_level, "goal")
        ax.set_ylim(-2, 102)
        xs_all = [x for xs, *_ in curves.values() for x in xs]
        if xs_all and all(float(x).is_integer() for x in xs_all):
            from matplotlib.ticker import MaxNLocator

            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _finish(ax, xlabel=xlabel, ylabel="service level (%)")
    return to_svg(fig, title=title)


def difference_forest(
    rows: Sequence[tuple[str, float, float, float]], *, xlabel: str, title: str
) -> str:
    """Paired differences with their 95% intervals, one row per figure, zero line drawn.

    Args:
        rows: (label, difference, CI low, CI high).
        xlabel: what the difference is (``async - sync``) and its unit.
        title: accessible chart title.
    """
    with _style():
        fig = _figure(height_in=0.45 + 0.28 * max(len(rows), 1))
        ax = fig.add_subplot()
        for k, (_label, diff, lo, hi) in enumerate(rows):
            y = len(rows) - 1 - k
            ax.plot([lo, hi], [y, y], color=PALETTE[0], linewidth=2)
            ax.plot([diff], [y], marker="o", color=PALETTE[1], markersize=4)
        ax.axvline(0.0, color=TARGET_COLOUR, linewidth=1)
        ax.set_yticks(range(len(rows)), [r[0] for r in reversed(rows)])
        ax.grid(axis="y", visible=False)
        _finish(ax, xlabel=xlabel, ylabel="", legend=False)
    return to_svg(fig, title=title)
