"""The SQLite backend keeps the StoreBackend contract, and agrees with the in-memory one."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.errors import StoreError
from simulator.identity.keys import handle_keys
from simulator.identity.memory import InMemoryStore
from simulator.identity.store import Account, AuditEntry, Customer, HandleChange, Lead, StoreBackend
from simulator.service.sqlite_store import SQLiteStore


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreBackend]:
    if request.param == "memory":
        yield InMemoryStore()
        return
    backend = SQLiteStore(tmp_path / "irp.db")
    yield backend
    backend.close()


def _customer(cid: str = "C1", emails: tuple[str, ...] = ("john@example.com",)) -> Customer:
    return Customer(cid, "John Doe", "Gold", emails, {"language": "en-US"})


def test_customer_round_trip_and_email_index(store: StoreBackend) -> None:
    store.put_customer(_customer())
    store.put_customer(_customer("C2", ("john@example.com", "j2@example.com")))
    assert store.get_customer("C1") == _customer()
    assert store.customer_ids_by_email("john@example.com") == ("C1", "C2")
    store.put_customer(_customer("C1", ("new@example.com",)))
    assert store.customer_ids_by_email("john@example.com") == ("C2",)
    assert store.customer_ids_by_email("new@example.com") == ("C1",)
    assert store.customer_count() == 2
    assert store.get_customer("nobody") is None


def test_account_indexes_follow_handle_changes(store: StoreBackend) -> None:
    store.put_customer(_customer())
    first = Account("twitter", "99", "john_doe", "C1", linked_at=1.0)
    store.put_account(first)
    _skeleton, loose = handle_keys("j0hn_doe")
    assert store.accounts_by_handle("twitter", "john_doe") == (first,)
    assert store.accounts_by_skeleton("twitter", handle_keys("john_doe")[0]) == (first,)
    assert store.accounts_by_loose_key("twitter", loose) == (first,)
    moved = Account(
        "twitter", "99", "johndoe_official", "C1", history=(HandleChange("john_doe", 5.0),)
    )
    store.put_account(moved)
    assert store.accounts_by_handle("twitter", "john_doe") == ()
    assert store.accounts_by_handle("twitter", "johndoe_official") == (moved,)
    assert store.get_account("twitter", "99") == moved
    assert store.accounts_of("C1") == (moved,)
    assert store.account_count() == 1
    store.delete_account("twitter", "99")
    assert store.get_account("twitter", "99") is None
    assert store.accounts_of("C1") == ()


def test_an_account_never_belongs_to_two_customers(store: StoreBackend) -> None:
    store.put_customer(_customer())
    store.put_customer(_customer("C2", ()))
    store.put_account(Account("instagram", "7", "jd", "C1"))
    with pytest.raises(StoreError):
        store.put_account(Account("instagram", "7", "jd", "C2"))
    assert store.get_account("instagram", "7").customer_id == "C1"  # type: ignore[union-attr]


def test_leads_and_decisions(store: StoreBackend) -> None:
    lead = Lead("LEAD-00000001", "twitter", "stranger", "5", "s@example.com", 10.0)
    store.put_lead(lead)
    assert store.get_lead(lead.lead_id) == lead
    assert store.lead_by_user("twitter", "5") == lead
    assert store.lead_by_email("s@example.com") == lead
    assert store.lead_by_handle("twitter", "stranger") == lead
    assert store.lead_count() == 1
    store.add_not_same("C1", "twitter", "5")
    assert store.is_not_same("C1", "twitter", "5")
    assert not store.is_not_same("C2", "twitter", "5")


def test_transaction_is_all_or_nothing(store: StoreBackend) -> None:
    store.put_customer(_customer())
    with pytest.raises(RuntimeError), store.transaction():
        store.put_account(Account("twitter", "1", "a", "C1"))
        with store.transaction():
            store.put_lead(Lead("LEAD-1", "twitter", "b", "2", None, 1.0))
        store.append_audit(AuditEntry(1.0, "link", "C1", "twitter", "1"))
        raise RuntimeError("crash mid-request")
    assert store.get_account("twitter", "1") is None
    assert store.lead_count() == 0
    assert store.audit_log() == ()


def test_audit_log_is_append_only_on_disk(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "irp.db")
    store.append_audit(AuditEntry(1.0, "link", "C1", "twitter", "1", "method=crm"))
    store.put_customer(_customer())
    store.clear()
    assert store.customer_count() == 0
    assert [entry.action for entry in store.audit_log()] == ["link"]
    store.close()
    raw = sqlite3.connect(tmp_path / "irp.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("UPDATE audit SET action = 'forged'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("DELETE FROM audit")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "irp.db"
    store = SQLiteStore(path)
    store.put_customer(_customer())
    store.put_account(Account("linkedin", "urn:li:person:1", "john-doe", "C1", "email", 0.9))
    store.close()
    again = SQLiteStore(path)
    account = again.get_account("linkedin", "urn:li:person:1")
    assert account is not None and (account.method, account.confidence) == ("email", 0.9)
    assert again.integrity_problems() == []
    again.close()
