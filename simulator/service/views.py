"""JSON views of store values for the HTTP answers (times as ISO 8601 UTC)."""

from __future__ import annotations

from typing import Any

from simulator.identity.answer import iso_utc as iso
from simulator.identity.answer import social_graph
from simulator.identity.store import Account, Customer, Lead

__all__ = ["account_view", "customer_view", "iso", "lead_outcome_view", "lead_view"]


def account_view(account: Account) -> dict[str, Any]:
    """One linked account with the provenance of its link and its handle history."""
    return {
        "platform": account.platform,
        "user_id": account.user_id,
        "handle": account.handle,
        "method": account.method,
        "confidence": account.confidence,
        "linked_at": iso(account.linked_at),
        "history": [{"handle": h.handle, "until": iso(h.until)} for h in account.history],
    }


def customer_view(customer: Customer, accounts: tuple[Account, ...]) -> dict[str, Any]:
    """A customer with its profile, every linked account and the answer's ``social_graph``."""
    return {
        "customer_id": customer.customer_id,
        "name": customer.name,
        "tier": customer.tier,
        "emails": list(customer.emails),
        "preferences": dict(customer.preferences),
        "last_interaction": iso(customer.last_interaction),
        "profile_updated_at": iso(customer.profile_updated_at),
        "accounts": [account_view(account) for account in accounts],
        "social_graph": social_graph(customer, accounts),
    }


def lead_view(lead: Lead) -> dict[str, Any]:
    """A lead as stored."""
    return {
        "lead_id": lead.lead_id,
        "platform": lead.platform,
        "handle": lead.handle,
        "user_id": lead.user_id,
        "email": lead.email,
        "created_at": iso(lead.created_at),
        "messages": lead.messages,
        "needs_review": lead.needs_review,
        "candidates": list(lead.candidates),
    }


def lead_outcome_view(outcome: Any) -> dict[str, Any]:
    """The resolver's ``LeadOutcome`` as JSON."""
    to_dict = getattr(outcome, "to_dict", None)
    if callable(to_dict):
        body: dict[str, Any] = dict(to_dict())
        return body
    return {
        "action": outcome.action,
        "lead_id": outcome.lead_id,
        "customer_id": outcome.customer_id,
        "needs_review": outcome.needs_review,
    }
