"""The in-memory store: indexes, links, transactions and clones."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.errors import ConflictError, InvalidInput, NotFound, StoreError
from simulator.identity import (
    Account,
    AuditEntry,
    HandleChange,
    IdentityStore,
    InMemoryStore,
    Lead,
)


def test_identity_store_is_the_in_memory_store() -> None:
    assert IdentityStore is InMemoryStore


def test_lookups_by_every_index(store: IdentityStore) -> None:
    (by_handle,) = store.accounts_by_handle("twitter", "john_doe")
    assert by_handle.user_id == "123456789"
    assert store.get_account("twitter", "123456789") == by_handle
    assert store.accounts_by_skeleton("twitter", "john_doe") == (by_handle,)
    assert store.accounts_by_loose_key("twitter", "johndoe") == (by_handle,)
    assert store.customer_ids_by_email("john@example.com") == ("CRM_1",)
    assert store.accounts_by_handle("instagram", "john_doe") == ()


def test_skeleton_and_loose_indexes_hold_keys_that_differ_from_the_handle() -> None:
    crm = IdentityStore()
    crm.add_customer("C", name="Mary", tier="Gold")
    crm.link_account("C", "x", "1", "mary")  # skeleton 'rnary', loose 'mary'
    (account,) = crm.accounts_by_skeleton("twitter", "rnary")
    assert crm.accounts_by_loose_key("twitter", "mary") == (account,)
    assert crm.accounts_by_skeleton("twitter", "mary") == ()


def test_ids_stay_strings(store: IdentityStore) -> None:
    store.link_account("CRM_3", "x", "1234567890123456789", "ana_alt")
    assert store.get_account("twitter", "1234567890123456789") is not None
    with pytest.raises(InvalidInput, match="string id"):
        store.link_account("CRM_3", "x", 1234567890123456789, "ana_alt2")  # type: ignore[arg-type]


def test_an_account_links_to_one_customer_only(store: IdentityStore, snapshot: Any) -> None:
    before = snapshot(store)
    with pytest.raises(ConflictError, match="already linked to CRM_1"):
        store.link_account("CRM_2", "twitter", "123456789", "john_doe")
    assert snapshot(store) == before


def test_relinking_with_a_new_handle_keeps_history(store: IdentityStore) -> None:
    store.link_account("CRM_1", "twitter", "123456789", "jdoe_official", at=5.0)
    account = store.get_account("twitter", "123456789")
    assert account is not None
    assert account.handle == "jdoe_official"
    assert [h.handle for h in account.history] == ["john_doe"]
    assert store.accounts_by_handle("twitter", "john_doe") == ()
    assert store.accounts_by_handle("twitter", "jdoe_official") == (account,)


def test_relinking_replaces_the_provenance_and_keeps_the_rest(store: IdentityStore) -> None:
    store.link_account("CRM_3", "x", "9", "ana_a", at=5.0)
    store.link_account("CRM_3", "twitter", "9", "ana_b", method="review", confidence=0.9, at=7.0)
    store.link_account("CRM_3", "x", "9", "@ANA_B", method="email", confidence=0.95, at=8.0)
    assert store.get_account("twitter", "9") == Account(
        "twitter", "9", "ana_b", "CRM_3", "email", 0.95, 8.0, (HandleChange("ana_a", 7.0),)
    )
    assert [a.user_id for a in store.accounts_of("CRM_3")] == ["777", "9"]


def test_link_to_unknown_customer(store: IdentityStore) -> None:
    with pytest.raises(NotFound):
        store.link_account("CRM_404", "x", "1", "nobody")


def test_suspect_handles_are_not_stored(store: IdentityStore) -> None:
    with pytest.raises(InvalidInput):
        store.link_account("CRM_3", "x", "8", "ｊｏｈｎ")


def test_transaction_is_all_or_nothing(store: IdentityStore, snapshot: Any) -> None:
    before = snapshot(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.link_account("CRM_3", "instagram", "9", "ana.silva")
        store.add_customer("CRM_9", name="New", tier="Bronze", emails=["john@example.com"])
        store.append_audit(AuditEntry(1.0, "link"))
        store.put_lead(Lead("LEAD-1", "twitter", "x", "1", None, 1.0))
        store.add_not_same("CRM_1", "twitter", "5")
        store.delete_account("twitter", "123456789")
        raise RuntimeError("boom")
    assert snapshot(store) == before


def test_nested_transactions_join_the_outer_one(store: IdentityStore, snapshot: Any) -> None:
    before = snapshot(store)
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.link_account("CRM_3", "instagram", "9", "ana.silva")
        raise RuntimeError
    assert snapshot(store) == before


def test_clone_is_independent(store: IdentityStore, snapshot: Any) -> None:
    before = snapshot(store)
    twin = store.clone()
    twin.link_account("CRM_3", "instagram", "9", "ana.silva")
    twin.add_customer("CRM_9", name="New", tier="Bronze")
    twin.mark = 1  # type: ignore[attr-defined]
    assert snapshot(store) == before
    assert twin.account_count() == store.account_count() + 1


def test_clone_inside_a_transaction_is_refused(store: IdentityStore) -> None:
    with store.transaction(), pytest.raises(StoreError):
        store.clone()


def test_put_account_refuses_to_move_an_account(store: IdentityStore) -> None:
    with pytest.raises(StoreError):
        store.put_account(Account("twitter", "123456789", "john_doe", "CRM_2"))


def test_email_index_follows_customer_updates(store: IdentityStore) -> None:
    store.add_customer("CRM_2", name="Mary Major", tier="Gold", emails=["m@example.com"])
    assert store.customer_ids_by_email("mary@example.com") == ()
    assert store.customer_ids_by_email("m@example.com") == ("CRM_2",)


def test_links_carry_provenance(store: IdentityStore) -> None:
    store.link_account(
        "CRM_3", "instagram", "9", "ana.silva", method="email", confidence=0.95, at=7.0
    )
    account = store.get_account("instagram", "9")
    assert account is not None
    link = account.link
    assert (link.method, link.confidence, link.at) == ("email", 0.95, 7.0)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("tier", {"name": "X", "tier": "Diamond"}),
        ("name", {"name": "", "tier": "Gold"}),
        ("emails", {"name": "X", "tier": "Gold", "emails": "a@b.com"}),
        ("emails", {"name": "X", "tier": "Gold", "emails": ["not-an-email"]}),
        ("preferences", {"name": "X", "tier": "Gold", "preferences": ["sms"]}),
        ("last_interaction", {"name": "X", "tier": "Gold", "last_interaction": "yesterday"}),
    ],
)
def test_add_customer_validates(
    store: IdentityStore, snapshot: Any, field: str, kwargs: dict[str, Any]
) -> None:
    before = snapshot(store)
    with pytest.raises(InvalidInput) as error:
        store.add_customer("CRM_8", **kwargs)
    assert error.value.field == field
    assert snapshot(store) == before
