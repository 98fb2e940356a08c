"""Kill the service with SIGKILL mid-load: the SQLite store is consistent afterwards."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

import requests

from simulator.service.live import spawn_server
from simulator.service.sqlite_store import SQLiteStore

TOKEN = "crash-token"
CUSTOMERS: list[dict[str, Any]] = [
    {
        "customer_id": f"C{i}",
        "name": f"Customer {i}",
        "tier": "Gold",
        "emails": [],
        "preferences": {},
        "profile_updated_at": None,
        "accounts": [{"platform": "twitter", "user_id": f"{1000 + i}", "handle": f"cust_{i}"}],
    }
    for i in range(40)
]


#: acknowledged writes of each kind to wait for before the kill: the kill lands mid-load
KILL_AFTER = 25


def _writer(
    base: str,
    worker: int,
    stop: threading.Event,
    acked: dict[str, list[str]],
    loaded: threading.Event,
) -> None:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {TOKEN}"
    n = 0
    while not stop.is_set():
        n += 1
        try:
            if n % 2:
                body = {
                    "handle": f"lead_{worker}_{n}",
                    "channel": "twitter",
                    "user_id": f"7{worker}{n:06d}",
                }
                answer = http.post(f"{base}/api/v1/leads", json=body, timeout=5)
                if answer.status_code == 201:
                    acked["leads"].append(answer.json()["lead_id"])
            else:
                uid = f"ig{worker}_{n}"
                body = {
                    "customer_id": f"C{n % 40}",
                    "platform": "instagram",
                    "user_id": uid,
                    "handle": f"ig.{worker}.{n}",
                }
                answer = http.post(f"{base}/api/v1/links", json=body, timeout=5)
                if answer.status_code == 201:
                    acked["links"].append(f"{body['customer_id']}|{uid}")
            if min(len(acked["leads"]), len(acked["links"])) >= KILL_AFTER:
                loaded.set()
        except requests.RequestException:
            return


def test_sigkill_mid_load_leaves_a_consistent_store(tmp_path: Path) -> None:
    db = tmp_path / "irp.db"
    child, base = spawn_server(str(db), token=TOKEN)
    try:
        loaded = requests.post(
            f"{base}/api/v1/fixtures",
            json={"reset": True, "customers": CUSTOMERS},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
        assert loaded.status_code == 201, loaded.text
        stop, loaded = threading.Event(), threading.Event()
        acked: dict[str, list[str]] = {"leads": [], "links": []}
        workers = [
            threading.Thread(target=_writer, args=(base, w, stop, acked, loaded)) for w in range(4)
        ]
        for worker in workers:
            worker.start()
        assert loaded.wait(timeout=30), "the load did not get going"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        stop.set()
        for worker in workers:
            worker.join(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert acked["leads"] and acked["links"], "the load did not get going before the kill"

    store = SQLiteStore(db)
    try:
        assert store.integrity_problems() == []
        for lead_id in acked["leads"]:
            assert store.get_lead(lead_id) is not None, lead_id
        for item in acked["links"]:
            cid, uid = item.split("|")
            account = store.get_account("instagram", uid)
            assert account is not None and account.customer_id == cid, item
        audit = store.audit_log()
        audited_links = {(e.platform, e.user_id) for e in audit if e.action == "link"}
        audited_leads = {(e.platform, e.user_id) for e in audit if e.action == "lead_created"}
        for cid in (str(c["customer_id"]) for c in CUSTOMERS):
            for account in store.accounts_of(cid):
                if account.method == "review":
                    assert (account.platform, account.user_id) in audited_links
        assert len(audited_leads) == store.lead_count()
        assert store.account_count() == len(CUSTOMERS) + len(audited_links)
    finally:
        store.close()
