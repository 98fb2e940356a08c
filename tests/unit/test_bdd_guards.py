"""Guards around the Gherkin suite itself.

* an undefined step must fail the run (pytest-bdd must not report it as passed);
* every tag used in ``features/`` is a registered marker, so ``--strict-markers`` and
  ``pytest -m <tag>`` work;
* every feature file is bound by a step module, so no feature silently never runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"
STEPS = ROOT / "tests" / "bdd"
_TAG = re.compile(r"(?<!\S)@([A-Za-z_][\w-]*)")


def _pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_an_undefined_step_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nbdd_features_base_dir = .\n")
    (tmp_path / "tiny.feature").write_text(
        "Feature: Tiny\n"
        "  Scenario: One step is defined, one is not\n"
        "    Given a defined step\n"
        "    Then a step that nobody wrote\n"
    )
    (tmp_path / "test_tiny.py").write_text(
        "from pytest_bdd import given, scenarios\n"
        "scenarios('tiny.feature')\n"
        "@given('a defined step')\n"
        "def _():\n"
        "    pass\n"
    )
    run = _pytest("-q", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "StepDefinitionNotFoundError" in run.stdout, run.stdout
    assert "1 failed" in run.stdout, run.stdout


def _feature_tags() -> set[str]:
    tags: set[str] = set()
    for feature in FEATURES.glob("*.feature"):
        for line in feature.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("@"):
                tags.update(_TAG.findall(line))
    return tags


def test_every_feature_tag_is_a_registered_marker() -> None:
    run = _pytest("--markers", cwd=ROOT)
    registered = set(re.findall(r"^@pytest\.mark\.(\w+)", run.stdout, flags=re.MULTILINE))
    assert _feature_tags(), "no tags found in features/"
    assert _feature_tags() <= registered, _feature_tags() - registered


def test_selecting_by_tag_works_under_strict_markers() -> None:
    run = _pytest("--collect-only", "-q", "-m", "homoglyph", "tests/bdd", cwd=ROOT)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "test_homoglyphs.py" in run.stdout, run.stdout[-2000:]
    assert "test_handle_changes.py" not in run.stdout, run.stdout[-2000:]


def test_every_feature_file_is_bound_by_a_step_module() -> None:
    bound = {
        name
        for module in STEPS.glob("test_*.py")
        for name in re.findall(r"scenarios\(\s*[\"']([^\"']+)[\"']", module.read_text())
    }
    features = {p.name for p in FEATURES.glob("*.feature")}
    assert features == bound, (features - bound, bound - features)
