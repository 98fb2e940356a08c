"""The ``handlesim`` command line: exit codes, messages and what ``run`` writes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from simulator import cli
from tests.unit.test_scenarios_bundled import REQUIRED

TINY = textwrap.dedent(
    """\
    name: tiny
    description: "A tiny scenario for CLI tests"
    horizon_s: 1200
    warmup_s: 0
    start_hour: 10
    seed: 11
    replications: 2
    population: {customers: 60}
    channels:
      - {name: twitter, rate_per_hour: 120}
    queues:
      - {name: Platinum_Social_Queue, sla_target_s: 60, sla_goal: 0.9}
      - {name: General_Social_Queue, sla_target_s: 120, sla_goal: 0.8}
      - {name: Supervisor_Review, sla_target_s: 600, sla_goal: 0.8}
    agent_groups:
      - name: Agents
        agents: 3
        skills: [Platinum_Social_Queue, General_Social_Queue, Supervisor_Review]
        concurrency: 2
        handle_time: {kind: exponential, mean_s: 120}
    """
)

#: Broken scenario files: (what is wrong, YAML text, a part the message must contain).
BROKEN: list[tuple[str, str, str]] = [
    ("unknown top-level key", TINY.replace("horizon_s:", "horizn_s:"), "horizn_s"),
    ("missing required key", TINY.replace("horizon_s: 1200\n", ""), "horizon_s"),
    ("negative horizon", TINY.replace("horizon_s: 1200", "horizon_s: -5"), "horizon_s"),
    ("warm-up past horizon", TINY.replace("warmup_s: 0", "warmup_s: 5000"), "warmup_s"),
    ("unknown channel", TINY.replace("name: twitter", "name: myspace"), "channels.0.name"),
    (
        "p95 below median",
        TINY + "irp:\n  latency: {kind: lognormal, median_ms: 500, p95_ms: 100}\n",
        "irp.latency.p95_ms",
    ),
    (
        "unknown latency kind",
        TINY + "irp:\n  latency: {kind: weibull, median_ms: 5}\n",
        "irp.latency.kind",
    ),
    ("timeout beyond Genesys limit", TINY + "irp:\n  timeout_s: 90\n", "irp.timeout_s"),
    ("typo in nested key", TINY + "irp:\n  concurency: 4\n", "irp.concurency"),
    (
        "skill names no queue",
        TINY.replace("Supervisor_Review]", "Supervisor_Reveiw]"),
        "agent_groups.0.skills.2",
    ),
    ("unknown design", TINY + "designs: [sync, batch]\n", "designs"),
    (
        "negative case weight",
        TINY.replace(
            "population: {customers: 60}", "population: {customers: 60, case_mix: {homoglyph: -1}}"
        ),
        "population.case_mix.homoglyph",
    ),
    (
        "sweep over a path that does not exist",
        TINY + "sweep:\n  parameters:\n    - {path: irp.slots, values: [1, 2]}\n",
        "sweep.parameters.0.path",
    ),
    ("YAML syntax error", TINY + "queues: [unclosed\n", "valid YAML"),
    ("not a mapping", "- just\n- a list\n", "(top level)"),
]


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_validate_accepts_a_good_file(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "valid scenario 'tiny'" in out
    assert "sync, async" in out


@pytest.mark.parametrize(("problem", "text", "field"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_scenario_is_a_clear_message_and_exit_2(
    problem: str, text: str, field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    first, *others = captured.err.rstrip("\n").splitlines()
    assert first.startswith("handlesim: error: ")
    assert field in first, problem
    assert all(line.startswith("  also ") for line in others), captured.err
    assert "Traceback" not in captured.err


def test_every_problem_of_a_file_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nhorizon_s: 3600\nirp:\n  latncy: {}\n", encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 2
    first, *others = capsys.readouterr().err.rstrip("\n").splitlines()
    assert "channels" in first
    assert any(line.startswith("  also irp.latncy:") for line in others)
    assert any(line.startswith("  also agent_groups:") for line in others)


def test_run_rejects_a_broken_file_before_simulating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN[0][1], encoding="utf-8")
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "horizn_s" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["run", "validate"])
def test_missing_file_exit_2(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([command, str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert "nope.yaml: no such scenario file" in err
    assert "baseline" in err  # names the bundled scenarios


def test_a_folder_is_not_a_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_bundled_scenario_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "baseline"]) == 0
    assert "baseline.yaml" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "x.yaml", "--replications", "0"],
        ["run", "x.yaml", "--workers", "two"],
        ["run", "x.yaml", "--seed", "-1"],
        ["serve", "--port", "70000"],
        ["frobnicate"],
        [],
    ],
)
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_unknown_design_exit_2(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", str(tiny), "--design", "batch", "--quiet"]) == 2
    assert "--design: 'batch'" in capsys.readouterr().err


def test_list_shows_every_bundled_scenario_with_its_story(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for name in REQUIRED:
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert len(line.split(None, 1)[1]) > 20
        assert "does not validate" not in line


def test_run_writes_outputs_and_prints_the_report_path(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    argv = [
        "run",
        str(tiny),
        "--out",
        str(out_dir),
        "--replications",
        "2",
        "--workers",
        "1",
        "--seed",
        "5",
        "--design",
        "sync",
        "--quiet",
    ]
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.strip() == str(out_dir / "report.html")
    for name in ("report.html", "metrics.json", "contacts.csv"):
        assert (out_dir / name).stat().st_size > 0
    text = (out_dir / "metrics.json").read_text(encoding="utf-8")
    assert '"seed": 5' in text and '"replications": 2' in text
    assert '"async"' not in text


def test_run_default_out_dir_is_reports_scenario(
    tiny: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", str(tiny), "--replications", "1", "--workers", "1", "-q"]) == 0
    assert capsys.readouterr().out.strip() == str(Path("reports") / "tiny" / "report.html")
    assert (tmp_path / "reports" / "tiny" / "report.html").is_file()


def test_serve_passes_options_to_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, object]] = []
    fake = types.ModuleType("simulator.service.server")
    fake.load_token = lambda token_file, insecure: None if insecure else "t0ken"  # type: ignore[attr-defined]
    fake.serve = lambda **kwargs: calls.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "simulator.service.server", fake)
    db = tmp_path / "irp.sqlite3"
    argv = ["serve", "--host", "0.0.0.0", "--port", "9000", "--db", str(db), "--enable-fixtures"]
    assert cli.main(argv) == 0
    assert calls == [
        {
            "host": "0.0.0.0",
            "port": 9000,
            "db_path": str(db),
            "token": "t0ken",
            "enable_fixtures": True,
        }
    ]
    assert "t0ken" not in capsys.readouterr().err


def test_progress_bar_follows_the_runner_callback() -> None:
    with cli._progress(True) as update:
        assert update is not None
        update(1, 3)
        update(3, 3)
    with cli._progress(False) as update:
        assert update is None


def test_python_dash_m_reports_a_bad_file_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: [\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 2
    assert done.stderr.startswith("handlesim: error: ")
    assert "Traceback" not in done.stderr
