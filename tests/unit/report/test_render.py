"""The HTML report: well-formed, self-contained, in the agreed order, data escaped."""

from __future__ import annotations

import copy
import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from simulator.report import render_report, write_outputs
from simulator.report.contacts import COLUMNS
from simulator.scenario import Scenario

SECTIONS = ("verdict", "comparison", "sla", "irp", "accuracy", "sweep", "parameters")
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}
FORBIDDEN_TAGS = {
    "script",
    "link",
    "iframe",
    "img",
    "object",
    "embed",
    "frame",
    "audio",
    "video",
    "source",
    "base",
    "image",
}


class Collector(HTMLParser):
    """Collects tags, attributes and nesting errors of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.ids: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name == "id":
                self.ids.append(value or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name == "id":
                self.ids.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def html(run: Any, scenario: Scenario) -> str:
    return render_report(run, scenario)


@pytest.fixture(scope="module")
def parsed(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


def test_report_is_well_formed(parsed: Collector) -> None:
    assert parsed.errors == []
    assert parsed.stack == []
    assert parsed.tags[0] == "html"
    assert len(parsed.ids) == len(set(parsed.ids)), "ids must be unique in the page"


def test_sections_in_order(html: str, parsed: Collector) -> None:
    positions = [html.index(f'<section id="{name}"') for name in SECTIONS]
    assert positions == sorted(positions)
    for name in SECTIONS:
        assert f'href="#{name}"' in html


def test_no_external_reference_in_any_attribute(html: str, parsed: Collector) -> None:
    assert not FORBIDDEN_TAGS & set(parsed.tags)
    for tag, name, value in parsed.attrs:
        where = f"<{tag} {name}={value[:60]!r}>"
        if name in {"src", "href", "xlink:href", "action", "poster", "data", "srcset"}:
            assert value.startswith("#"), where
        assert "://" not in value and not value.strip().startswith("//"), where
        assert not name.startswith("on"), where
        assert "url(" not in value or "url(#" in value, where
    assert "@import" not in html
    assert not re.search(r"url\((?!#)", html), "CSS or SVG must not load anything"


def test_data_is_escaped(run: Any, scenario: Scenario, evil: str, remake: Any) -> None:
    EVIL = evil
    evil = copy.deepcopy(run.metrics)
    example = {
        "contact_id": 1,
        "case": EVIL,
        "channel": "twitter",
        "true_customer_id": EVIL,
        "resolved_customer_id": None,
        "confidence": 0.5,
        "method": "handle",
        "irp_outcome": "ok",
        "reasons": [EVIL],
        "lead_action": None,
        "duplicate_lead": None,
    }
    evil["designs"]["sync"]["accuracy"]["examples"] = {"false_merges": [example]}
    evil["designs"]["sync"]["accuracy"]["by_case"][EVIL] = {"evaluated": 1}
    html = render_report(remake(evil, run.first_replication), scenario)
    collector = Collector()
    collector.feed(html)
    assert "script" not in collector.tags
    assert EVIL not in html
    assert "&lt;script&gt;" in html
    assert "<b>not bold</b>" not in html  # the scenario description came from a file
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html


def test_verdict_names_every_queue_and_design(parsed: Collector, scenario: Scenario) -> None:
    text = " ".join(parsed.text)
    verdict = text[text.index("Verdict") : text.index("Sync vs async, side by side")]
    for queue in scenario.queues:
        assert f"{queue.name} (goal" in verdict
    assert "sync" in verdict and "async" in verdict


def test_comparison_has_every_headline_figure(parsed: Collector) -> None:
    text = " ".join(parsed.text)
    for label in (
        "Service level",
        "ASA",
        "Wait p90",
        "IRP timeout rate",
        "Precision",
        "Recall",
        "False-merge rate",
        "Duplicate leads",
        "Context missing",
        "Re-routes",
        "95% CI of the difference",
    ):
        assert label in text


def test_charts_are_inline_svg(html: str, parsed: Collector) -> None:
    assert parsed.tags.count("svg") >= 5
    assert "&lt;svg" not in html
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html


def test_without_sweep_the_section_says_so(parsed: Collector) -> None:
    assert "This scenario has no sweep" in " ".join(parsed.text)


def test_single_design_report(run: Any, scenario: Scenario, remake: Any) -> None:
    only = copy.deepcopy(run.metrics)
    del only["designs"]["async"]
    only["comparisons"] = {}
    html = render_report(remake(only, {"sync": run.first_replication["sync"]}), scenario)
    assert "there is nothing to compare" in html


def test_write_outputs(run: Any, scenario: Scenario, tmp_path: Path) -> None:
    paths = write_outputs(run, scenario, tmp_path / "out")
    assert sorted(p.name for p in paths.values()) == ["contacts.csv", "metrics.json", "report.html"]
    rows = list(csv.reader(io.StringIO(paths["contacts"].read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == COLUMNS
    expected = sum(len(r.records) for r in run.first_replication.values())
    assert len(rows) == 1 + expected
    assert paths["metrics"].read_text(encoding="utf-8").startswith("{")


def test_sweep_section_draws_the_curve(run: Any, scenario: Scenario, remake: Any) -> None:
    def point(agents: int, level: float) -> dict[str, Any]:
        return {
            "values": {"agent_groups.General_Agents.agents": agents},
            "designs": {
                d: {
                    "service_level": level,
                    "service_level_ci95": [level - 0.05, level],
                    "meets_goal": level >= 0.8,
                }
                for d in ("sync", "async")
            },
            "erlang_c": {"applies": True, "service_level": level + 0.02},
        }

    swept = copy.deepcopy(run.metrics)
    swept["sweep"] = {
        "parameters": [{"path": "agent_groups.General_Agents.agents", "values": [2, 3, 4]}],
        "points": [point(2, 0.5), point(3, 0.78), point(4, 0.93)],
        "smallest_meeting_goal": {
            d: [{"path": "agent_groups.General_Agents.agents", "fixed": {}, "value": 4}]
            for d in ("sync", "async")
        },
    }
    html = render_report(remake(swept, run.first_replication), scenario)
    section = html[html.index('<section id="sweep"') : html.index('<section id="parameters"')]
    assert "<svg" in section and "&lt;svg" not in section
    assert "Erlang C" in section
    assert "smallest agent_groups.General_Agents.agents = 4" in section
