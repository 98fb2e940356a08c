"""Random streams, arrivals and per-contact draws: all randomness of one replication.

Each stream (``arrivals``, ``population``, ``traffic``, ``latency``, ``handle``,
``patience``) has its own generator seeded from ``(seed, replication, stream)``. Every
per-contact quantity is drawn up front, indexed by contact, so two designs of the same
replication see the same arrivals, senders, latencies, handle times and patience
(common random numbers) whatever order their events happen in.
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.population import Message, Population
from simulator.scenario import HandleTime, Latency, LognormalLatency, Scenario
from simulator.traffic import TrafficGenerator

__all__ = ["STREAMS", "Arrivals", "ContactDraws", "draw_arrivals", "draw_contacts", "py_rng", "rng"]

STREAMS: tuple[str, ...] = ("arrivals", "population", "traffic", "latency", "handle", "patience")
_Z95 = 1.6448536269514722

#: Per-contact draws: a list in hand-made test draws, a packed array when drawn here.
Floats = Sequence[float]


def _sequence(seed: int, replication: int, stream: str) -> np.random.SeedSequence:
    return np.random.SeedSequence([seed, replication, STREAMS.index(stream)])


def rng(seed: int, replication: int, stream: str) -> np.random.Generator:
    """The numpy generator of one stream."""
    return np.random.default_rng(_sequence(seed, replication, stream))


def py_rng(seed: int, replication: int, stream: str) -> random.Random:
    """A ``random.Random`` for one stream (fast scalar draws)."""
    state = _sequence(seed, replication, stream).generate_state(2, np.uint64)
    return random.Random(int(state[0]) << 64 | int(state[1]))


def population_seed(seed: int, replication: int) -> int:
    """The integer seed of the population stream."""
    return int(_sequence(seed, replication, "population").generate_state(1, np.uint32)[0])


@dataclass(frozen=True, slots=True)
class Arrivals:
    """Arrival times (sorted), channel names and whether each is a storm message."""

    times: list[float]
    channels: list[str]
    storm: list[bool]

    def __len__(self) -> int:
        return len(self.times)


def draw_arrivals(scenario: Scenario, gen: np.random.Generator) -> Arrivals:
    """Non-homogeneous Poisson arrivals per channel (thinning) plus bot storms."""
    horizon = scenario.horizon_s
    parts: list[tuple[np.ndarray, str, bool]] = []
    for channel in scenario.channels:
        peak = channel.peak_rate_per_hour / 3600.0
        n = int(gen.poisson(peak * horizon)) if peak > 0 else 0
        t = gen.uniform(0.0, horizon, n)
        u = gen.uniform(0.0, 1.0, n)
        if channel.intraday is not None and n:
            starts = np.array([p.from_hour for p in channel.intraday])
            rates = np.array([p.rate_per_hour for p in channel.intraday]) / 3600.0
            hour = (scenario.start_hour + t / 3600.0) % 24.0
            idx = np.searchsorted(starts, hour, side="right") - 1  # -1 wraps to the last period
            t = t[u * peak < rates[idx]]
        parts.append((t, channel.name, False))
    for storm in scenario.bots.storms:
        end = min(storm.start_s + storm.duration_s, horizon)
        n = int(gen.poisson(storm.rate_per_hour / 3600.0 * (end - storm.start_s)))
        parts.append((gen.uniform(storm.start_s, end, n), storm.channel, True))
    if not parts:
        return Arrivals([], [], [])
    times = np.concatenate([p[0] for p in parts])
    kinds = np.concatenate([np.full(len(p[0]), i) for i, p in enumerate(parts)])
    order = np.lexsort((kinds, times))
    names = [p[1] for p in parts]
    storms = [p[2] for p in parts]
    kind_list = kinds[order].tolist()
    return Arrivals(
        times=times[order].tolist(),
        channels=[names[k] for k in kind_list],
        storm=[storms[k] for k in kind_list],
    )


def latency_s(dist: Latency, gen: np.random.Generator, n: int) -> Floats:
    """``n`` latencies in seconds, one per contact."""
    if isinstance(dist, LognormalLatency):
        mu = np.log(dist.median_ms)
        sigma = (np.log(dist.p95_ms) - mu) / _Z95
        return _floats(np.exp(mu + sigma * gen.standard_normal(n)) / 1000.0)
    values = np.asarray(dist.values_ms, dtype=float) / 1000.0
    if dist.kind == "fixed":
        return _floats(np.resize(values, n))
    return _floats(values[gen.integers(0, len(values), n)])


def _floats(values: np.ndarray) -> Floats:
    """The values as a packed array of doubles: read one by one, as fast as a list's, at
    a quarter of the memory (no float object per value until one is read)."""
    return array("d", values.astype(float, copy=False).tobytes())


def handle_time_s(dist: HandleTime, exp_draw: float, normal_draw: float) -> float:
    """A handle time from the contact's standard draws (same draws whatever group serves it)."""
    if dist.kind == "exponential":
        return dist.mean_s * exp_draw
    if dist.kind == "fixed":
        return dist.mean_s
    assert dist.sd_s is not None
    s2 = math.log1p((dist.sd_s / dist.mean_s) ** 2)
    return math.exp(math.log(dist.mean_s) - s2 / 2 + math.sqrt(s2) * normal_draw)


@dataclass(frozen=True, slots=True)
class ContactDraws:
    """Per-contact random quantities, indexed by contact id."""

    messages: list[Message]
    irp_latency_s: Sequence[float]
    irp_error: Sequence[bool]
    crm_lookup_s: Sequence[float]
    crm_lead_s: Sequence[float]
    service_exp: Sequence[float]
    service_normal: Sequence[float]
    patience_s: Sequence[float]


def draw_contacts(
    scenario: Scenario, arrivals: Arrivals, population: Population, *, seed: int, replication: int
) -> ContactDraws:
    """Draw everything each contact needs, from its own streams."""
    n = len(arrivals)
    traffic = TrafficGenerator(population, rng=py_rng(seed, replication, "traffic"))
    messages = traffic.messages(arrivals.times, arrivals.channels, arrivals.storm)
    lat = rng(seed, replication, "latency")
    irp_latency = latency_s(scenario.irp.latency, lat, n)
    irp_error = (lat.uniform(0.0, 1.0, n) < scenario.irp.error_rate).tolist()
    lookup = latency_s(scenario.crm.lookup_latency, lat, n)
    lead = latency_s(scenario.crm.lead_latency, lat, n)
    hand = rng(seed, replication, "handle")
    service_exp = _floats(hand.standard_exponential(n))
    service_normal = _floats(hand.standard_normal(n))
    pat = rng(seed, replication, "patience")
    if scenario.patience.kind == "exponential":
        assert scenario.patience.mean_s is not None
        patience = _floats(pat.standard_exponential(n) * scenario.patience.mean_s)
    else:
        patience = array("d", [math.inf]) * n
    return ContactDraws(
        messages, irp_latency, irp_error, lookup, lead, service_exp, service_normal, patience
    )
