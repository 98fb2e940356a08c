"""Scenario sections about the contact centre: IRP, CRM, queues, routing, agents, sweep."""

from __future__ import annotations

import itertools
import math

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from simulator._scenario.base import (
    NAME_PATTERN,
    AcceptTime,
    HandleTime,
    Latency,
    LognormalLatency,
    Strict,
)

_NAME = NAME_PATTERN


class Irp(Strict):
    """The Identity Resolution Platform behind the data action.

    ``concurrency`` requests are served at once, the others wait for a slot (the wait
    counts toward the data action's latency and its ``timeout_s``).
    """

    enabled: bool = True
    concurrency: int = Field(default=20, ge=1)
    latency: Latency = LognormalLatency(kind="lognormal", median_ms=120, p95_ms=400)
    timeout_s: float = Field(default=3.0, ge=1, le=60)
    #: Timeout of the async design's background resolution (nobody waits on it, so it may
    #: be longer); ``None``: the same as ``timeout_s``.
    background_timeout_s: float | None = Field(default=None, ge=1, le=60)
    error_rate: float = Field(default=0.0, ge=0, le=1)
    rate_limit_per_minute: int = Field(default=100, ge=1)
    threshold: float = Field(default=0.85, ge=0, le=1)
    cache_ttl_s: float = Field(default=300, ge=0, le=300)
    notice_window_s: float = Field(default=3600, ge=0)


class Crm(Strict):
    """The CRM: real-time lookup for Platinum and lead creation."""

    concurrency: int = Field(default=10, ge=1)
    platinum_lookup: bool = True
    lead_capture: bool = True
    lookup_latency: Latency = LognormalLatency(kind="lognormal", median_ms=150, p95_ms=500)
    lead_latency: Latency = LognormalLatency(kind="lognormal", median_ms=200, p95_ms=700)


# --- queues, routing and agents ------------------------------------------------------


class Queue(Strict):
    """An ACD queue with its service-level objective.

    ``priority`` ranks the queue for agents who serve several (higher first) when the
    waiting contacts' own priorities tie.
    """

    name: str = Field(pattern=_NAME)
    sla_target_s: float = Field(gt=0)
    sla_goal: float = Field(default=0.8, gt=0, le=1)
    priority: int = 0


class RouteRule(Strict):
    """Where the flow transfers a contact, and with which priority (higher is served first)."""

    queue: str
    priority: int = 0


class Routing(Strict):
    """Transfer targets by tier and outcome (the seed's routing section)."""

    Platinum: RouteRule = RouteRule(queue="Platinum_Social_Queue", priority=10)
    Gold: RouteRule = RouteRule(queue="General_Social_Queue", priority=5)
    Silver: RouteRule = RouteRule(queue="General_Social_Queue", priority=5)
    Bronze: RouteRule = RouteRule(queue="General_Social_Queue", priority=5)
    guest: RouteRule = RouteRule(queue="General_Social_Queue", priority=1)
    review: RouteRule = RouteRule(queue="Supervisor_Review", priority=5)
    initial: RouteRule = RouteRule(queue="General_Social_Queue", priority=5)

    def rules(self) -> dict[str, RouteRule]:
        """All rules keyed by their name (``initial`` is the async design's first transfer)."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class SchedulePeriod(Strict):
    """From this clock hour on, this many agents of the group are on shift."""

    from_hour: float = Field(ge=0, lt=24)
    agents: int = Field(ge=0)


class AgentGroup(Strict):
    """Agents with the same skills (queues served), messaging concurrency and handle time.

    ``accept_time`` is the alerting phase before an agent accepts an offer (none: the
    interaction is answered at the instant it is routed).
    """

    name: str = Field(pattern=_NAME)
    agents: int = Field(ge=0)
    skills: tuple[str, ...] = Field(min_length=1)
    concurrency: int = Field(default=1, ge=1, le=20)
    handle_time: HandleTime
    accept_time: AcceptTime = AcceptTime()
    schedule: tuple[SchedulePeriod, ...] | None = None


# --- sweep ---------------------------------------------------------------------------


class SweepParameter(Strict):
    """One swept parameter: a dotted path and its values (a list, or start/stop/step)."""

    path: str = Field(min_length=1)
    values: tuple[float, ...] | None = Field(default=None, min_length=1)
    start: float | None = None
    stop: float | None = None
    step: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _list_or_range(self) -> SweepParameter:
        ranged = (self.start, self.stop, self.step)
        if (self.values is None) == any(v is None for v in ranged) or (
            self.values is not None and any(v is not None for v in ranged)
        ):
            raise PydanticCustomError(
                "list_or_range",
                "give values, or start, stop and step",
                {"allowed": "either values: [...] or start, stop and step"},
            )
        return self

    def points(self) -> tuple[float, ...]:
        """The swept values in order (a range includes ``stop`` when it lands on it)."""
        if self.values is not None:
            return tuple(tidy(v) for v in self.values)
        assert self.start is not None and self.stop is not None and self.step is not None
        n = math.floor((self.stop - self.start) / self.step + 1e-9) + 1
        return tuple(tidy(self.start + i * self.step) for i in range(max(n, 0)))


class Sweep(Strict):
    """An optional sweep over one or two parameters (the grid of their values)."""

    parameters: tuple[SweepParameter, ...] = Field(min_length=1, max_length=2)

    def points(self) -> list[dict[str, float]]:
        """Every grid point as ``{path: value}``."""
        paths = [p.path for p in self.parameters]
        grids = itertools.product(*(p.points() for p in self.parameters))
        return [dict(zip(paths, combo, strict=True)) for combo in grids]


def tidy(value: float) -> float:
    """Integers stay integers, so that ``agents: 12.0`` validates as an int field."""
    rounded = round(value, 9)
    return int(rounded) if float(rounded).is_integer() else rounded
