"""What the resolver answers: :class:`ResolveAnswer`, :class:`LeadOutcome` and their JSON.

The JSON form keeps the seed's response fields (``resolved``, ``customer_id``,
``profile_data``, ``social_graph``) and adds ``confidence``, ``method``, ``review``,
``reasons``, ``agent_notice``, ``candidates`` and ``profile_source``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from simulator.identity.store import Account, Customer

#: Seed keys of ``social_graph`` for each platform's primary account.
_GRAPH_KEYS: dict[str, tuple[str, str]] = {
    "twitter": ("twitter_id", "twitter_handle"),
    "instagram": ("instagram_id", "instagram_handle"),
    "linkedin": ("linkedin_id", "linkedin_url"),
}


def iso_utc(seconds: float | None) -> str | None:
    """POSIX seconds as ISO-8601 UTC (``2023-10-27T10:00:00Z``), or ``None``."""
    if seconds is None:
        return None
    if seconds == int(seconds):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
    stamp = datetime.fromtimestamp(seconds, tz=UTC)
    text = stamp.isoformat(timespec="seconds" if stamp.microsecond == 0 else "milliseconds")
    return text.replace("+00:00", "Z")


def profile_data(customer: Customer) -> dict[str, Any]:
    """The seed's ``profile_data`` object for a customer."""
    preferences: dict[str, Any] = {"preferred_channel": None, "language": None}
    preferences.update(customer.preferences)
    return {
        "name": customer.name,
        "tier": customer.tier,
        "last_interaction": iso_utc(customer.last_interaction),
        "preferences": preferences,
    }


def social_graph(customer: Customer, accounts: tuple[Account, ...]) -> dict[str, Any]:
    """Every linked account of a customer, with the seed's keys for each primary account.

    The primary account of a platform is the first one linked there.
    """
    graph: dict[str, Any] = {}
    for id_key, handle_key in _GRAPH_KEYS.values():
        graph[id_key] = None
        graph[handle_key] = None
    listed = []
    for account in accounts:
        id_key, handle_key = _GRAPH_KEYS[account.platform]
        shown = account.handle
        if account.platform == "linkedin":
            shown = f"linkedin.com/in/{account.handle}"
        if graph[id_key] is None:
            graph[id_key] = account.user_id
            graph[handle_key] = shown
        listed.append(
            {"platform": account.platform, "user_id": account.user_id, "handle": account.handle}
        )
    graph["accounts"] = listed
    graph["emails"] = list(customer.emails)
    return graph


@dataclass(frozen=True, slots=True)
class ResolveAnswer:
    """The resolver's answer to one message.

    ``profile_data`` and ``social_graph`` are built from the resolved customer and its
    accounts when read (a fresh dict each time), so the simulator's hot path does not pay
    for JSON shaping it never looks at.

    Attributes:
        resolved: a customer was identified at or above the threshold.
        customer_id: that customer, else ``None`` (candidates are in ``candidates``).
        confidence: in [0, 1]; for an unresolved answer, the best candidate's score.
        method: ``user_id``, ``email``, ``handle``, ``review``, ``none``, ``bot`` or
            ``rate_limited``.
        review: a candidate exists that a person should confirm or reject.
        reasons: short codes explaining the answer (``handle_changed``, ``handle_reused``,
            ``homoglyph_suspect``, ``below_threshold``, ``email_alias``, ...).
        agent_notice: "profile updated recently" system message, if any.
        candidates: customer ids a reviewer should look at, best first.
        profile_source: ``crm`` (real-time read), ``cache`` or ``None``.
        customer: the resolved customer's profile as read (CRM or cache).
        accounts: the resolved customer's strong links, every platform.
    """

    resolved: bool
    customer_id: str | None
    confidence: float
    method: str
    review: bool = False
    reasons: tuple[str, ...] = ()
    agent_notice: str | None = None
    candidates: tuple[str, ...] = ()
    profile_source: str | None = None
    customer: Customer | None = field(default=None, repr=False)
    accounts: tuple[Account, ...] = field(default=(), repr=False)

    @property
    def profile_data(self) -> dict[str, Any] | None:
        """The seed's ``profile_data`` (name, tier, last_interaction, preferences)."""
        return None if self.customer is None else profile_data(self.customer)

    @property
    def social_graph(self) -> dict[str, Any]:
        """Every linked account and email of the resolved customer, else ``{}``."""
        return {} if self.customer is None else social_graph(self.customer, self.accounts)

    @property
    def tier(self) -> str | None:
        """The resolved customer's tier (cheap shortcut of ``profile_data["tier"]``)."""
        return None if self.customer is None else self.customer.tier

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer of ``POST /api/v1/resolve``."""
        return {
            "resolved": self.resolved,
            "customer_id": self.customer_id,
            "profile_data": self.profile_data,
            "social_graph": self.social_graph,
            "confidence": round(self.confidence, 4),
            "method": self.method,
            "review": self.review,
            "reasons": list(self.reasons),
            "agent_notice": self.agent_notice,
            "candidates": list(self.candidates),
            "profile_source": self.profile_source,
        }

    @classmethod
    def refused(cls, method: str, reasons: tuple[str, ...]) -> ResolveAnswer:
        """An answer for a message that was not resolved at all (bot, rate limit)."""
        return cls(False, None, 0.0, method, False, reasons)


@dataclass(frozen=True, slots=True)
class LeadOutcome:
    """What :meth:`Resolver.capture_lead` did for an unresolved sender.

    Attributes:
        action: ``created`` (new lead), ``existing`` (this sender's lead already existed)
            or ``attached`` (an email matched a customer: account linked, no lead).
        lead_id: the lead concerned, ``None`` when attached.
        customer_id: the customer attached to, ``None`` otherwise.
        needs_review: the lead awaits a data steward (every new lead is tagged).
    """

    action: Literal["created", "existing", "attached"]
    lead_id: str | None
    customer_id: str | None
    needs_review: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "action": self.action,
            "lead_id": self.lead_id,
            "customer_id": self.customer_id,
            "needs_review": self.needs_review,
        }
