"""The evidence ladder: from one inbound message to a customer, a review or a guest.

Evidence, strongest first (DESIGN.md, "The resolver"):

1. the platform user id already linked (1.0); a new handle for it is a handle change;
2. the same normalized handle on the same platform when no user id contradicts it (0.90);
   the same handle under another user id means the handle was released and reused;
   a *suspect* raw handle (NFKC, invisible characters, another script) never merges;
3. a verified email held by exactly one customer (0.95): the account becomes an alias;
4. look-alikes (skeleton, loose key) and near matches are review candidates only;
5. the same handle on another platform is a cross-platform review candidate.

Over-merge guards: only links at or above the threshold count as evidence (no chaining
through weak links); an email held by more than ``max_customers_per_identifier``
customers is ignored; "not the same person" decisions filter every candidate.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rapidfuzz import fuzz

from simulator.errors import NotFound
from simulator.identity import leads, linking
from simulator.identity.answer import LeadOutcome, ResolveAnswer
from simulator.identity.cache import ProfileCache, agent_notice
from simulator.identity.findings import Findings, make_answer
from simulator.identity.guard import BotGuard, RateLimiter
from simulator.identity.handles import Platform
from simulator.identity.keys import handle_keys
from simulator.identity.linking import EMAIL_CONFIDENCE
from simulator.identity.store import Account, AuditEntry, StoreBackend
from simulator.identity.validate import ResolveRequest, check_confidence, parse_request

USER_ID_CONFIDENCE = 1.0
HANDLE_CONFIDENCE = 0.90
_LOOKALIKE_BASE, _LOOKALIKE_SPAN = 0.50, 0.30
_CROSS_BASE, _CROSS_SPAN = 0.40, 0.20
_SEPARATORS = re.compile(r"[_.\-]+")
_PLATFORM_NAMES: tuple[str, ...] = tuple(p.value for p in Platform)


def _customer_of(account: Account | None) -> str | None:
    return None if account is None else account.customer_id


class Resolver:
    """Resolves social handles to customers over any :class:`StoreBackend`.

    Args:
        store: the identity graph.
        threshold: auto-merge only at or above this confidence (default 0.85).
        clock: POSIX seconds now; injected so simulations use simulated time.
        rate_limiter: per-user-id limit; refused requests answer ``("rate_limited",)``.
        cache: profile cache (TTL <= 300 s); Platinum customers always bypass it.
        notice_window_s: profiles changed within this window get an agent notice.
        bot_guard: optional guard run before resolution; bots answer ``method="bot"``.
        max_customers_per_identifier: an email held by more customers is ignored.
    """

    def __init__(
        self,
        store: StoreBackend,
        *,
        threshold: float = 0.85,
        clock: Callable[[], float] = time.time,
        rate_limiter: RateLimiter | None = None,
        cache: ProfileCache | None = None,
        notice_window_s: float = 3600.0,
        bot_guard: BotGuard | None = None,
        max_customers_per_identifier: int = 3,
    ) -> None:
        self.store = store
        self.threshold = check_confidence(threshold, "threshold")
        self._clock = clock
        self._limiter = rate_limiter
        self._cache = cache
        self._notice_window_s = float(notice_window_s)
        self._guard = bot_guard
        self._max_ids = max(1, int(max_customers_per_identifier))

    # -- public API --------------------------------------------------------------------

    def resolve(self, request: Mapping[str, Any] | ResolveRequest) -> ResolveAnswer:
        """Resolve one message's sender.

        Args:
            request: ``{"handle", "channel", "user_id"?, "email"?, "display_name"?}`` plus
                optional ``message`` and ``account_created_at`` for the bot guard, or the
                :class:`ResolveRequest` that :func:`parse_request` made of it.

        Raises:
            InvalidInput: a malformed request (the store is not touched).
        """
        req = request if type(request) is ResolveRequest else parse_request(request)
        now = self._clock()
        if self._guard is not None:
            verdict = self._guard.check(
                user_id=req.user_id,
                message=req.message,
                account_created_at=req.account_created_at,
                now=now,
            )
            if verdict.is_bot:
                return ResolveAnswer.refused("bot", ("bot", *verdict.reasons))
        if self._limiter is not None:
            key = req.user_id or f"handle:{req.platform}:{req.handle.normalized}"
            if not self._limiter.allow(key, now):
                self._log_refusal(req, now)
                return ResolveAnswer.refused("rate_limited", ("rate_limited",))
        if req.user_id is None:
            return self._climb(req, None, now)
        account = self.store.get_account(req.platform, req.user_id)
        if account is not None and account.confidence >= self.threshold:
            # Step 1. Most traffic: a returning sender, under the handle we know.
            if account.handle == req.handle.normalized:
                cid = account.customer_id
                return self._resolved(cid, USER_ID_CONFIDENCE, "user_id", (), now)
            return self._handle_moved(req, account, now)
        return self._climb(req, account, now)

    def _log_refusal(self, req: ResolveRequest, now: float) -> None:
        """Refused requests go to the audit log for security review (seed, Edge Case 2)."""
        assert self._limiter is not None
        detail = f"over {self._limiter.limit} requests per {self._limiter.window_s:g} s"
        if req.user_id is None:
            detail += f"; handle {req.handle.normalized}"
        self.store.append_audit(
            AuditEntry(now, "rate_limited", None, req.platform, req.user_id, detail)
        )

    def capture_lead(
        self, request: Mapping[str, Any] | ResolveRequest, answer: ResolveAnswer
    ) -> LeadOutcome:
        """Record an unresolved sender as a lead, deduplicated (see :mod:`.leads`).

        ``request`` is as for :meth:`resolve`.

        Raises:
            InvalidInput: malformed request, or an answer that was resolved.
        """
        req = request if type(request) is ResolveRequest else parse_request(request)
        return leads.capture(self.store, req, answer, self._clock(), self._email_customers)

    def link_confirmed(self, customer_id: str, platform: str, user_id: str, handle: str) -> None:
        """A reviewer confirmed the match: link this account to the customer (one call)."""
        linking.link_account(
            self.store,
            customer_id,
            platform,
            user_id,
            handle,
            method="review",
            confidence=1.0,
            at=self._clock(),
            audit=True,
        )
        if self._cache is not None:
            self._cache.invalidate(customer_id)

    def mark_not_same(self, customer_id: str, platform: str, user_id: str) -> None:
        """A reviewer decided the account is not this customer; later answers respect it."""
        linking.mark_not_same(self.store, customer_id, platform, user_id, self._clock())
        if self._cache is not None:
            self._cache.invalidate(customer_id)

    # -- the ladder --------------------------------------------------------------------

    def _handle_moved(self, req: ResolveRequest, account: Account, now: float) -> ResolveAnswer:
        """Step 1 when the user id's account is known under another handle."""
        if req.handle.suspect:
            reasons = ("suspect_handle",)
        else:
            linking.change_handle(self.store, account, req.handle.normalized, now)
            reasons = ("handle_changed",)
        return self._resolved(account.customer_id, USER_ID_CONFIDENCE, "user_id", reasons, now)

    def _climb(self, req: ResolveRequest, weak: Account | None, now: float) -> ResolveAnswer:
        """Steps 2 to 5, for a sender whose user id is unknown or only weakly linked.

        Args:
            req: the request.
            weak: the account of the request's user id, linked below the threshold.
            now: POSIX seconds now.
        """
        found = Findings()
        if weak is not None:
            found.candidate(weak.customer_id, weak.confidence, "weak_link")
        handle_customer = self._handle_evidence(req, found)
        if weak is not None and handle_customer not in (None, weak.customer_id):
            found.candidate(handle_customer, HANDLE_CONFIDENCE / 2, "conflicting_evidence")
            handle_customer = None
        email_customer = None
        if req.email is not None:
            email_customer = self._email_evidence(req, found, handle_customer or _customer_of(weak))
        if email_customer is not None:
            if req.user_id is not None and not req.handle.suspect:
                linking.link_email_alias(self.store, email_customer, req, now)
            found.reason("email_alias")
            return self._resolved(
                email_customer, EMAIL_CONFIDENCE, "email", tuple(found.reasons), now
            )
        if handle_customer is not None and "conflicting_evidence" not in found.reasons:
            if self.threshold <= HANDLE_CONFIDENCE:
                return self._resolved(
                    handle_customer, HANDLE_CONFIDENCE, "handle", tuple(found.reasons), now
                )
            found.candidate(handle_customer, HANDLE_CONFIDENCE, "handle_match")
        sk, loose = handle_keys(req.handle.normalized)
        self._lookalikes(req, sk, loose, found)
        self._cross_platform(req, loose, found)
        return found.answer()

    def _strong(self, accounts: Sequence[Account], req: ResolveRequest) -> list[Account]:
        """Accounts whose link counts as evidence and that no decision rules out."""
        if not accounts:  # most lookups find nothing
            return []
        uid = req.user_id
        return [
            a
            for a in accounts
            if a.confidence >= self.threshold
            and not (uid is not None and self.store.is_not_same(a.customer_id, a.platform, uid))
        ]

    def _handle_evidence(self, req: ResolveRequest, found: Findings) -> str | None:
        """Step 2: the customer an exact handle match points to, if it may merge."""
        accounts = self.store.accounts_by_handle(req.platform, req.handle.normalized)
        if not accounts:  # most lookups find nothing
            return None
        matches = self._strong(accounts, req)
        if not matches:
            return None
        if req.handle.suspect:
            for account in matches:
                found.candidate(
                    account.customer_id, self._lookalike_score(req, account), "homoglyph_suspect"
                )
            return None
        if req.user_id is not None:
            found.reason("handle_reused")
            return None
        customers = {a.customer_id for a in matches}
        if len(customers) > 1:
            for cid in sorted(customers):
                found.candidate(cid, HANDLE_CONFIDENCE / 2, "ambiguous_handle")
            return None
        return matches[0].customer_id

    def _email_customers(self, email: str, platform: str, user_id: str | None) -> tuple[str, ...]:
        """Customers holding a CRM email, minus "not the same" decisions for this account."""
        ids = self.store.customer_ids_by_email(email)
        if user_id is None or not ids:
            return ids
        is_not_same = self.store.is_not_same
        return tuple([c for c in ids if not is_not_same(c, platform, user_id)])

    def _email_evidence(
        self, req: ResolveRequest, found: Findings, handle_customer: str | None
    ) -> str | None:
        """Step 3: the one customer a verified email names, if nothing contradicts it.

        Only called for a request with an email.
        """
        assert req.email is not None
        ids = self._email_customers(req.email, req.platform, req.user_id)
        if len(ids) > self._max_ids:
            found.reason("identifier_overloaded")
            return None
        if len(ids) > 1:
            for cid in ids:
                found.candidate(cid, EMAIL_CONFIDENCE / 2, "ambiguous_email")
            return None
        if not ids:
            return None
        cid = ids[0]
        if handle_customer is not None and handle_customer != cid:
            found.candidate(cid, EMAIL_CONFIDENCE / 2, "conflicting_evidence")
            found.candidate(handle_customer, HANDLE_CONFIDENCE / 2, "conflicting_evidence")
            return None
        if self.threshold > EMAIL_CONFIDENCE:
            found.candidate(cid, EMAIL_CONFIDENCE, "email_match")
            return None
        return cid

    def _lookalike_score(self, req: ResolveRequest, account: Account) -> float:
        similarity = fuzz.ratio(req.handle.normalized, account.handle) / 100.0
        return round(_LOOKALIKE_BASE + _LOOKALIKE_SPAN * similarity, 4)

    def _lookalikes(self, req: ResolveRequest, sk: str, loose: str, found: Findings) -> None:
        """Step 4: same-platform look-alikes; review candidates, never merged."""
        by_skeleton = self.store.accounts_by_skeleton(req.platform, sk)
        by_loose = self.store.accounts_by_loose_key(req.platform, loose)
        if not (by_skeleton or by_loose):  # most handles have no look-alike
            return
        handle = req.handle
        normalized, suspect, uid = handle.normalized, handle.suspect, req.user_id
        letters = None  # the handle without separators, once a near match needs it
        seen: set[str] = set()
        for pool in (by_skeleton, by_loose):
            # Seen accounts are skipped before the strength check: an account found by
            # both keys is the same account, as strong the second time as the first.
            fresh = [a for a in pool if a.user_id not in seen and a.user_id != uid]
            for account in self._strong(fresh, req):
                seen.add(account.user_id)
                if account.handle == normalized and not suspect:
                    continue  # an exact match: judged by the handle step
                code = "homoglyph_suspect"
                if not suspect:
                    if letters is None:
                        letters = _SEPARATORS.sub("", normalized)
                    if _SEPARATORS.sub("", account.handle) == letters:
                        code = "near_match"
                found.candidate(account.customer_id, self._lookalike_score(req, account), code)

    def _cross_platform(self, req: ResolveRequest, loose: str, found: Findings) -> None:
        """Step 5: the same (loose) handle on another platform; a review candidate."""
        for platform in _PLATFORM_NAMES:
            if platform == req.platform:
                continue
            pool = self.store.accounts_by_loose_key(platform, loose)
            if not pool:  # most handles are on one platform only
                continue
            for account in self._strong(pool, req):
                score = _CROSS_BASE + _CROSS_SPAN * self._name_similarity(req, account)
                found.candidate(account.customer_id, round(score, 4), "cross_platform_candidate")

    def _name_similarity(self, req: ResolveRequest, account: Account) -> float:
        if req.display_name is None:
            return 0.0
        customer = self.store.get_customer(account.customer_id)
        if customer is None:
            return 0.0
        return fuzz.token_sort_ratio(req.display_name.casefold(), customer.name.casefold()) / 100

    # -- answers -----------------------------------------------------------------------

    def _resolved(
        self,
        customer_id: str,
        confidence: float,
        method: str,
        reasons: tuple[str, ...],
        now: float,
    ) -> ResolveAnswer:
        """A resolved answer, with the customer's profile from the cache or the CRM.

        Platinum customers are always read from the CRM (their cached profile is ignored).
        """
        cache = self._cache
        customer = None if cache is None else cache.get(customer_id, now)
        if customer is not None and customer.tier != "Platinum":
            source = "cache"
        else:
            customer = self.store.get_customer(customer_id)
            if customer is None:
                raise NotFound(f"customer {customer_id!r} is linked but does not exist")
            if cache is not None and customer.tier != "Platinum":
                cache.put(customer, now)
            source = "crm"
        threshold = self.threshold
        accounts = self.store.accounts_of(customer_id)
        for account in accounts:
            if account.confidence < threshold:  # weak links stay out of the graph
                accounts = tuple(a for a in accounts if a.confidence >= threshold)
                break
        updated = customer.profile_updated_at
        window_s = self._notice_window_s
        notice = None
        if updated is not None and not now - updated > window_s:  # else no notice: skip the call
            notice = agent_notice(updated, now, window_s)
        return make_answer(
            True,
            customer_id,
            confidence,
            method,
            False,
            reasons,
            notice,
            (),
            source,
            customer,
            accounts,
        )
