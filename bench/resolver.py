"""Benchmark of the in-memory identity store and the resolver.

Builds stores of 100,000 and 1,000,000 linked accounts (two accounts per customer, on X
and Instagram; one email and preferences per customer), then resolves a fixed mix of
requests and prints, per size: build time, resident memory per account (RSS growth over
the build divided by accounts, measured with psutil), resolve latency p50/p99 and
resolutions per second on one core.

Each size runs in its own child process so that RSS figures do not mix.
Targets at 1,000,000 accounts: p99 < 100 µs, >= 50,000 resolutions/s, <= 1.5 KB/account.

Usage:
    python bench/resolver.py                 # 100k and 1M
    python bench/resolver.py --accounts 200000 --requests 50000
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil

from simulator.identity import IdentityStore, Resolver

WORDS = ("john", "mary", "ana", "li", "omar", "sam", "kim", "raj", "eva", "tom", "zoe", "max")
TIERS = ("Platinum", "Gold", "Silver", "Bronze")
PREFS = ({"preferred_channel": "sms", "language": "en-US"}, {"preferred_channel": "email"})
MIX = (
    ("returning", 0.70),  # known user id, same handle
    ("handle_only", 0.10),  # no user id, exact handle
    ("handle_change", 0.04),  # known user id, new handle
    ("homoglyph", 0.06),  # look-alike of a known handle, stranger's user id
    ("email_alias", 0.03),  # new account with a customer's email
    ("unknown", 0.07),  # nobody
)


def handle_of(k: int) -> str:
    """A unique X/Instagram-valid handle (<= 15 characters)."""
    return f"{WORDS[k % len(WORDS)]}_{k:x}"


def build(accounts: int) -> tuple[IdentityStore, float]:
    """A store with ``accounts`` linked accounts over ``accounts // 2`` customers."""
    store = IdentityStore()
    started = time.perf_counter()
    for c in range(accounts // 2):
        cid = f"CRM_{c:09d}"
        store.add_customer(
            cid,
            name=f"{WORDS[c % len(WORDS)].title()} Customer {c}",
            tier=TIERS[c % 4],
            emails=(f"user{c}@example.com",),
            preferences=PREFS[c % 2],
            last_interaction=1_700_000_000.0,
        )
        store.link_account(cid, "twitter", str(1_000_000_000_000_000_000 + c), handle_of(2 * c))
        store.link_account(cid, "instagram", str(50_000_000 + c), handle_of(2 * c + 1))
    return store, time.perf_counter() - started


def lookalike(handle: str) -> str:
    """Swap one letter for a digit or Cyrillic look-alike."""
    for plain, fake in (("o", "0"), ("a", "а"), ("i", "1"), ("e", "е"), ("m", "rn")):
        if plain in handle:
            return handle.replace(plain, fake, 1)
    return handle + "_"


def requests(accounts: int, count: int, seed: int = 7) -> list[dict[str, Any]]:
    """A fixed mix of resolve requests against a store built by :func:`build`."""
    rng = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    out: list[dict[str, Any]] = []
    customers = accounts // 2
    for n in range(count):
        kind = rng.choices(kinds, weights)[0]
        c = rng.randrange(customers)
        uid = str(1_000_000_000_000_000_000 + c)
        handle = handle_of(2 * c)
        if kind == "returning":
            out.append({"handle": f"@{handle}", "channel": "x", "user_id": uid})
        elif kind == "handle_only":
            out.append({"handle": handle, "channel": "twitter"})
        elif kind == "handle_change":
            out.append({"handle": f"new_{c:x}", "channel": "x", "user_id": uid})
        elif kind == "homoglyph":
            out.append({"handle": lookalike(handle), "channel": "x", "user_id": f"9{n}"})
        elif kind == "email_alias":
            email = f"user{c}@example.com"
            out.append(
                {"handle": f"alt_{n:x}", "channel": "instagram", "user_id": f"a{n}", "email": email}
            )
        else:
            out.append({"handle": f"nobody_{n:x}", "channel": "x", "user_id": f"u{n}"})
    return out


def _percentiles(samples: list[int]) -> tuple[float, float, float]:
    samples.sort()
    p50 = samples[len(samples) // 2] / 1_000
    p99 = samples[int(len(samples) * 0.99)] / 1_000
    return round(p50, 1), round(p99, 1), round(statistics.fmean(samples) / 1_000, 1)


def measure(accounts: int, count: int) -> dict[str, Any]:
    """Build, then time ``count`` resolutions one by one (wall clock and thread CPU time).

    CPU time is reported beside wall time because a shared machine preempts the process:
    wall-clock tails then measure the neighbours, CPU time measures the resolver.
    """
    process = psutil.Process()
    gc.collect()
    rss_before = process.memory_info().rss
    store, build_s = build(accounts)
    gc.collect()
    rss_after = process.memory_info().rss
    batch = requests(accounts, count)
    resolver = Resolver(store, clock=lambda: 1_700_000_000.0)
    for request in batch[:2_000]:  # warm-up
        resolver.resolve(request)
    gc.disable()
    wall, cpu = [], []
    wall_clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    started, cpu_started = wall_clock(), cpu_clock()
    for request in batch:
        t0, c0 = wall_clock(), cpu_clock()
        resolver.resolve(request)
        cpu.append(cpu_clock() - c0)
        wall.append(wall_clock() - t0)
    total_ns, cpu_total_ns = wall_clock() - started, cpu_clock() - cpu_started
    json_ns = []
    for request in batch[:20_000]:
        c0 = cpu_clock()
        resolver.resolve(request).to_dict()
        json_ns.append(cpu_clock() - c0)
    gc.enable()
    wall_p50, wall_p99, wall_mean = _percentiles(wall)
    cpu_p50, cpu_p99, cpu_mean = _percentiles(cpu)
    return {
        "accounts": accounts,
        "customers": store.customer_count(),
        "requests": count,
        "build_s": round(build_s, 2),
        "rss_per_account_bytes": round((rss_after - rss_before) / accounts),
        "wall_p50_us": wall_p50,
        "wall_p99_us": wall_p99,
        "wall_mean_us": wall_mean,
        "wall_res_per_s": round(count / (total_ns / 1e9)),
        "cpu_p50_us": cpu_p50,
        "cpu_p99_us": cpu_p99,
        "cpu_mean_us": cpu_mean,
        "cpu_res_per_s": round(count / (cpu_total_ns / 1e9)),
        "with_to_dict_cpu_p50_us": _percentiles(json_ns)[0],
        "load_average_1m": round(psutil.getloadavg()[0], 2),
    }


def main() -> None:
    """Run each size in a child process and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=None, help="one size, in this process")
    parser.add_argument("--requests", type=int, default=200_000)
    args = parser.parse_args()
    if args.accounts is not None:
        print(json.dumps(measure(args.accounts, args.requests)))
        return
    print("Handlesim resolver benchmark (in-process, one core)")
    print(f"python {sys.version.split()[0]}, {psutil.cpu_count()} CPUs; mix: {dict(MIX)}")
    print("latency in µs per resolve(); 'cpu' = thread CPU time, 'wall' = perf_counter")
    columns = (
        ("accounts", "accounts", "{:,}"),
        ("build s", "build_s", "{}"),
        ("B/acct", "rss_per_account_bytes", "{}"),
        ("wall p50", "wall_p50_us", "{}"),
        ("wall p99", "wall_p99_us", "{}"),
        ("wall res/s", "wall_res_per_s", "{:,}"),
        ("cpu p50", "cpu_p50_us", "{}"),
        ("cpu p99", "cpu_p99_us", "{}"),
        ("cpu res/s", "cpu_res_per_s", "{:,}"),
        ("+to_dict p50", "with_to_dict_cpu_p50_us", "{}"),
        ("load", "load_average_1m", "{}"),
    )
    print(" ".join(f"{title:>12}" for title, _, _ in columns))
    for size in (100_000, 1_000_000):
        command = [
            sys.executable,
            __file__,
            "--accounts",
            str(size),
            "--requests",
            str(args.requests),
        ]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        row = json.loads(output.strip().splitlines()[-1])
        print(" ".join(f"{fmt.format(row[key]):>12}" for _, key, fmt in columns))
    print("targets at 1,000,000: p99 < 100 µs, >= 50,000 res/s, <= 1,536 B/account")


if __name__ == "__main__":
    main()
