"""Scenario schema: one validated, immutable description of a simulated day.

A scenario file is YAML. :func:`load_scenario` reads it and :func:`parse_scenario`
validates a mapping into a frozen :class:`Scenario`; every problem becomes one
:class:`~simulator.errors.InvalidScenario` naming the dotted path in the file
(``irp.latency.p95_ms``), the value found and what is allowed. Unknown keys are errors.
Units are in the key names (``_s``, ``_ms``, ``_per_hour``). The engine trusts what
this module returns and validates nothing again.

Hours (``from_hour`` in intraday profiles and schedules) are clock hours: simulated
time ``t`` seconds falls in hour ``(start_hour + t / 3600) % 24``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from simulator._scenario.base import (
    NAME_PATTERN,
    AcceptTime,
    HandleTime,
    Latency,
    ListLatency,
    LognormalLatency,
    Patience,
    Strict,
)
from simulator._scenario.operations import (
    AgentGroup,
    Crm,
    Irp,
    Queue,
    RouteRule,
    Routing,
    SchedulePeriod,
    Sweep,
    SweepParameter,
)
from simulator._scenario.paths import path_exists, set_path, translate
from simulator._scenario.traffic import (
    Bots,
    CaseMix,
    Channel,
    IntradayPeriod,
    Population,
    Storm,
    TierMix,
)
from simulator.errors import InvalidScenario

__all__ = [
    "AcceptTime",
    "AgentGroup",
    "Bots",
    "CaseMix",
    "Channel",
    "Crm",
    "HandleTime",
    "IntradayPeriod",
    "Irp",
    "Latency",
    "ListLatency",
    "LognormalLatency",
    "Patience",
    "Population",
    "Queue",
    "RouteRule",
    "Routing",
    "Scenario",
    "SchedulePeriod",
    "Storm",
    "Sweep",
    "SweepParameter",
    "TierMix",
    "load_scenario",
    "parse_scenario",
]

DESIGNS: tuple[Literal["sync", "async"], ...] = ("sync", "async")
CHANNELS: tuple[str, ...] = ("twitter", "instagram", "linkedin")
_NAME = NAME_PATTERN


class Scenario(Strict):
    """A whole simulated day (or hour): the only input of the engine."""

    name: str = Field(pattern=_NAME)
    description: str = ""
    horizon_s: float = Field(gt=0)
    warmup_s: float = Field(default=0.0, ge=0)
    start_hour: float = Field(default=0.0, ge=0, lt=24)
    seed: int = Field(default=1, ge=0)
    replications: int = Field(default=10, ge=1, le=10_000)
    population: Population = Population()
    channels: tuple[Channel, ...] = Field(min_length=1)
    bots: Bots = Bots()
    irp: Irp = Irp()
    crm: Crm = Crm()
    designs: tuple[Literal["sync", "async"], ...] = Field(default=DESIGNS, min_length=1)
    queues: tuple[Queue, ...] = Field(min_length=1)
    routing: Routing = Routing()
    agent_groups: tuple[AgentGroup, ...] = Field(min_length=1)
    patience: Patience = Patience()
    sweep: Sweep | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if self.warmup_s >= self.horizon_s:
            _fail("warmup_s", self.warmup_s, f"less than horizon_s ({self.horizon_s})")
        _unique("channels", [c.name for c in self.channels])
        _unique("queues", [q.name for q in self.queues])
        _unique("agent_groups", [g.name for g in self.agent_groups])
        _unique("designs", list(self.designs))
        queues = [q.name for q in self.queues]
        allowed = "one of the queues " + ", ".join(queues)
        for rule_name, rule in self.routing.rules().items():
            if rule.queue not in queues:
                _fail(f"routing.{rule_name}.queue", rule.queue, allowed)
        for gi, group in enumerate(self.agent_groups):
            for si, skill in enumerate(group.skills):
                if skill not in queues:
                    _fail(f"agent_groups.{gi}.skills.{si}", skill, allowed)
        for si, storm in enumerate(self.bots.storms):
            if storm.start_s >= self.horizon_s:
                _fail(f"bots.storms.{si}.start_s", storm.start_s, "less than horizon_s")
        if self.sweep is not None:
            for pi, param in enumerate(self.sweep.parameters):
                if not path_exists(self.model_dump(mode="json"), param.path.split(".")):
                    _fail(f"sweep.parameters.{pi}.path", param.path, "a dotted path of the file")
        return self

    def queue(self, name: str) -> Queue:
        """The queue called ``name``."""
        return next(q for q in self.queues if q.name == name)

    def with_values(self, values: Mapping[str, Any]) -> Scenario:
        """A copy with dotted paths replaced (a sweep point), validated again."""
        data = self.model_dump(mode="json")
        for path, value in values.items():
            set_path(data, path.split("."), value)
        return parse_scenario(data, source=f"{self.name} with {dict(values)}")


def _fail(field: str, value: Any, allowed: str) -> None:
    raise PydanticCustomError(
        "inconsistent",
        "{field}",
        {"field": field, "value": value, "allowed": allowed, "root": True},
    )


def _unique(field: str, names: list[str]) -> None:
    for i, name in enumerate(names):
        if name in names[:i]:
            _fail(f"{field}.{i}", name, f"a name not used before in {field}")


# --- loading and error translation ---------------------------------------------------


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a YAML scenario file.

    Raises:
        InvalidScenario: the file is missing, not YAML, or does not validate.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidScenario("file", str(path), f"a readable YAML file ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise InvalidScenario("file", str(path), f"valid YAML{where}") from exc
    return parse_scenario(data, source=str(path))


def parse_scenario(data: Any, *, source: str = "<mapping>") -> Scenario:
    """Validate a mapping (a parsed YAML document) into a :class:`Scenario`.

    Args:
        data: the parsed document.
        source: where it came from, kept on the exception as ``source``.

    Raises:
        InvalidScenario: for the first problem found, with its dotted path; its
            ``problems`` attribute lists every problem found, this one first.
    """
    if not isinstance(data, Mapping):
        raise InvalidScenario("(top level)", data, "a mapping of scenario sections")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = tuple(translate(e, data) for e in exc.errors())
        error = problems[0]
        error.source = source  # type: ignore[attr-defined]
        error.problems = problems  # type: ignore[attr-defined]
        raise error from None
