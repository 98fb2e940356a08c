"""A live service on loopback over a real SQLite file, driven with real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from simulator.service.app import create_app
from simulator.service.live import ThreadedServer
from simulator.service.sqlite_store import SQLiteStore

TOKEN = "test-token-7c1f"
NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z

JOHN = {
    "customer_id": "CRM_987654321",
    "name": "John Doe",
    "tier": "Platinum",
    "emails": ["john@example.com"],
    "preferences": {"preferred_channel": "sms", "language": "en-US"},
    "profile_updated_at": None,
    "accounts": [
        {"platform": "twitter", "user_id": "123456789", "handle": "john_doe"},
        {"platform": "linkedin", "user_id": "urn:li:person:1", "handle": "johndoe"},
    ],
}
JANE = {
    "customer_id": "CRM_2",
    "name": "Jane Roe",
    "tier": "Gold",
    "emails": ["jane@example.com"],
    "preferences": {},
    "profile_updated_at": "2025-12-31T23:30:00Z",
    "accounts": [{"platform": "instagram", "user_id": "555", "handle": "jane.roe"}],
}


class Clock:
    """A settable POSIX clock."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class Live:
    """A running service and a session that authenticates to it."""

    base: str
    http: requests.Session
    store: SQLiteStore
    clock: Clock

    def post(self, path: str, body: Any, **kwargs: Any) -> requests.Response:
        return self.http.post(self.base + path, json=body, timeout=10, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.base + path, timeout=10, **kwargs)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    store = SQLiteStore(tmp_path / "irp.db")
    clock = Clock()
    app = create_app(store=store, token=TOKEN, enable_fixtures=True, clock=clock)
    with ThreadedServer(app) as server, requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {TOKEN}"
        service = Live(server.base_url, http, store, clock)
        loaded = service.post("/api/v1/fixtures", {"reset": True, "customers": [JOHN, JANE]})
        assert loaded.status_code == 201, loaded.text
        yield service
    store.close()
