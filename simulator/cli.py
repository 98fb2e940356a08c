"""The ``handlesim`` command line (also ``python -m simulator``).

Commands:

* ``run SCENARIO`` simulates a scenario and writes ``report.html``, ``metrics.json`` and
  ``contacts.csv`` to ``--out`` (default ``reports/<scenario>/``), then prints the
  report's path;
* ``validate SCENARIO`` checks a scenario file and says what it holds;
* ``list`` shows the bundled scenarios with their one-line stories;
* ``serve`` starts the reference Identity Resolution Platform over HTTP.

Every user error (a broken or missing scenario file, a bad option value) ends with one
message on stderr and exit code 2, never a traceback. ``SCENARIO`` is a path, or the name
of a bundled scenario (``handlesim run baseline``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from simulator import __version__
from simulator.errors import HandlesimError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

#: Where the bundled scenario files live (the repository's ``scenarios/`` folder).
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class UsageError(HandlesimError):
    """A command-line argument that cannot be used (missing file, bad option value)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the process exit code.

    Args:
        argv: the arguments after the program name; ``sys.argv[1:]`` when ``None``.

    Returns:
        0 on success, 2 on a user error (reported on stderr, without a traceback).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except HandlesimError as exc:
        return _fail(_describe(exc))
    except yaml.YAMLError as exc:
        return _fail(f"{getattr(args, 'scenario', 'scenario')}: not valid YAML: {_one_line(exc)}")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(_one_line(exc))
    except KeyboardInterrupt:
        print("handlesim: interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its four sub-commands."""
    parser = argparse.ArgumentParser(
        prog="handlesim",
        description="Simulate social-handle resolution in a contact centre and report on it.",
    )
    parser.add_argument("--version", action="version", version=f"handlesim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="simulate a scenario and write its report")
    run.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file or bundled name")
    run.add_argument("--out", type=Path, help="output folder (default reports/<scenario>/)")
    run.add_argument("--seed", type=_non_negative, help="master seed (default: the scenario's)")
    run.add_argument("--replications", type=_positive, help="independent replications")
    run.add_argument("--workers", type=_positive, help="worker processes (default: cores)")
    run.add_argument(
        "--design",
        action="append",
        dest="designs",
        metavar="NAME",
        help="run only this design (repeatable; default: the scenario's designs)",
    )
    run.add_argument("--quiet", "-q", action="store_true", help="no progress, only the path")
    run.set_defaults(handler=_cmd_run)

    validate = commands.add_parser("validate", help="check a scenario file")
    validate.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file or bundled name")
    validate.set_defaults(handler=_cmd_validate)

    listing = commands.add_parser("list", help="list the bundled scenarios")
    listing.set_defaults(handler=_cmd_list)

    serve = commands.add_parser("serve", help="run the reference IRP over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8080, help="TCP port (default 8080)")
    serve.add_argument(
        "--db",
        type=Path,
        default=Path("handlesim.sqlite3"),
        help="SQLite identity store, created when missing (default handlesim.sqlite3)",
    )
    serve.add_argument(
        "--token-file",
        type=Path,
        help="file holding the bearer token (default: the HANDLESIM_TOKEN variable)",
    )
    serve.add_argument(
        "--insecure-no-auth", action="store_true", help="accept requests without a token"
    )
    serve.add_argument(
        "--enable-fixtures", action="store_true", help="enable the test-fixture endpoints"
    )
    serve.set_defaults(handler=_cmd_serve)
    return parser


# --- commands -----------------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace) -> int:
    path = resolve_scenario_path(args.scenario)
    scenario = _load(path)
    designs = ", ".join(_design_names(scenario)) or "none"
    print(f"{path}: valid scenario {_scenario_name(scenario, path)!r} (designs: {designs})")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    files = bundled_scenarios()
    if not files:
        print(f"no bundled scenarios in {BUNDLED_DIR}", file=sys.stderr)
        return EXIT_FAILURE
    width = max(len(p.stem) for p in files)
    for path in files:
        print(f"{path.stem:<{width}}  {scenario_story(path)}")
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from simulator.report.render import write_outputs
    from simulator.runner import run_scenario

    path = resolve_scenario_path(args.scenario)
    scenario = _load(path)
    _check_designs(args.designs, _design_names(scenario))
    out_dir = args.out or Path("reports") / _scenario_name(scenario, path)
    show = not args.quiet and sys.stderr.isatty()
    label = "replications x sweep points" if getattr(scenario, "sweep", None) else "replications"
    with _progress(show, label) as progress:
        result = run_scenario(
            scenario,
            seed=args.seed,
            replications=args.replications,
            workers=args.workers,
            designs=args.designs,
            progress=progress,
        )
    paths = write_outputs(result, scenario, out_dir)
    print(paths["report"])
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from simulator.service.server import load_token, serve

    token_file = None if args.token_file is None else str(args.token_file)
    token = load_token(token_file, args.insecure_no_auth)
    if token is None:
        print("handlesim: warning: serving WITHOUT authentication", file=sys.stderr)
    print(
        f"handlesim: IRP listening on http://{args.host}:{args.port} (store {args.db})",
        file=sys.stderr,
    )
    serve(
        host=args.host,
        port=args.port,
        db_path=str(args.db),
        token=token,
        enable_fixtures=args.enable_fixtures,
    )
    return EXIT_OK


# --- scenarios ----------------------------------------------------------------------------


def bundled_scenarios() -> list[Path]:
    """The bundled scenario files, sorted by name."""
    return sorted(BUNDLED_DIR.glob("*.yaml")) if BUNDLED_DIR.is_dir() else []


def resolve_scenario_path(name: str) -> Path:
    """Turn ``SCENARIO`` into an existing file: a path, or a bundled scenario's name.

    Raises:
        UsageError: neither a readable file nor a bundled scenario.
    """
    path = Path(name)
    if path.is_file():
        return path
    if path.is_dir():
        raise UsageError(f"{name}: is a folder, expected a scenario YAML file")
    bundled = BUNDLED_DIR / f"{name.removesuffix('.yaml')}.yaml"
    if os.sep not in name and "/" not in name and bundled.is_file():
        return bundled
    names = ", ".join(p.stem for p in bundled_scenarios()) or "none"
    raise UsageError(f"{name}: no such scenario file (bundled scenarios: {names})")


def scenario_story(path: Path) -> str:
    """The first line of a scenario's ``description``, or why it cannot be read."""
    try:
        scenario = _load(path)
    except (HandlesimError, OSError, yaml.YAMLError) as exc:
        return f"(does not validate: {_one_line(exc)})"
    description = str(getattr(scenario, "description", "") or "").strip()
    return description.splitlines()[0] if description else "(no description)"


def _load(path: Path) -> Any:
    from simulator.errors import InvalidScenario
    from simulator.scenario import load_scenario

    try:
        return load_scenario(path)
    except InvalidScenario as exc:
        if not getattr(exc, "source", None):
            exc.source = str(path)  # type: ignore[attr-defined]
        raise


def _scenario_name(scenario: Any, path: Path) -> str:
    name = getattr(scenario, "name", None)
    return str(name) if name else path.stem


def _design_names(scenario: Any) -> list[str]:
    designs = getattr(scenario, "designs", None) or []
    return [d if isinstance(d, str) else str(getattr(d, "name", d)) for d in designs]


def _check_designs(wanted: list[str] | None, known: list[str]) -> None:
    for name in wanted or []:
        if known and name not in known:
            raise UsageError(f"--design: {name!r} is not in this scenario; expected one of {known}")


# --- small helpers ------------------------------------------------------------------------


@contextmanager
def _progress(show: bool, label: str = "replications") -> Iterator[Callable[..., None] | None]:
    """A rich progress bar fed by the runner's ``progress`` callback, or ``None``."""
    if not show:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bars = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    )
    task = bars.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bars.update(task, completed=done, total=total)

    with bars:
        yield update


def _describe(exc: HandlesimError) -> str:
    """The error's message, prefixed with the scenario file it came from and, for a YAML
    syntax error, what the YAML parser found."""
    message = _one_line(exc)
    source = getattr(exc, "source", None)
    if source and getattr(exc, "field", None) != "file":
        message = f"{source}: {message}"
    others = getattr(exc, "problems", ())[1:]
    if others:
        message += "".join(f"\n  also {_one_line(other)}" for other in others)
    cause = exc.__cause__
    problem = getattr(cause, "problem", None)
    if isinstance(cause, yaml.YAMLError) and problem:
        message = f"{message}: {problem}"
    return message


def _fail(message: str) -> int:
    print(f"handlesim: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _positive(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; expected an integer >= 1")
    return value


def _non_negative(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; expected an integer >= 0")
    return value


def _port(text: str) -> int:
    value = _int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; expected 1..65535")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
