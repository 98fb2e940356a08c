"""Bot guard, rate limiter, profile cache and the agent notice."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import InvalidInput
from simulator.identity import BotGuard, IdentityStore, ProfileCache, RateLimiter, Resolver
from simulator.identity.cache import elapsed_text

from .conftest import NOW, FakeClock

DAY = 86_400.0


def test_bot_guard_reasons() -> None:
    guard = BotGuard(known_bot_ids=["b1"])
    assert guard.check(user_id="b1", account_created_at=None, now=NOW).reasons == ("known_bot",)
    spam = guard.check(user_id="u", message="FREE followers here", account_created_at=None, now=NOW)
    assert spam.is_bot and spam.reasons == ("spam_keywords",)
    young = guard.check(user_id="u", account_created_at=NOW - 6 * DAY, now=NOW)
    assert young.reasons == ("new_account",)
    old = guard.check(user_id="u", message="hello", account_created_at=NOW - 8 * DAY, now=NOW)
    assert not old.is_bot and old.reasons == ()


def test_resolver_answers_bots_without_resolving(store: IdentityStore, clock: FakeClock) -> None:
    resolver = Resolver(store, clock=clock, bot_guard=BotGuard(known_bot_ids=["123456789"]))
    answer = resolver.resolve({"handle": "john_doe", "channel": "x", "user_id": "123456789"})
    assert not answer.resolved and answer.method == "bot" and answer.reasons[0] == "bot"


def test_rate_limiter_window() -> None:
    limiter = RateLimiter(limit=3, window_s=60)
    assert [limiter.allow("u", 0.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("other", 1.0)
    assert not limiter.allow("u", 59.9)
    assert limiter.allow("u", 60.0)


def test_resolver_rate_limits_per_user_id(store: IdentityStore, clock: FakeClock) -> None:
    resolver = Resolver(store, clock=clock, rate_limiter=RateLimiter())
    request = {"handle": "john_doe", "channel": "x", "user_id": "123456789"}
    answers = [resolver.resolve(request) for _ in range(101)]
    assert all(a.resolved for a in answers[:100])
    assert answers[100].reasons == ("rate_limited",) and not answers[100].resolved
    clock.advance(60)
    assert resolver.resolve(request).resolved


@pytest.mark.parametrize("ttl", [301, 0, -1, "300"])
def test_cache_ttl_is_at_most_five_minutes(ttl: object) -> None:
    with pytest.raises(InvalidInput, match="ttl_s"):
        ProfileCache(ttl)  # type: ignore[arg-type]


def test_cache_serves_until_ttl_then_rereads(store: IdentityStore, clock: FakeClock) -> None:
    resolver = Resolver(store, clock=clock, cache=ProfileCache(300))
    ask = {"handle": "mary.major", "channel": "instagram", "user_id": "555"}
    assert resolver.resolve(ask).profile_source == "crm"
    store.add_customer("CRM_2", name="Mary Major", tier="Silver", emails=["mary@example.com"])
    cached = resolver.resolve(ask)
    assert cached.profile_source == "cache" and cached.profile_data["tier"] == "Gold"  # type: ignore[index]
    clock.advance(300)
    fresh = resolver.resolve(ask)
    assert fresh.profile_source == "crm" and fresh.profile_data["tier"] == "Silver"  # type: ignore[index]


def test_platinum_bypasses_the_cache(store: IdentityStore, clock: FakeClock) -> None:
    cache = ProfileCache(300)
    resolver = Resolver(store, clock=clock, cache=cache)
    ask = {"handle": "john_doe", "channel": "x", "user_id": "123456789"}
    assert resolver.resolve(ask).profile_source == "crm"
    store.add_customer("CRM_1", name="John Q. Doe", tier="Platinum")
    answer = resolver.resolve(ask)
    assert answer.profile_source == "crm" and answer.profile_data["name"] == "John Q. Doe"  # type: ignore[index]
    assert len(cache) == 0


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (0.2, "just now"),
        (1, "1 second ago"),
        (45, "45 seconds ago"),
        (60, "1 minute ago"),
        (7_199, "1 hour ago"),
        (7_200, "2 hours ago"),
        (3 * DAY, "3 days ago"),
    ],
)
def test_elapsed_wording(age: float, text: str) -> None:
    assert elapsed_text(age) == text


def test_agent_notice_within_the_window(store: IdentityStore, clock: FakeClock) -> None:
    store.add_customer("CRM_3", name="Ana Silva", tier="Silver", profile_updated_at=NOW - 7_200)
    ask = {"handle": "ana_silva", "channel": "x", "user_id": "777"}
    assert Resolver(store, clock=clock).resolve(ask).agent_notice is None
    wide = Resolver(store, clock=clock, notice_window_s=3 * 3600)
    assert wide.resolve(ask).agent_notice == (
        "Note: Customer profile updated 2 hours ago. Verify preferences."
    )
    store.add_customer("CRM_3", name="Ana Silva", tier="Silver", profile_updated_at=NOW - 300)
    assert Resolver(store, clock=clock).resolve(ask).agent_notice == (
        "Note: Customer profile updated 5 minutes ago. Verify preferences."
    )


def test_refused_requests_are_logged_for_security_review(
    store: IdentityStore, clock: FakeClock
) -> None:
    resolver = Resolver(store, clock=clock, rate_limiter=RateLimiter(limit=2))
    request = {"handle": "john_doe", "channel": "x", "user_id": "123456789"}
    for _ in range(5):
        resolver.resolve(request)
    refused = [e for e in store.audit_log() if e.action == "rate_limited"]
    assert len(refused) == 3 and {e.user_id for e in refused} == {"123456789"}


def test_threshold_errors_name_the_threshold(store: IdentityStore) -> None:
    with pytest.raises(InvalidInput) as error:
        Resolver(store, threshold=1.5)
    assert error.value.field == "threshold"


def test_retry_after_says_when_the_oldest_call_leaves_the_window() -> None:
    limiter = RateLimiter(limit=3, window_s=60.0)
    for t in (0.0, 10.0, 20.0):
        assert limiter.allow("u1", t)
    assert limiter.retry_after("u1", 25.0) == 35.0
    assert not limiter.allow("u1", 25.0)
    assert limiter.retry_after("u1", 59.0) == 1.0
    assert limiter.allow("u1", 60.0)
    assert limiter.retry_after("u2", 25.0) == 0.0


class _DequeLimiter:
    """The rate limiter as first written, with a ``deque(maxlen=limit)`` per user id."""

    def __init__(self, limit: int, window_s: float, prune_every: int) -> None:
        self.limit, self.window_s, self.prune_every = limit, window_s, prune_every
        self.seen: dict[str, deque[float]] = {}
        self.calls = 0

    def allow(self, user_id: str, now: float) -> bool:
        self.calls += 1
        if self.calls % self.prune_every == 0:
            idle = [u for u, s in self.seen.items() if not s or now - s[-1] >= self.window_s]
            for uid in idle:
                del self.seen[uid]
        stamps = self.seen.setdefault(user_id, deque(maxlen=self.limit))
        if len(stamps) == self.limit and now - stamps[0] < self.window_s:
            return False
        stamps.append(now)
        return True

    def retry_after(self, user_id: str, now: float) -> float:
        stamps = self.seen.get(user_id)
        if stamps is None or len(stamps) < self.limit:
            return 0.0
        return max(0.0, stamps[0] + self.window_s - now)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=3),
    st.lists(st.tuples(st.sampled_from("abc"), st.floats(0, 200)), max_size=60),
)
def test_rate_limiter_answers_as_the_deque_model(
    limit: int, calls: list[tuple[str, float]]
) -> None:
    """Times may go backwards here, which makes even the periodic pruning visible."""
    limiter = RateLimiter(limit=limit, window_s=30)
    limiter._PRUNE_EVERY = 7
    model = _DequeLimiter(limit, 30.0, prune_every=7)
    for user_id, now in calls:
        assert limiter.allow(user_id, now) == model.allow(user_id, now)
        assert limiter.retry_after(user_id, now) == model.retry_after(user_id, now)
