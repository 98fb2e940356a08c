"""Load test of the reference IRP over HTTP on loopback.

Builds a SQLite store of 100,000 linked accounts, starts ``handlesim serve`` in a child
process, and drives it with a bounded number of client threads for a bounded time at a
target rate. Each client keeps one keep-alive connection and a fixed send schedule (after a
slow answer it catches up, so the offered rate holds; latency is timed from the actual send).
Prints throughput and p50/p99 latency per endpoint, as the client saw it and as the server
spent it (``Server-Timing``), then reads back every lead and link the run wrote, over HTTP
and from the SQLite file.

    python bench/service_load.py [--accounts 100000] [--rate 200] [--seconds 20] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from simulator.identity.store import Account, Customer
from simulator.service.live import spawn_server
from simulator.service.sqlite_store import SQLiteStore

TIERS = ("Platinum", "Gold", "Silver", "Bronze")


def build_store(path: Path, accounts: int) -> tuple[int, float]:
    """Write ``accounts`` linked accounts (about 1.6 per customer); return customers, seconds."""
    started = time.perf_counter()
    store = SQLiteStore(path)
    customers = 0
    written = 0
    with store.transaction():
        while written < accounts:
            cid = f"CRM_{customers:08d}"
            store.put_customer(
                Customer(
                    cid,
                    f"Customer {customers}",
                    TIERS[customers % 4],
                    (f"c{customers}@example.com",),
                    {"preferred_channel": "sms", "language": "en-US"},
                )
            )
            store.put_account(Account("twitter", f"{10**12 + customers}", f"user_{customers}", cid))
            written += 1
            if customers % 5 < 3 and written < accounts:
                store.put_account(
                    Account("instagram", f"ig{customers}", f"user.{customers}.ig", cid)
                )
                written += 1
            customers += 1
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    os.sync()  # keep the build's disk writes out of the measured window
    return customers, time.perf_counter() - started


@dataclass
class Tally:
    """What the clients saw, merged under a lock."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    leads: set[str] = field(default_factory=set)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if status:
                self.statuses[status] = self.statuses.get(status, 0) + 1


def client(
    index: int, base: str, token: str, customers: int, rate: float, until: float, tally: Tally
) -> None:
    """One client: sends at ``rate`` per second on a fixed schedule until ``until``."""
    rng = random.Random(index)
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    interval = 1.0 / rate
    next_at = time.perf_counter() + rng.random() * interval
    n = 0
    while next_at < until:
        time.sleep(max(0.0, next_at - time.perf_counter()))
        next_at += interval
        n += 1
        c = rng.randrange(customers)
        roll = rng.random()
        if roll < 0.05:
            kind, path = "links", "/api/v1/links"
            uid = f"li-{index}-{n}"
            body = {
                "customer_id": f"CRM_{c:08d}",
                "platform": "linkedin",
                "user_id": uid,
                "handle": f"member-{index}-{n}",
            }
        elif roll < 0.15:
            kind, path = "leads", "/api/v1/leads"
            body = {
                "handle": f"stranger_{index}_{n}",
                "channel": "twitter",
                "user_id": f"9{index:02d}{n:07d}",
            }
        else:
            kind, path = "resolve", "/api/v1/resolve"
            pick = rng.random()
            if pick < 0.6:
                body = {"handle": f"@user_{c}", "channel": "twitter", "user_id": f"{10**12 + c}"}
            elif pick < 0.8:
                body = {"handle": f"User_{c}", "channel": "x"}
            else:
                body = {"handle": f"j0hn_{c}", "channel": "twitter", "user_id": f"8{c}"}
        payload = json.dumps(body).encode()
        started = time.perf_counter()
        conn.request("POST", path, body=payload, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        tally.record(kind, time.perf_counter() - started, answer.status)
        timing = answer.getheader("server-timing", "")
        if timing.startswith("app;dur="):
            tally.record(f"{kind}@server", float(timing[8:]) / 1000, 0)
        if kind == "leads" and answer.status in (200, 201):
            lead_id = json.loads(data).get("lead_id")
            if lead_id:
                with tally.lock:
                    tally.leads.add(lead_id)
        elif kind == "links" and answer.status in (200, 201):
            with tally.lock:
                tally.links.append((body["customer_id"], "linkedin", body["user_id"]))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def verify(base: str, token: str, db: Path, tally: Tally) -> list[str]:
    """Read back every acknowledged lead and link, over HTTP and from the file."""
    problems: list[str] = []
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    for lead_id in sorted(tally.leads):
        if session.get(f"{base}/api/v1/leads/{lead_id}", timeout=10).status_code != 200:
            problems.append(f"lead {lead_id} not readable")
    for cid, platform, uid in tally.links:
        view = session.get(f"{base}/api/v1/customers/{cid}", timeout=10).json()
        if not any(a["platform"] == platform and a["user_id"] == uid for a in view["accounts"]):
            problems.append(f"link {platform}:{uid} -> {cid} missing")
    store = SQLiteStore(db)
    problems += store.integrity_problems()
    problems += [f"lead {x} not in file" for x in tally.leads if store.get_lead(x) is None]
    for cid, platform, uid in tally.links:
        account = store.get_account(platform, uid)
        if account is None or account.customer_id != cid:
            problems.append(f"link {platform}:{uid} not in file")
    store.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; exit 1 if anything was lost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=200.0, help="total requests per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 64 and 0 < args.seconds <= 600 and 0 < args.rate <= 5000):
        parser.error("bounds: 1-64 clients, up to 600 s, up to 5000 req/s")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "irp.db"
        customers, build_s = build_store(db, args.accounts)
        print(f"store: {args.accounts} accounts, {customers} customers, built in {build_s:.1f} s")
        token = secrets.token_urlsafe(24)
        child, base = spawn_server(str(db), token=token)
        tally = Tally()
        try:
            until = time.perf_counter() + args.seconds
            threads = [
                threading.Thread(
                    target=client,
                    args=(i, base, token, customers, args.rate / args.clients, until, tally),
                )
                for i in range(args.clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            problems = verify(base, token, db, tally)
        finally:
            child.terminate()
            child.wait(timeout=10)
    total = sum(tally.statuses.values())
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (1/5/15 min) after the run")
    print(f"load: {args.clients} clients, target {args.rate:g} req/s for {args.seconds:g} s")
    print(
        f"sent {total} requests in {elapsed:.1f} s: {total / elapsed:.1f} req/s; "
        f"statuses {dict(sorted(tally.statuses.items()))}"
    )
    for kind, values in sorted(tally.latencies.items()):
        print(
            f"  {kind:16s} n={len(values):6d}  p50={percentile(values, 0.5) * 1000:6.2f} ms  "
            f"p99={percentile(values, 0.99) * 1000:6.2f} ms  "
            f"max={max(values) * 1000:6.2f} ms  mean={statistics.fmean(values) * 1000:6.2f} ms"
        )
    print(
        f"read back: {len(tally.leads)} leads, {len(tally.links)} links; "
        f"{'nothing lost' if not problems else f'{len(problems)} PROBLEMS'}"
    )
    for problem in problems[:20]:
        print("  ", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
