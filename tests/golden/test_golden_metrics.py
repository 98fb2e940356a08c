"""Golden ``metrics.json``: a small seeded scenario gives the same bytes, whatever the
number of worker processes, and the same bytes as the file kept in git.

After an intended change to the engine, the metrics or the population, regenerate::

    HANDLESIM_UPDATE_GOLDEN=1 .venv/bin/pytest -q tests/golden

then read the diff of ``small_day.metrics.json`` before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from simulator.runner import RunResult, run_scenario, stable_json
from simulator.scenario import load_scenario

HERE = Path(__file__).resolve().parent
SCENARIO = HERE / "small_day.yaml"
GOLDEN = HERE / "small_day.metrics.json"
UPDATE = os.environ.get("HANDLESIM_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def serial() -> RunResult:
    return run_scenario(load_scenario(SCENARIO), workers=1)


@pytest.fixture(scope="module")
def serial_bytes(serial: RunResult) -> str:
    return stable_json(serial.metrics)


def test_same_bytes_for_one_and_two_workers(serial_bytes: str) -> None:
    parallel = stable_json(run_scenario(load_scenario(SCENARIO), workers=2).metrics)
    assert parallel == serial_bytes


def test_metrics_json_matches_the_golden_file(serial_bytes: str) -> None:
    if UPDATE:
        GOLDEN.write_text(serial_bytes, encoding="utf-8")
    assert GOLDEN.is_file(), "no golden file: run with HANDLESIM_UPDATE_GOLDEN=1 once"
    expected = GOLDEN.read_text(encoding="utf-8")
    if serial_bytes != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                serial_bytes.splitlines(keepends=True),
                "golden",
                "now",
                n=1,
            )
        )
        pytest.fail("metrics.json changed (HANDLESIM_UPDATE_GOLDEN=1 to accept):\n" + diff[:4000])


def test_written_file_is_the_same_bytes(
    serial: RunResult, serial_bytes: str, tmp_path: Path
) -> None:
    path = serial.write_metrics_json(tmp_path / "metrics.json")
    assert path.read_bytes() == serial_bytes.encode("utf-8")
