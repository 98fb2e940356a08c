"""Shared fixtures: a small CRM with John Doe on three platforms, and a settable clock."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.identity import IdentityStore, Resolver

NOW = 1_700_000_000.0


class FakeClock:
    """A clock the test moves by hand (POSIX seconds)."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def state(store: IdentityStore) -> dict[str, Any]:
    """Everything an in-memory store holds, comparable with ``==``."""
    return {k: v for k, v in vars(store.clone()).items() if k != "_undo"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> IdentityStore:
    crm = IdentityStore()
    crm.add_customer(
        "CRM_1",
        name="John Doe",
        tier="Platinum",
        emails=["john@example.com"],
        preferences={"preferred_channel": "sms", "language": "en-US"},
        last_interaction=1_698_400_800.0,
        profile_updated_at=NOW - 86_400,
    )
    crm.add_customer("CRM_2", name="Mary Major", tier="Gold", emails=["mary@example.com"])
    crm.add_customer("CRM_3", name="Ana Silva", tier="Silver")
    crm.link_account("CRM_1", "twitter", "123456789", "@john_doe")
    crm.link_account("CRM_1", "linkedin", "urn:li:person:abc", "linkedin.com/in/johndoe")
    crm.link_account("CRM_2", "instagram", "555", "mary.major")
    crm.link_account("CRM_3", "twitter", "777", "ana_silva")
    return crm


@pytest.fixture
def resolver(store: IdentityStore, clock: FakeClock) -> Resolver:
    return Resolver(store, clock=clock)


@pytest.fixture
def snapshot() -> Any:
    """``snapshot(store)``: the store's whole content, to assert it did not change."""
    return state
