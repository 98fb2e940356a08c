"""The reference Identity Resolution Platform: pure logic, no SimPy, no I/O.

One resolver, three drivers: the simulator engine, the HTTP service and the BDD steps all
call :class:`Resolver` over a :class:`StoreBackend` (:class:`IdentityStore` in memory, or
the SQLite store of :mod:`simulator.service`).

Example:
    >>> store = IdentityStore()
    >>> store.add_customer("CRM_1", name="John Doe", tier="Gold")
    >>> store.link_account("CRM_1", "twitter", "123456789", "@john_doe")
    >>> Resolver(store, clock=lambda: 0.0).resolve(
    ...     {"handle": "@j0hn_doe", "channel": "x", "user_id": "99"}).reasons
    ('homoglyph_suspect', 'below_threshold')
"""

from __future__ import annotations

from simulator.identity.answer import LeadOutcome, ResolveAnswer
from simulator.identity.cache import MAX_TTL_S, ProfileCache, agent_notice, elapsed_text
from simulator.identity.guard import DEFAULT_SPAM_KEYWORDS, BotGuard, BotVerdict, RateLimiter
from simulator.identity.handles import (
    ParsedHandle,
    Platform,
    normalize_handle,
    parse_channel,
    parse_handle,
)
from simulator.identity.keys import UNICODE_DATA_VERSION, loose_key, skeleton
from simulator.identity.memory import IdentityStore, InMemoryStore
from simulator.identity.resolver import Resolver
from simulator.identity.store import (
    LINK_METHODS,
    TIERS,
    Account,
    AuditEntry,
    Customer,
    HandleChange,
    Lead,
    Link,
    StoreBackend,
)

__all__ = [
    "DEFAULT_SPAM_KEYWORDS",
    "LINK_METHODS",
    "MAX_TTL_S",
    "TIERS",
    "UNICODE_DATA_VERSION",
    "Account",
    "AuditEntry",
    "BotGuard",
    "BotVerdict",
    "Customer",
    "HandleChange",
    "IdentityStore",
    "InMemoryStore",
    "Lead",
    "LeadOutcome",
    "Link",
    "ParsedHandle",
    "Platform",
    "ProfileCache",
    "RateLimiter",
    "ResolveAnswer",
    "Resolver",
    "StoreBackend",
    "agent_notice",
    "elapsed_text",
    "loose_key",
    "normalize_handle",
    "parse_channel",
    "parse_handle",
    "skeleton",
]
