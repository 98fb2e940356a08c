"""The interface every IRP target implements, and the values that cross it.

Steps talk to an :class:`IRPDriver` only, so the same Gherkin scenarios run against the
in-process resolver and against any IRP that speaks the ``/api/v1`` HTTP contract. Every
call answers with a :class:`Reply` shaped like an HTTP exchange (status, JSON body, headers):
the in-process driver maps the resolver's errors onto the statuses the service uses.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class Unsupported(Exception):
    """The target cannot do what a step needs; the scenario is skipped with this reason."""


@dataclass(frozen=True, slots=True)
class AccountFixture:
    """One platform account of a fixture customer."""

    platform: str
    user_id: str
    handle: str


@dataclass(frozen=True, slots=True)
class CustomerFixture:
    """One customer as a ``Given these customers:`` table describes it."""

    customer_id: str
    name: str
    tier: str
    emails: tuple[str, ...] = ()
    preferences: Mapping[str, str] = field(default_factory=dict)
    profile_updated_at: float | None = None
    accounts: tuple[AccountFixture, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The customer in the body format of ``POST /api/v1/fixtures``."""
        return {
            "customer_id": self.customer_id,
            "name": self.name,
            "tier": self.tier,
            "emails": list(self.emails),
            "preferences": dict(self.preferences),
            "profile_updated_at": self.profile_updated_at,
            "accounts": [
                {"platform": a.platform, "user_id": a.user_id, "handle": a.handle}
                for a in self.accounts
            ],
        }


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer from the IRP, shaped like an HTTP response."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return 200 <= self.status < 300

    def header(self, name: str) -> str | None:
        """A header value, looked up case-insensitively."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


class IRPDriver(abc.ABC):
    """What the BDD steps need from an Identity Resolution Platform.

    Attributes:
        name: short target name shown in test ids (``in_process``, ``http``).
        resolve_calls: how many resolve requests this driver has sent (the flow's view).
    """

    name: str = "irp"

    def __init__(self) -> None:
        self.resolve_calls = 0

    # --- data arrangement -------------------------------------------------------------------

    @abc.abstractmethod
    def load_customers(self, customers: Sequence[CustomerFixture], *, reset: bool) -> None:
        """Load fixture customers, after wiping the store when ``reset`` is true.

        Raises:
            Unsupported: the target has no way to arrange data.
        """

    # --- the /api/v1 contract ---------------------------------------------------------------

    @abc.abstractmethod
    def resolve(self, request: Mapping[str, Any]) -> Reply:
        """``POST /api/v1/resolve``."""

    @abc.abstractmethod
    def capture_lead(self, request: Mapping[str, Any]) -> Reply:
        """``POST /api/v1/leads``: lead capture for an unresolved sender, deduplicated."""

    @abc.abstractmethod
    def customer(self, customer_id: str) -> Reply:
        """``GET /api/v1/customers/{id}``."""

    @abc.abstractmethod
    def link(self, customer_id: str, platform: str, user_id: str, handle: str) -> Reply:
        """``POST /api/v1/links``: a supervisor confirms a review."""

    @abc.abstractmethod
    def not_same(self, customer_id: str, platform: str, user_id: str) -> Reply:
        """``POST /api/v1/not-same``: store a "not the same person" decision."""

    @abc.abstractmethod
    def bot_check(self, user_id: str, message: str, account_created_at: float) -> Reply:
        """``POST /api/v1/bot-check``."""

    # --- knobs only some targets have -------------------------------------------------------

    def unique_label(self, label: str) -> str:
        """A sender id for state the IRP keeps beyond a fixture reset (rate-limit windows)."""
        return label

    def now(self) -> float:
        """The IRP's current time, POSIX seconds."""
        import time

        return time.time()

    def advance(self, seconds: float) -> None:
        """Move the IRP's clock forward."""
        raise Unsupported(f"{self.name}: the IRP's clock cannot be controlled from a test")

    def configure(self, **settings: Any) -> None:
        """Change the IRP's configuration (threshold, rate limit, cache TTL, bot list)."""
        names = ", ".join(sorted(settings))
        raise Unsupported(f"{self.name}: {names} is configured on the server, not by a test")

    def update_profile(self, customer: CustomerFixture) -> None:
        """Replace a customer's profile data (a change made in the CRM)."""
        self.load_customers([customer], reset=False)

    def fingerprint(self, customer_ids: Sequence[str]) -> Any:
        """Everything observable about the store, to check that nothing changed."""
        return {cid: self.customer(cid).body for cid in customer_ids}

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release connections."""
