"""The in-process target: the reference resolver called directly, with a controllable clock."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.errors import InvalidInput, NotFound
from tests.bdd.irp.base import CustomerFixture, IRPDriver, Reply, Unsupported

_KNOBS = ("threshold", "rate_limit", "cache_ttl_s", "known_bots")


class ManualClock:
    """A clock that moves only when told to; starts at the real time so ages make sense."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        self.now += seconds


def _error(exc: InvalidInput, status: int = 400) -> Reply:
    return Reply(status, exc.to_dict())


class InProcessIRP(IRPDriver):
    """Drives :class:`simulator.identity.Resolver` in this process.

    The store survives reconfiguration: changing the threshold or the rate limit rebuilds
    the resolver around the same identity store, as restarting a service would.
    """

    name = "in_process"

    def __init__(self) -> None:
        super().__init__()
        from simulator.identity import IdentityStore

        self.clock = ManualClock()
        self.store = IdentityStore()
        self.settings: dict[str, Any] = {
            "threshold": 0.85,
            "rate_limit": 100,
            "cache_ttl_s": 300.0,
            "known_bots": (),
        }
        self._resolver: Any = None

    # --- plumbing ---------------------------------------------------------------------------

    @property
    def resolver(self) -> Any:
        """The resolver, built on first use from the current settings."""
        if self._resolver is None:
            from simulator.identity import ProfileCache, RateLimiter, Resolver

            self._resolver = Resolver(
                self.store,
                threshold=self.settings["threshold"],
                clock=self.clock,
                rate_limiter=RateLimiter(limit=self.settings["rate_limit"], window_s=60),
                cache=ProfileCache(ttl_s=self.settings["cache_ttl_s"]),
            )
        return self._resolver

    def now(self) -> float:
        """The manual clock's time."""
        return self.clock.now

    def advance(self, seconds: float) -> None:
        """Move the manual clock."""
        self.clock.advance(seconds)

    def configure(self, **settings: Any) -> None:
        """Change settings and rebuild the resolver (raises the resolver's own errors)."""
        unknown = set(settings) - set(_KNOBS)
        if unknown:
            raise Unsupported(f"in_process: no setting named {sorted(unknown)}")
        previous = dict(self.settings)
        self.settings.update(settings)
        self._resolver = None
        try:
            _ = self.resolver
        except Exception:
            self.settings = previous
            self._resolver = None
            raise

    # --- data arrangement -------------------------------------------------------------------

    def load_customers(self, customers: Sequence[CustomerFixture], *, reset: bool) -> None:
        """Add (or replace) customers and link their accounts."""
        if reset:
            from simulator.identity import IdentityStore

            self.store = IdentityStore()
            self._resolver = None
        for c in customers:
            self.store.add_customer(
                c.customer_id,
                name=c.name,
                tier=c.tier,
                emails=c.emails,
                preferences=dict(c.preferences) or None,
                profile_updated_at=c.profile_updated_at,
            )
            for a in c.accounts:
                self.store.link_account(c.customer_id, a.platform, a.user_id, a.handle)

    # --- the contract -----------------------------------------------------------------------

    def resolve(self, request: Mapping[str, Any]) -> Reply:
        """Resolve one request; errors become 400 replies, the rate limit a 429."""
        self.resolve_calls += 1
        try:
            answer = self.resolver.resolve(dict(request))
        except InvalidInput as exc:
            return _error(exc)
        body = answer.to_dict()
        if "rate_limited" in body.get("reasons", ()):
            # the Python answer has no headers; map it as the reference service does
            return Reply(429, body, {"Retry-After": "60"})
        return Reply(200, body)

    def capture_lead(self, request: Mapping[str, Any]) -> Reply:
        """Resolve, then capture a lead for an unresolved sender."""
        try:
            answer = self.resolver.resolve(dict(request))
            outcome = self.resolver.capture_lead(dict(request), answer)
        except InvalidInput as exc:
            return _error(exc)
        return Reply(200, _as_dict(outcome))

    def customer(self, customer_id: str) -> Reply:
        """The customer with its accounts and their handle histories."""
        customer = self.store.get_customer(customer_id)
        if customer is None:
            return Reply(404, {"field": "customer_id", "error": "not found", "allowed": ""})
        accounts = [
            {
                "platform": a.platform,
                "user_id": a.user_id,
                "handle": a.handle,
                "history": [h.handle for h in a.history],
            }
            for a in self.store.accounts_of(customer_id)
        ]
        return Reply(200, {"customer_id": customer_id, "tier": customer.tier, "accounts": accounts})

    def link(self, customer_id: str, platform: str, user_id: str, handle: str) -> Reply:
        """Confirm a review: link the account to the customer."""
        try:
            self.resolver.link_confirmed(customer_id, platform, user_id, handle)
        except (InvalidInput, NotFound) as exc:
            return Reply(400, {"error": str(exc)})
        return Reply(200, {"linked": True})

    def not_same(self, customer_id: str, platform: str, user_id: str) -> Reply:
        """Store a "not the same person" decision."""
        try:
            self.resolver.mark_not_same(customer_id, platform, user_id)
        except (InvalidInput, NotFound) as exc:
            return Reply(400, {"error": str(exc)})
        return Reply(200, {"stored": True})

    def bot_check(self, user_id: str, message: str, account_created_at: float) -> Reply:
        """Run the bot guard with the configured known-bot list."""
        from simulator.identity import BotGuard

        guard = BotGuard(known_bot_ids=self.settings["known_bots"])
        verdict = guard.check(
            user_id=user_id, message=message, account_created_at=account_created_at, now=self.now()
        )
        return Reply(200, {"bot": verdict.is_bot, "reasons": list(verdict.reasons)})

    def fingerprint(self, customer_ids: Sequence[str]) -> Any:
        """Customers, accounts and the store's counts (leads included)."""
        return {
            "customers": super().fingerprint(customer_ids),
            "stats": self.store.snapshot_stats(),
        }


def _as_dict(value: Any) -> dict[str, Any]:
    if hasattr(value, "to_dict"):
        return dict(value.to_dict())
    return {
        name: getattr(value, name)
        for name in ("action", "lead_id", "customer_id", "needs_review")
        if hasattr(value, name)
    }
