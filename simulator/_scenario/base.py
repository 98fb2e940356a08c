"""Shared base of every scenario model, and the distributions (latency, handle time, patience)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

#: Discriminator values: pydantic puts them in error locations; they are not keys.
TAGS = frozenset({"lognormal", "fixed", "empirical", "exponential", "none"})
_Z95 = 1.6448536269514722
NAME_PATTERN = r"^[A-Za-z0-9_.-]+$"


class Strict(BaseModel):
    """Frozen model that names the allowed keys when it meets an unknown one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            allowed = list(cls.model_fields)
            for key in data:
                if key not in cls.model_fields:
                    raise PydanticCustomError(
                        "unknown_key",
                        "unknown key {key}",
                        {"key": str(key), "allowed": "one of the keys " + ", ".join(allowed)},
                    )
        return data


# --- distributions -------------------------------------------------------------------


class LognormalLatency(Strict):
    """Lognormal latency given its median and 95th percentile."""

    kind: Literal["lognormal"]
    median_ms: float = Field(gt=0)
    p95_ms: float = Field(gt=0)

    @model_validator(mode="after")
    def _p95_above_median(self) -> LognormalLatency:
        if self.p95_ms < self.median_ms:
            raise PydanticCustomError(
                "p95_below_median",
                "p95_ms must be at least median_ms",
                {
                    "field": "p95_ms",
                    "value": self.p95_ms,
                    "allowed": f">= median_ms ({self.median_ms})",
                },
            )
        return self


class ListLatency(Strict):
    """Latencies from a list: ``fixed`` cycles in contact order, ``empirical`` samples it."""

    kind: Literal["fixed", "empirical"]
    values_ms: tuple[Annotated[float, Field(ge=0)], ...] = Field(min_length=1)


Latency = Annotated[LognormalLatency | ListLatency, Field(discriminator="kind")]


class HandleTime(Strict):
    """Agent handle time: ``exponential`` (mean), ``lognormal`` (mean, sd) or ``fixed`` (mean)."""

    kind: Literal["exponential", "lognormal", "fixed"] = "exponential"
    mean_s: float = Field(gt=0)
    sd_s: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _sd_for_lognormal(self) -> HandleTime:
        if self.kind == "lognormal" and self.sd_s is None:
            raise PydanticCustomError(
                "sd_required",
                "sd_s is required for a lognormal handle time",
                {"field": "sd_s", "value": None, "allowed": "a number > 0 when kind is lognormal"},
            )
        return self


class Patience(Strict):
    """How long a waiting customer stays before abandoning (``none``: forever)."""

    kind: Literal["exponential", "none"] = "none"
    mean_s: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _mean_for_exponential(self) -> Patience:
        if self.kind == "exponential" and self.mean_s is None:
            raise PydanticCustomError(
                "mean_required",
                "mean_s is required for exponential patience",
                {
                    "field": "mean_s",
                    "value": None,
                    "allowed": "a number > 0 when kind is exponential",
                },
            )
        return self


class AcceptTime(Strict):
    """How long an agent takes to accept an offered interaction (the alerting phase).

    An interaction routed to an agent first alerts (a toast in the agent's desktop); it
    counts as answered when the agent accepts it. ``none`` answers at the instant of
    routing (auto-answer, and the M/M/c checks); ``fixed`` always takes ``value_s``;
    ``lognormal`` is given by its median and 95th percentile. With ``alert_timeout_s``
    an offer not accepted within that time is missed: the agent's slot is released and
    the interaction goes back to the head of its queue to be offered again (Genesys puts
    the agent in Not Responding and re-queues the interaction).
    """

    kind: Literal["none", "fixed", "lognormal"] = "none"
    value_s: float | None = Field(default=None, ge=0)
    median_s: float | None = Field(default=None, gt=0)
    p95_s: float | None = Field(default=None, gt=0)
    alert_timeout_s: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _keys_for_kind(self) -> AcceptTime:
        needed = {"none": (), "fixed": ("value_s",), "lognormal": ("median_s", "p95_s")}
        wanted = needed[self.kind]
        for key in ("value_s", "median_s", "p95_s", "alert_timeout_s"):
            value = getattr(self, key)
            if key in wanted and value is None:
                _accept_error(key, None, f"a number when kind is {self.kind}")
            if key not in wanted and value is not None and key != "alert_timeout_s":
                _accept_error(key, value, f"no {key} when kind is {self.kind}")
        if self.kind == "none" and self.alert_timeout_s is not None:
            _accept_error("alert_timeout_s", self.alert_timeout_s, "no timeout when kind is none")
        if self.p95_s is not None and self.median_s is not None and self.p95_s < self.median_s:
            _accept_error("p95_s", self.p95_s, f">= median_s ({self.median_s})")
        return self

    @property
    def enabled(self) -> bool:
        """Whether offers alert before they are answered."""
        return self.kind != "none"

    def seconds(self, z: float) -> float:
        """The accept delay for a standard normal draw ``z`` (the contact's draw)."""
        if self.kind == "fixed":
            assert self.value_s is not None
            return self.value_s
        if self.kind == "lognormal":
            assert self.median_s is not None and self.p95_s is not None
            sigma = math.log(self.p95_s / self.median_s) / _Z95
            return self.median_s * math.exp(sigma * z)
        return 0.0


def _accept_error(field: str, value: Any, allowed: str) -> None:
    raise PydanticCustomError(
        "accept_time",
        "{field}: {allowed}",
        {"field": field, "value": value, "allowed": allowed},
    )
