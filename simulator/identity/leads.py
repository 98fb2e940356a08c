"""Lead capture for unresolved senders, without polluting the CRM with duplicates.

Order of checks (the seed's "Duplicate Lead Creation" trap):

1. a verified email held by exactly one customer, with no competing candidate: link the
   account to that customer as an alias (``attached``), no lead;
2. an existing lead for the same user id, else the same email, else (when no user id is
   known) the same handle on the same platform: that lead (``existing``);
3. otherwise a new lead (``created``). Every new lead is tagged ``needs_review`` (the seed's
   "Alerting" fix: a data steward merges it later if a match turns up), and carries the
   near candidates, if any, that the steward should look at first.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.errors import InvalidRequest
from simulator.identity import linking
from simulator.identity._frozen import maker
from simulator.identity.answer import LeadOutcome, ResolveAnswer
from simulator.identity.store import Lead, StoreBackend, make_audit
from simulator.identity.validate import ResolveRequest

EmailCustomers = Callable[[str, str, "str | None"], tuple[str, ...]]
_lead = maker(Lead)
_outcome = maker(LeadOutcome)


def capture(
    store: StoreBackend,
    req: ResolveRequest,
    answer: ResolveAnswer,
    now: float,
    email_customers: EmailCustomers,
) -> LeadOutcome:
    """Attach, reuse or create a lead for an unresolved sender (all-or-nothing).

    Raises:
        InvalidRequest: the answer was resolved (a known customer is not a lead).
    """
    if answer.resolved:
        raise InvalidRequest("answer.resolved", True, "an unresolved answer (resolved: false)")
    with store.transaction():
        if req.email is not None:
            attached = _attach_by_email(store, req, answer, now, email_customers)
            if attached is not None:
                return attached
        lead = _find_lead(store, req)
        if lead is not None:
            return _touch(store, lead, req, answer)
        return _create(store, req, answer, now)


def _attach_by_email(
    store: StoreBackend,
    req: ResolveRequest,
    answer: ResolveAnswer,
    now: float,
    email_customers: EmailCustomers,
) -> LeadOutcome | None:
    """Step 1, for a request with an email."""
    assert req.email is not None
    ids = email_customers(req.email, req.platform, req.user_id)
    if len(ids) != 1 or any(c != ids[0] for c in answer.candidates):
        return None
    cid = ids[0]
    known = None if req.user_id is None else store.get_account(req.platform, req.user_id)
    if known is not None and known.customer_id != cid:
        return None
    if req.user_id is not None and known is None:
        if req.handle.suspect:
            return None
        linking.link_email_alias(store, cid, req, now)
    else:
        detail = f"alias handle {req.handle.normalized} by email"
        store.append_audit(make_audit(now, "alias", cid, req.platform, req.user_id, detail))
    return _outcome("attached", None, cid, False)


def _find_lead(store: StoreBackend, req: ResolveRequest) -> Lead | None:
    if req.user_id is not None:
        lead = store.lead_by_user(req.platform, req.user_id)
        if lead is not None:
            return lead
    if req.email is not None:
        lead = store.lead_by_email(req.email)
        if lead is not None:
            return lead
    if req.user_id is None:
        return store.lead_by_handle(req.platform, req.handle.normalized)
    return None


def _touch(
    store: StoreBackend, lead: Lead, req: ResolveRequest, answer: ResolveAnswer
) -> LeadOutcome:
    candidates = tuple(dict.fromkeys((*lead.candidates, *answer.candidates)))
    updated = _lead(
        lead.lead_id,
        lead.platform,
        lead.handle if req.handle.suspect else req.handle.normalized,
        lead.user_id or req.user_id,
        lead.email or req.email,
        lead.created_at,
        lead.messages + 1,
        lead.needs_review or answer.review or bool(answer.candidates),
        candidates,
    )
    store.put_lead(updated)
    return _outcome("existing", lead.lead_id, None, updated.needs_review)


def _create(
    store: StoreBackend, req: ResolveRequest, answer: ResolveAnswer, now: float
) -> LeadOutcome:
    lead_id = f"LEAD-{store.lead_count() + 1:08d}"
    needs_review = True
    lead = _lead(
        lead_id,
        req.platform,
        req.handle.normalized,
        req.user_id,
        req.email,
        now,
        1,
        needs_review,
        answer.candidates,
    )
    store.put_lead(lead)
    detail = "needs_review; candidates: " + (", ".join(answer.candidates) or "none")
    store.append_audit(make_audit(now, "lead_created", None, req.platform, req.user_id, detail))
    return _outcome("created", lead_id, None, needs_review)
