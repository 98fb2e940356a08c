"""Render a run into one self-contained ``report.html`` and write the run's outputs.

The page is a Jinja2 template (package data under ``templates/``) with its CSS inlined
and charts embedded as SVG: no script, no font, no image, no link leaves the file, so
it opens offline and prints. Autoescaping is on: text that came from data (a handle
such as ``<script>``) is shown, never interpreted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from simulator import __version__
from simulator.report import tables, view, why
from simulator.report.chart_data import section_charts
from simulator.report.contacts import write_contacts_csv
from simulator.report.formatting import fmt, hours_label
from simulator.report.sweep import sweep_view

__all__ = ["render_report", "write_outputs"]

_env: Environment | None = None


def _environment() -> Environment:
    global _env
    if _env is None:
        _env = Environment(
            loader=PackageLoader("simulator.report", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _env.filters["fmt"] = fmt
        _env.filters["clock"] = hours_label
    return _env


def render_report(run_result: Any, scenario: Any) -> str:
    """The HTML report of a run.

    Args:
        run_result: what :func:`simulator.runner.run_scenario` returned (``.metrics``
            and ``.first_replication`` are read).
        scenario: the validated :class:`~simulator.scenario.Scenario` that was run.

    Returns:
        One HTML document as text.
    """
    metrics: Mapping[str, Any] = run_result.metrics
    first: Mapping[str, Any] = getattr(run_result, "first_replication", {}) or {}
    goals = {q.name: (q.sla_target_s, q.sla_goal) for q in getattr(scenario, "queues", ())}
    env = _environment()
    css = env.loader.get_source(env, "report.css")[0] if env.loader else ""
    charts = {
        k: (Markup(v) if isinstance(v, str) else [{**c, "svg": Markup(c["svg"])} for c in v])
        for k, v in section_charts(metrics, first, scenario).items()
    }
    context = {
        "css": Markup(css),
        "title": f"Handlesim report: {metrics.get('scenario', getattr(scenario, 'name', ''))}",
        "scenario": scenario,
        "metrics": metrics,
        "designs": view.design_names(metrics),
        "verdict": view.verdict(metrics, goals),
        "why": why.explanations(metrics),
        "comparisons": view.comparisons(metrics),
        "queue_columns": tables.QUEUE_COLUMNS,
        "queue_rows": tables.queue_table(metrics),
        "tier_columns": tables.TIER_COLUMNS,
        "tier_rows": tables.tier_table(metrics),
        "occupancy_rows": tables.occupancy_table(metrics),
        "irp_columns": tables.IRP_COLUMNS,
        "irp_rows": tables.design_table(metrics, "irp", tables.IRP_COLUMNS),
        "accuracy_columns": tables.ACCURACY_COLUMNS,
        "accuracy_rows": tables.design_table(metrics, "accuracy", tables.ACCURACY_COLUMNS),
        "truth_space": tables.truth_space(metrics),
        "by_case": tables.by_case_table(metrics),
        "examples": examples(metrics, first),
        "sweep": _sweep(metrics, scenario),
        "parameters": _halves(parameters(scenario)),
        "formulas": formulas(metrics),
        "charts": charts,
        "headline_queue": metrics.get("headline_queue") or "the first queue",
        "version": __version__,
    }
    return env.get_template("report.html.j2").render(context)


def _sweep(metrics: Mapping[str, Any], scenario: Any) -> dict[str, Any] | None:
    found = sweep_view(metrics, scenario)
    if found is not None:
        found["chart"] = Markup(found["chart"])  # our own SVG, built from numbers
    return found


def examples(metrics: Mapping[str, Any], first: Mapping[str, Any]) -> dict[str, Any]:
    """False merges, misses and duplicate leads of the first replication, per design."""
    from simulator.metrics import after_warmup, duplicate_lead_contacts, error_examples

    out: dict[str, Any] = {}
    for design, result in first.items():
        stored = view.dig(metrics, f"designs.{design}.accuracy.examples")
        if isinstance(stored, Mapping):
            out[design] = stored
            continue
        duplicates = duplicate_lead_contacts(result.records)
        out[design] = error_examples(after_warmup(result), duplicates, limit=8)
    return out


def _halves(rows: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    middle = (len(rows) + 1) // 2
    return [rows[:middle], rows[middle:]]


def formulas(metrics: Mapping[str, Any]) -> dict[str, str]:
    """How each figure is computed: from the metrics, else from the metrics package."""
    stored = metrics.get("formulas")
    if isinstance(stored, Mapping) and stored:
        return {str(k): str(v) for k, v in stored.items()}
    from simulator.metrics import FORMULAS

    return dict(FORMULAS)


def parameters(scenario: Any) -> list[tuple[str, str]]:
    """The scenario as (dotted key, value) rows; lists of numbers on one line."""
    dump = getattr(scenario, "model_dump", None)
    data = dump(mode="json") if callable(dump) else {}
    rows: list[tuple[str, str]] = []
    _flatten("", data, rows)
    return rows


def _flatten(prefix: str, node: Any, rows: list[tuple[str, str]]) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "name" and prefix.rsplit(".", 1)[-1] == str(value):
                continue  # already in the dotted key
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, rows)
    elif isinstance(node, list) and node and all(_is_record(v) for v in node):
        rows.append((prefix, "; ".join(_record_text(item) for item in node)))
    elif isinstance(node, list) and any(isinstance(v, Mapping | list) for v in node):
        for i, value in enumerate(node):
            label = value.get("name", i) if isinstance(value, Mapping) else i
            _flatten(f"{prefix}.{label}", value, rows)
    elif isinstance(node, list):
        rows.append((prefix, ", ".join(_scalar(v) for v in node) or "(none)"))
    elif node is not None:  # an unset optional key says nothing
        rows.append((prefix, _scalar(node)))


def _record_text(item: Mapping[str, Any]) -> str:
    """``08:00 90/h`` for a period of a profile or a shift, ``key value, ...`` otherwise."""
    if "from_hour" in item and len(item) == 2:
        (key, value), *_ = [(k, v) for k, v in item.items() if k != "from_hour"]
        unit = "/h" if key == "rate_per_hour" else f" {key}"
        return f"{hours_label(float(item['from_hour']))} {_scalar(value)}{unit}"
    return ", ".join(f"{k} {_scalar(v)}" for k, v in item.items())


def _is_record(value: Any) -> bool:
    """A small mapping of scalars without a name (an intraday period, a shift, a storm)."""
    return (
        isinstance(value, Mapping)
        and "name" not in value
        and len(value) <= 4
        and not any(isinstance(v, Mapping | list) for v in value.values())
    )


def _scalar(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_outputs(run_result: Any, scenario: Any, out_dir: str | Path) -> dict[str, Path]:
    """Write ``report.html``, ``metrics.json`` and ``contacts.csv`` into ``out_dir``.

    Returns:
        The written paths keyed ``report``, ``metrics``, ``contacts``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "report": out / "report.html",
        "metrics": out / "metrics.json",
        "contacts": out / "contacts.csv",
    }
    writer = getattr(run_result, "write_metrics_json", None)
    if callable(writer):
        writer(paths["metrics"])
    else:
        text = json.dumps(run_result.metrics, indent=2, sort_keys=True, allow_nan=False)
        paths["metrics"].write_text(text + "\n", encoding="utf-8")
    write_contacts_csv(getattr(run_result, "first_replication", {}) or {}, paths["contacts"])
    paths["report"].write_text(render_report(run_result, scenario), encoding="utf-8")
    return paths
