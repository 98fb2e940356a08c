"""Shared base of every scenario model, and the distributions (latency, handle time, patience)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

#: Discriminator values: pydantic puts them in error locations; they are not keys.
TAGS = frozenset({"lognormal", "fixed", "empirical", "exponential", "none"})
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
