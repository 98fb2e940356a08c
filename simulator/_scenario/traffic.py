"""Scenario sections about who writes in: population, case mix, channels, bots."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from simulator._scenario.base import Strict
from simulator.engine.records import CASES

_CHANNEL_ALIASES = {"x": "twitter"}


class CaseMix(Strict):
    """Relative weights of the ground-truth cases (see ``records.CASES``); omitted ones are 0."""

    returning: float = Field(default=0.0, ge=0)
    handle_change: float = Field(default=0.0, ge=0)
    handle_reuse: float = Field(default=0.0, ge=0)
    homoglyph: float = Field(default=0.0, ge=0)
    cross_platform_email: float = Field(default=0.0, ge=0)
    cross_platform: float = Field(default=0.0, ge=0)
    new_handle: float = Field(default=0.0, ge=0)
    new_prospect: float = Field(default=0.0, ge=0)
    bot: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _some_weight(self) -> CaseMix:
        if sum(self.weights().values()) <= 0:
            raise PydanticCustomError(
                "empty_mix", "all case weights are 0", {"allowed": "at least one weight > 0"}
            )
        return self

    def weights(self) -> dict[str, float]:
        """The weights keyed by case name, in ``CASES`` order."""
        return {case: float(getattr(self, case)) for case in CASES}


_DEFAULT_MIX = CaseMix(
    returning=0.55,
    handle_change=0.04,
    handle_reuse=0.02,
    homoglyph=0.02,
    cross_platform_email=0.04,
    cross_platform=0.03,
    new_handle=0.05,
    new_prospect=0.20,
    bot=0.05,
)


class TierMix(Strict):
    """Relative weights of customer tiers in the synthetic CRM."""

    Platinum: float = Field(default=0.05, ge=0)
    Gold: float = Field(default=0.15, ge=0)
    Silver: float = Field(default=0.30, ge=0)
    Bronze: float = Field(default=0.50, ge=0)

    def weights(self) -> dict[str, float]:
        """The weights keyed by tier name."""
        return {
            "Platinum": self.Platinum,
            "Gold": self.Gold,
            "Silver": self.Silver,
            "Bronze": self.Bronze,
        }


class Population(Strict):
    """The synthetic CRM and who writes in."""

    customers: int = Field(default=1000, ge=1, le=1_000_000)
    locales: tuple[str, ...] = Field(
        default=("en_US", "de_DE", "fr_FR", "ja_JP", "ru_RU", "el_GR"), min_length=1
    )
    case_mix: CaseMix = _DEFAULT_MIX
    tier_mix: TierMix = TierMix()
    prospect_repeat_share: float = Field(default=0.3, ge=0, le=1)
    recent_profile_update_share: float = Field(default=0.1, ge=0, le=1)

    @field_validator("locales")
    @classmethod
    def _known_locales(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from faker.config import AVAILABLE_LOCALES

        for locale in value:
            if locale not in AVAILABLE_LOCALES:
                raise PydanticCustomError(
                    "unknown_locale",
                    "unknown Faker locale {value}",
                    {"value": locale, "allowed": "a Faker locale such as en_US, ja_JP, ru_RU"},
                )
        return value


class IntradayPeriod(Strict):
    """From this clock hour on (until the next period), messages arrive at this rate."""

    from_hour: float = Field(ge=0, lt=24)
    rate_per_hour: float = Field(ge=0)


class Channel(Strict):
    """One social channel and its arrival profile.

    Give either ``rate_per_hour`` (constant) or ``intraday``: 24 hourly rates, or a list
    of ``{from_hour, rate_per_hour}`` periods (the first one wraps around midnight).
    """

    name: Literal["twitter", "instagram", "linkedin"]
    rate_per_hour: float | None = Field(default=None, ge=0)
    intraday: tuple[IntradayPeriod, ...] | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalize(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            data = dict(data)
            if isinstance(data.get("name"), str):
                data["name"] = _CHANNEL_ALIASES.get(data["name"].lower(), data["name"].lower())
            hourly = data.get("intraday")
            if isinstance(hourly, list) and hourly and not isinstance(hourly[0], Mapping):
                if len(hourly) != 24:
                    raise PydanticCustomError(
                        "hourly_length",
                        "intraday list has {n} rates",
                        {"field": "intraday", "value": hourly, "allowed": "24 hourly rates"},
                    )
                data["intraday"] = [
                    {"from_hour": h, "rate_per_hour": r} for h, r in enumerate(hourly)
                ]
        return data

    @model_validator(mode="after")
    def _one_profile(self) -> Channel:
        if (self.rate_per_hour is None) == (self.intraday is None):
            raise PydanticCustomError(
                "one_profile",
                "give exactly one of rate_per_hour and intraday",
                {"allowed": "exactly one of rate_per_hour or intraday"},
            )
        if self.intraday is not None:
            hours = [p.from_hour for p in self.intraday]
            if hours != sorted(set(hours)) or not hours:
                raise PydanticCustomError(
                    "unsorted",
                    "intraday periods must have increasing from_hour",
                    {
                        "field": "intraday",
                        "value": hours,
                        "allowed": "strictly increasing from_hour",
                    },
                )
        return self

    def rate_at_hour(self, hour: float) -> float:
        """Arrival rate (messages per hour) at clock hour ``hour`` in [0, 24)."""
        if self.rate_per_hour is not None:
            return self.rate_per_hour
        assert self.intraday is not None
        rate = self.intraday[-1].rate_per_hour
        for period in self.intraday:
            if period.from_hour <= hour:
                rate = period.rate_per_hour
        return rate

    @property
    def peak_rate_per_hour(self) -> float:
        """Highest rate of the profile, the thinning bound."""
        if self.rate_per_hour is not None:
            return self.rate_per_hour
        assert self.intraday is not None
        return max(p.rate_per_hour for p in self.intraday)


class Storm(Strict):
    """A burst of bot messages on one channel."""

    start_s: float = Field(ge=0)
    duration_s: float = Field(gt=0)
    rate_per_hour: float = Field(gt=0)
    channel: Literal["twitter", "instagram", "linkedin"] = "twitter"


class Bots(Strict):
    """Bot traffic and the guard in front of the IRP.

    Each bot independently is on the known-bot list, writes spam text, and has an account
    younger than ``min_account_age_days`` with the given shares; a bot with none of the
    three slips past the guard.
    """

    guard: bool = True
    known_bot_share: float = Field(default=0.5, ge=0, le=1)
    spam_text_share: float = Field(default=0.6, ge=0, le=1)
    young_account_share: float = Field(default=0.5, ge=0, le=1)
    min_account_age_days: float = Field(default=7, ge=0)
    storms: tuple[Storm, ...] = ()
