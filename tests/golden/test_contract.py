"""metrics.json keeps the keys that DESIGN.md promises to other tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).with_name("small_day.metrics.json")

#: DESIGN.md, "metrics.json holds at least, for each design under designs.<name>"
DESIGN_KEYS = (
    "sla.service_level",
    "sla.service_level_ci95",
    "sla.target_seconds",
    "sla.asa_seconds",
    "sla.wait_p90_seconds",
    "irp.timeout_rate",
    "accuracy.precision",
    "accuracy.recall",
    "accuracy.false_merge_rate",
    "accuracy.duplicate_leads",
    "context_missing_rate",
)


def _dig(node: object, path: str) -> object:
    for key in path.split("."):
        assert isinstance(node, dict) and key in node, f"missing {path!r} (at {key!r})"
        node = node[key]
    return node


@pytest.fixture(scope="module")
def metrics() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_top_level_keys(metrics: dict) -> None:
    assert isinstance(metrics["scenario"], str)
    assert isinstance(metrics["seed"], int)
    assert isinstance(metrics["replications"], int) and metrics["replications"] >= 2


@pytest.mark.parametrize("path", DESIGN_KEYS)
def test_every_design_has_the_contract_keys(metrics: dict, path: str) -> None:
    assert set(metrics["designs"]) == {"sync", "async"}
    for design in metrics["designs"].values():
        value = _dig(design, path)
        if path.endswith("_ci95"):
            low, high = value  # type: ignore[misc]
            assert low <= _dig(design, path.removesuffix("_ci95")) <= high
        else:
            assert isinstance(value, int | float) and not isinstance(value, bool)
