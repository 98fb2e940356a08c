"""Lead capture: deduplicated by user id, email and handle; email attaches instead."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.errors import InvalidRequest
from simulator.identity import IdentityStore, LeadOutcome, Resolver


def capture(resolver: Resolver, **request: Any) -> LeadOutcome:
    answer = resolver.resolve(request)
    return resolver.capture_lead(request, answer)


def test_one_unknown_user_makes_one_lead(resolver: Resolver, store: IdentityStore) -> None:
    first = capture(resolver, handle="zed", channel="x", user_id="42")
    assert first.action == "created" and first.lead_id == "LEAD-00000001"
    for _ in range(3):
        again = capture(resolver, handle="zed", channel="x", user_id="42")
        assert (again.action, again.lead_id) == ("existing", first.lead_id)
    lead = store.get_lead(first.lead_id)
    assert lead is not None and lead.messages == 4
    assert store.lead_count() == 1


def test_a_renamed_unknown_user_keeps_its_lead(resolver: Resolver) -> None:
    first = capture(resolver, handle="zed", channel="x", user_id="42")
    again = capture(resolver, handle="zed_new", channel="x", user_id="42")
    assert again.lead_id == first.lead_id


def test_without_user_id_the_handle_dedupes(resolver: Resolver) -> None:
    first = capture(resolver, handle="zed", channel="x")
    assert capture(resolver, handle="@ZED", channel="x").lead_id == first.lead_id


def test_email_dedupes_across_platforms(resolver: Resolver) -> None:
    first = capture(resolver, handle="zed", channel="x", user_id="42", email="zed@example.org")
    other = capture(
        resolver, handle="zed.ig", channel="instagram", user_id="i9", email="zed@example.org"
    )
    assert (other.action, other.lead_id) == ("existing", first.lead_id)


def test_email_match_attaches_instead_of_creating(store: IdentityStore, resolver: Resolver) -> None:
    request = {
        "handle": "mm",
        "channel": "instagram",
        "user_id": "ig-5",
        "email": "mary@example.com",
    }
    answer = Resolver(store, threshold=0.99, clock=lambda: 0.0).resolve(request)
    assert not answer.resolved
    outcome = resolver.capture_lead(request, answer)
    assert outcome == LeadOutcome("attached", None, "CRM_2", False)
    assert store.lead_count() == 0
    account = store.get_account("instagram", "ig-5")
    assert account is not None and account.customer_id == "CRM_2"


def test_lead_with_a_near_candidate_needs_review(resolver: Resolver, store: IdentityStore) -> None:
    outcome = capture(resolver, handle="j0hn_doe", channel="x", user_id="66")
    assert outcome.action == "created" and outcome.needs_review
    lead = store.get_lead(outcome.lead_id or "")
    assert lead is not None and lead.candidates == ("CRM_1",)


def test_every_new_lead_needs_review_even_without_candidates(
    resolver: Resolver, store: IdentityStore
) -> None:
    outcome = capture(resolver, handle="zed", channel="x", user_id="42")
    assert outcome.action == "created" and outcome.needs_review
    lead = store.get_lead(outcome.lead_id or "")
    assert lead is not None and lead.candidates == ()


def test_resolved_answers_are_not_leads(resolver: Resolver) -> None:
    request = {"handle": "john_doe", "channel": "x", "user_id": "123456789"}
    with pytest.raises(InvalidRequest, match=r"answer\.resolved"):
        resolver.capture_lead(request, resolver.resolve(request))
