"""The evidence ladder of DESIGN.md, rung by rung."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.identity import IdentityStore, Resolver

from .conftest import FakeClock


def ask(resolver: Resolver, handle: str, channel: str = "twitter", **extra: Any) -> Any:
    return resolver.resolve({"handle": handle, "channel": channel, **extra})


def test_known_user_id_resolves_with_full_confidence(resolver: Resolver) -> None:
    answer = ask(resolver, "@john_doe", user_id="123456789")
    assert (answer.resolved, answer.customer_id, answer.confidence) == (True, "CRM_1", 1.0)
    assert answer.method == "user_id"
    assert not answer.review


def test_handle_change_updates_the_handle_and_keeps_history(
    resolver: Resolver, store: IdentityStore
) -> None:
    answer = ask(resolver, "@jdoe_official", channel="x", user_id="123456789")
    assert answer.resolved and answer.customer_id == "CRM_1"
    assert "handle_changed" in answer.reasons
    account = store.get_account("twitter", "123456789")
    assert account is not None and account.handle == "jdoe_official"
    assert [h.handle for h in account.history] == ["john_doe"]
    assert store.audit_log()[-1].action == "handle_changed"
    again = ask(resolver, "jdoe_official")
    assert again.resolved and again.method == "handle"


def test_reused_handle_with_another_user_id_is_no_match(resolver: Resolver) -> None:
    answer = ask(resolver, "@john_doe", user_id="999")
    assert not answer.resolved and answer.customer_id is None
    assert "handle_reused" in answer.reasons


def test_handle_alone_resolves_when_no_user_id_is_given(resolver: Resolver) -> None:
    answer = ask(resolver, "  @John_Doe ")
    assert answer.resolved and answer.customer_id == "CRM_1"
    assert answer.method == "handle" and answer.confidence == pytest.approx(0.9)


@pytest.mark.parametrize(
    "variant", ["@j0hn_doe", "jоhn_doe", "ｊｏｈｎ_ｄｏｅ", "jo\u200bhn_doe", "john_d0e"]
)
def test_homoglyphs_are_review_never_merge(resolver: Resolver, variant: str) -> None:
    for extra in ({}, {"user_id": "99"}):
        answer = ask(resolver, variant, **extra)
        assert not answer.resolved
        assert answer.review and "homoglyph_suspect" in answer.reasons
        assert "below_threshold" in answer.reasons
        assert answer.candidates == ("CRM_1",)
        assert answer.confidence < 0.85


def test_suspect_handle_of_a_known_user_id_still_resolves(
    resolver: Resolver, store: IdentityStore
) -> None:
    answer = ask(resolver, "ｊｏｈｎ_ｄｏｅ2", user_id="123456789")
    assert answer.resolved and "suspect_handle" in answer.reasons
    account = store.get_account("twitter", "123456789")
    assert account is not None and account.handle == "john_doe"


def test_separator_only_difference_is_a_near_match(resolver: Resolver) -> None:
    answer = ask(resolver, "mary_major", channel="instagram")
    assert answer.review and "near_match" in answer.reasons
    assert answer.candidates == ("CRM_2",)


def test_verified_email_links_the_account_as_alias(
    resolver: Resolver, store: IdentityStore
) -> None:
    answer = ask(
        resolver, "mm_photos", channel="instagram", user_id="i-42", email="MARY@example.com"
    )
    assert answer.resolved and answer.customer_id == "CRM_2" and answer.method == "email"
    assert "email_alias" in answer.reasons
    account = store.get_account("instagram", "i-42")
    assert account is not None and (account.method, account.customer_id) == ("email", "CRM_2")
    again = ask(resolver, "mm_photos", channel="instagram", user_id="i-42")
    assert again.method == "user_id" and again.customer_id == "CRM_2"


def test_social_graph_lists_every_platform(resolver: Resolver) -> None:
    ask(resolver, "john.doe", channel="instagram", user_id="ig-1", email="john@example.com")
    graph = ask(resolver, "johndoe", channel="linkedin", user_id="urn:li:person:abc").social_graph
    assert graph["twitter_id"] == "123456789" and graph["twitter_handle"] == "john_doe"
    assert graph["instagram_id"] == "ig-1" and graph["instagram_handle"] == "john.doe"
    assert graph["linkedin_url"] == "linkedin.com/in/johndoe"
    assert {a["platform"] for a in graph["accounts"]} == {"twitter", "instagram", "linkedin"}
    assert graph["emails"] == ["john@example.com"]


def test_answer_json_has_the_seed_shape(resolver: Resolver) -> None:
    data = ask(resolver, "@john_doe", user_id="123456789").to_dict()
    assert data["profile_data"] == {
        "name": "John Doe",
        "tier": "Platinum",
        "last_interaction": "2023-10-27T10:00:00Z",
        "preferences": {"preferred_channel": "sms", "language": "en-US"},
    }
    for key in ("resolved", "customer_id", "social_graph", "confidence", "method", "review"):
        assert key in data
    assert isinstance(data["reasons"], list)


def test_cross_platform_same_handle_is_a_review_candidate(resolver: Resolver) -> None:
    answer = ask(resolver, "john_doe", channel="instagram", user_id="ig-7", display_name="John Doe")
    assert not answer.resolved and answer.review
    assert "cross_platform_candidate" in answer.reasons and answer.candidates == ("CRM_1",)


def test_link_confirmed_links_another_platform_in_one_call(resolver: Resolver) -> None:
    resolver.link_confirmed("CRM_1", "instagram", "ig-7", "john_doe")
    answer = ask(resolver, "john_doe", channel="instagram", user_id="ig-7")
    assert answer.resolved and answer.customer_id == "CRM_1"
    assert len(answer.social_graph["accounts"]) == 3


def test_not_same_decision_is_respected(resolver: Resolver, store: IdentityStore) -> None:
    resolver.mark_not_same("CRM_2", "instagram", "ig-9")
    answer = ask(resolver, "mm", channel="instagram", user_id="ig-9", email="mary@example.com")
    assert not answer.resolved
    assert store.get_account("instagram", "ig-9") is None
    near = ask(resolver, "mary_major", channel="instagram", user_id="ig-9")
    assert "CRM_2" not in near.candidates


def test_not_same_unlinks_a_wrong_link(resolver: Resolver, store: IdentityStore) -> None:
    resolver.mark_not_same("CRM_3", "twitter", "777")
    assert store.get_account("twitter", "777") is None
    assert not ask(resolver, "ana_silva", user_id="777").resolved
    assert store.audit_log()[-1].action == "not_same"


def test_email_shared_by_many_customers_touches_none(
    store: IdentityStore, clock: FakeClock
) -> None:
    for n in range(5):
        store.add_customer(
            f"FAM_{n}", name=f"Member {n}", tier="Bronze", emails=["family@example.com"]
        )
    resolver = Resolver(store, clock=clock, max_customers_per_identifier=3)
    answer = ask(resolver, "kid", user_id="k1", email="family@example.com")
    assert not answer.resolved and not answer.candidates
    assert "identifier_overloaded" in answer.reasons
    assert store.get_account("twitter", "k1") is None


def test_ambiguous_email_goes_to_review(store: IdentityStore, resolver: Resolver) -> None:
    store.add_customer("CRM_4", name="Mary Twin", tier="Gold", emails=["mary@example.com"])
    answer = ask(resolver, "mm", channel="instagram", user_id="ig-3", email="mary@example.com")
    assert answer.review and set(answer.candidates) == {"CRM_2", "CRM_4"}


def test_email_contradicting_the_handle_is_a_conflict(resolver: Resolver) -> None:
    answer = ask(resolver, "john_doe", email="mary@example.com")
    assert not answer.resolved and "conflicting_evidence" in answer.reasons
    assert set(answer.candidates) == {"CRM_1", "CRM_2"}


def test_weak_links_do_not_chain(store: IdentityStore, resolver: Resolver) -> None:
    store.link_account("CRM_3", "instagram", "weak-1", "ana.s", confidence=0.5)
    by_id = ask(resolver, "ana.s", channel="instagram", user_id="weak-1")
    assert not by_id.resolved and "weak_link" in by_id.reasons
    by_handle = ask(resolver, "ana.s", channel="instagram")
    assert not by_handle.resolved
    graph = ask(resolver, "ana_silva", user_id="777").social_graph
    assert [a["user_id"] for a in graph["accounts"]] == ["777"]


def test_threshold_is_configurable(store: IdentityStore, clock: FakeClock) -> None:
    strict = Resolver(store, threshold=0.92, clock=clock)
    answer = ask(strict, "john_doe")
    assert not answer.resolved and answer.review
    assert answer.confidence == pytest.approx(0.9) and "below_threshold" in answer.reasons
    assert ask(strict, "x_y", user_id="123456789").resolved


def test_unknown_sender_is_a_guest(resolver: Resolver) -> None:
    answer = ask(resolver, "zed_nobody", user_id="42")
    assert (answer.resolved, answer.review, answer.method) == (False, False, "none")
    assert answer.reasons == ("no_match",) and answer.confidence == 0.0
    assert answer.to_dict()["profile_data"] is None


def test_resolving_is_deterministic(store: IdentityStore, clock: FakeClock) -> None:
    requests = [
        {"handle": "j0hn_doe", "channel": "x", "user_id": "5"},
        {"handle": "john_doe", "channel": "instagram", "display_name": "John"},
        {"handle": "ana_silva", "channel": "x"},
    ]
    first = [Resolver(store.clone(), clock=clock).resolve(r).to_dict() for r in requests]
    second = [Resolver(store.clone(), clock=clock).resolve(r).to_dict() for r in requests]
    assert first == second


def test_email_against_a_weak_link_to_someone_else_is_a_conflict(
    store: IdentityStore, resolver: Resolver
) -> None:
    store.link_account("CRM_3", "instagram", "w-1", "ana.s", confidence=0.5)
    answer = ask(resolver, "ana.s", channel="instagram", user_id="w-1", email="mary@example.com")
    assert not answer.resolved and set(answer.candidates) == {"CRM_2", "CRM_3"}
    outcome = resolver.capture_lead(
        {"handle": "ana.s", "channel": "instagram", "user_id": "w-1", "email": "mary@example.com"},
        answer,
    )
    assert outcome.action == "created" and outcome.needs_review
    account = store.get_account("instagram", "w-1")
    assert account is not None and account.customer_id == "CRM_3"


def test_store_records_the_unicode_data_version(store: IdentityStore) -> None:
    assert store.snapshot_stats()["unicode_data_version"].startswith("Unicode ")
