"""Request and response models of the reference IRP service.

Requests are strict (a number where a string is expected is refused, so an X snowflake id
never passes through a float) and bounded in length; unknown fields are ignored, as Genesys
Data Actions often send more than a service reads. Responses are documented here for the
OpenAPI document; the routes return the resolver's dictionaries as they are.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictStr

MAX_TEXT = 1024
MAX_MESSAGE = 16_384


def _blank_to_none(value: Any) -> Any:
    """Genesys flows send ``""`` for unset variables; treat it as absent."""
    return None if value == "" else value


Text = Annotated[StrictStr, Field(max_length=MAX_TEXT)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_to_none)]
Timestamp = Annotated[StrictStr | float | int | None, Field(default=None)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class ResolveRequest(_Request):
    """``POST /api/v1/resolve`` and ``POST /api/v1/leads``: one inbound social identity."""

    handle: Text
    channel: Text = Field(description="twitter, x, instagram or linkedin")
    user_id: OptionalText = None
    email: OptionalText = None
    display_name: OptionalText = None


class LinkRequest(_Request):
    """``POST /api/v1/links``: a confirmed review links an account to a customer."""

    customer_id: Text
    platform: Text
    user_id: Text
    handle: Text


class NotSameRequest(_Request):
    """``POST /api/v1/not-same``: this account is not that customer; later answers respect it."""

    customer_id: Text
    platform: Text
    user_id: Text


class BotCheckRequest(_Request):
    """``POST /api/v1/bot-check``: bot indicators before the IRP is called."""

    user_id: Text
    message: Annotated[StrictStr, Field(max_length=MAX_MESSAGE)] = ""
    account_created_at: Timestamp = Field(
        default=None, description="ISO 8601 date-time or POSIX seconds"
    )


class FixtureAccount(_Request):
    """One platform account of a fixture customer."""

    platform: Text
    user_id: Text
    handle: Text


class FixtureCustomer(_Request):
    """One customer of ``POST /api/v1/fixtures``."""

    customer_id: Text
    name: Text
    tier: Text = "Silver"
    emails: list[Text] = Field(default_factory=list, max_length=100)
    preferences: dict[str, Any] = Field(default_factory=dict)
    profile_updated_at: Timestamp = None
    accounts: list[FixtureAccount] = Field(default_factory=list, max_length=100)


class FixturesRequest(_Request):
    """``POST /api/v1/fixtures`` (only when enabled): load test data, optionally after a reset."""

    reset: bool = False
    customers: list[FixtureCustomer] = Field(default_factory=list, max_length=200_000)


class Preferences(BaseModel):
    """A customer's contact preferences."""

    preferred_channel: str | None = None
    language: str | None = None


class ProfileData(BaseModel):
    """The profile part of an answer."""

    name: str
    tier: str
    last_interaction: str | None = None
    preferences: Preferences


class ResolveAnswer(BaseModel):
    """The seed's answer plus confidence, method, review and reasons."""

    resolved: bool
    customer_id: str | None
    profile_data: ProfileData | None = None
    social_graph: dict[str, Any] = Field(default_factory=dict)
    confidence: float = Field(ge=0, le=1)
    method: str
    review: bool
    reasons: list[str]
    agent_notice: str | None = None
    candidates: list[str] = Field(default_factory=list)
    profile_source: str | None = None


class LeadAnswer(BaseModel):
    """What lead capture did: created, existing (deduplicated), attached or not needed."""

    action: str
    lead_id: str | None
    customer_id: str | None
    needs_review: bool


class BotVerdictAnswer(BaseModel):
    """Whether a message looks like bot traffic, and why."""

    bot: bool
    reasons: list[str]


class ErrorBody(BaseModel):
    """Every 4xx/5xx body: the field at fault, what went wrong, what is allowed."""

    field: str
    error: str
    allowed: str


class Health(BaseModel):
    """``GET /healthz``."""

    status: Literal["ok"]
    customers: int | None = None
