"""Closed-form queueing models used to validate the simulator and to overlay sweeps.

Pure, numerically stable functions of rates and server counts:

* Erlang B / Erlang C (M/M/c): probability of waiting, service level ``SL(t)``, ASA.
* Erlang A (M/M/c+M, Palm's model with exponential patience): probability of
  waiting, of abandoning, ASA of the served, and the service level in the
  Handlesim convention (see :data:`simulator.metrics.FORMULAS`).
* Non-preemptive priority M/M/c with a common service rate (Cobham's formula):
  mean wait per class.

Notation: ``arrival_rate`` is λ (per second), ``service_rate`` is μ (1 / mean
handle time), ``servers`` is c, ``offered_load`` is a = λ/μ in Erlangs,
``abandon_rate`` is θ (1 / mean patience). Times are in seconds.

References: Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*
(4th ed.), §2.3 (M/M/c) and §3.4 (priority queues); Cobham (1954); Palm (1943),
Garnett, Mandelbaum & Reiman (2002), "Designing a call center with impatient
customers" (Erlang A).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.linalg import expm
from scipy.special import logsumexp

from simulator.errors import InvalidInput

__all__ = [
    "ErlangA",
    "asa",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "min_servers_for_service_level",
    "priority_waits",
    "service_level",
]


def _check(name: str, value: float, *, allow_zero: bool = False) -> None:
    ok = math.isfinite(value) and (value >= 0 if allow_zero else value > 0)
    if not ok:
        allowed = "a finite number >= 0" if allow_zero else "a finite number > 0"
        raise InvalidInput(name, value, allowed)


def _check_servers(servers: int) -> None:
    if not isinstance(servers, int) or isinstance(servers, bool) or servers < 1:
        raise InvalidInput("servers", servers, "an integer >= 1")


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of M/M/c/c (Erlang B).

    Uses the stable recursion ``B(0) = 1``, ``B(k) = a B(k-1) / (k + a B(k-1))``,
    which never forms ``a**c / c!``.

    Args:
        servers: number of servers c (>= 1).
        offered_load: a = λ/μ in Erlangs (>= 0).

    Returns:
        The Erlang B blocking probability.
    """
    _check_servers(servers)
    _check("offered_load", offered_load, allow_zero=True)
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in M/M/c (Erlang C), ``P(W > 0)``.

    ``C(c, a) = c B(c, a) / (c - a (1 - B(c, a)))`` with B from :func:`erlang_b`.

    Args:
        servers: number of servers c.
        offered_load: a = λ/μ; must be below c (a stable queue).

    Returns:
        ``P(W > 0)`` in [0, 1].

    Raises:
        InvalidInput: if the queue is unstable (a >= c).
    """
    blocking = erlang_b(servers, offered_load)
    if offered_load >= servers:
        raise InvalidInput("offered_load", offered_load, f"less than servers ({servers})")
    return servers * blocking / (servers - offered_load * (1.0 - blocking))


def service_level(servers: int, arrival_rate: float, service_rate: float, target_s: float) -> float:
    """Erlang C service level ``SL(t) = P(W <= t) = 1 - C(c, a) exp(-(c μ - λ) t)``.

    In M/M/c nobody abandons, so this equals the Handlesim SL formula.

    Args:
        servers: number of servers c.
        arrival_rate: λ per second.
        service_rate: μ per second (1 / mean handle time).
        target_s: the answer-time target t in seconds (>= 0).

    Returns:
        The fraction of contacts answered within ``target_s``.
    """
    _check("arrival_rate", arrival_rate, allow_zero=True)
    _check("service_rate", service_rate)
    _check("target_s", target_s, allow_zero=True)
    wait_prob = erlang_c(servers, arrival_rate / service_rate)
    return 1.0 - wait_prob * math.exp(-(servers * service_rate - arrival_rate) * target_s)


def asa(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Erlang C average speed of answer ``E[W] = C(c, a) / (c μ - λ)`` in seconds."""
    _check("arrival_rate", arrival_rate, allow_zero=True)
    _check("service_rate", service_rate)
    wait_prob = erlang_c(servers, arrival_rate / service_rate)
    return wait_prob / (servers * service_rate - arrival_rate)


def min_servers_for_service_level(
    arrival_rate: float, service_rate: float, target_s: float, level: float
) -> int:
    """Smallest c whose Erlang C service level reaches ``level`` (e.g. 0.8 in 20 s)."""
    _check("level", level)
    if level >= 1.0:
        raise InvalidInput("level", level, "a fraction in (0, 1)")
    servers = max(1, math.floor(arrival_rate / service_rate) + 1)
    while service_level(servers, arrival_rate, service_rate, target_s) < level:
        servers += 1
    return servers


def priority_waits(
    servers: int, arrival_rates: Sequence[float], service_rate: float
) -> tuple[float, ...]:
    """Mean queue wait per class in a non-preemptive priority M/M/c (Cobham).

    All classes share one exponential service rate μ. With ``σ_k`` the load of
    classes 1..k divided by c (class 1 is served first)::

        W_k = C(c, a) / (c μ (1 - σ_{k-1}) (1 - σ_k))

    where C is Erlang C for the total load ``a = Σλ/μ``.

    Args:
        servers: number of servers c.
        arrival_rates: λ per class, highest priority first.
        service_rate: the common μ.

    Returns:
        The mean wait in seconds of each class, in the given order.
    """
    _check("service_rate", service_rate)
    for rate in arrival_rates:
        _check("arrival_rates", rate, allow_zero=True)
    total = sum(arrival_rates)
    wait_prob = erlang_c(servers, total / service_rate)
    capacity = servers * service_rate
    waits: list[float] = []
    sigma_before = 0.0
    for rate in arrival_rates:
        sigma = sigma_before + rate / capacity
        waits.append(wait_prob / (capacity * (1.0 - sigma_before) * (1.0 - sigma)))
        sigma_before = sigma
    return tuple(waits)


@dataclass(frozen=True, slots=True)
class ErlangA:
    """Steady-state figures of M/M/c+M (Erlang A).

    Attributes:
        wait_probability: ``P(W > 0)``, an arrival finds all servers busy.
        abandon_probability: ``P(Ab) = θ E[Q] / λ``.
        asa_served_s: mean wait of the contacts that are answered.
        service_level: answered within t / (answered + abandoned after t).
        answered_within_target: ``P(answered and W <= t)``.
        abandoned_after_target: ``P(abandoned and patience > t)``.
    """

    wait_probability: float
    abandon_probability: float
    asa_served_s: float
    service_level: float
    answered_within_target: float
    abandoned_after_target: float


def _erlang_a_state_probabilities(
    servers: int, arrival_rate: float, service_rate: float, abandon_rate: float
) -> np.ndarray:
    """Stationary law of the number in system, truncated where it is negligible."""
    log_terms = [0.0]
    n = 0
    while True:
        n += 1
        death = min(n, servers) * service_rate + max(n - servers, 0) * abandon_rate
        log_terms.append(log_terms[-1] + math.log(arrival_rate) - math.log(death))
        if n > servers and log_terms[-1] < max(log_terms) - 45.0:
            break
    logs = np.asarray(log_terms)
    return np.exp(logs - logsumexp(logs))


def _tagged_customer_fates(
    ahead: np.ndarray, servers: int, service_rate: float, abandon_rate: float, target_s: float
) -> tuple[float, float, float, float]:
    """Fate of a waiting arrival by time t, from the law of the number ahead of it.

    The tagged contact moves through the states "j ahead" (rate ``cμ + jθ`` to
    ``j - 1``), enters service from "0 ahead" at rate ``cμ`` and abandons from any
    state at rate θ. Returns (served by t, abandoned by t, served ever,
    expected wait of the served), each weighted by ``ahead``.
    """
    size = len(ahead)
    generator = np.zeros((size + 2, size + 2))
    served, abandoned = size, size + 1
    cap = servers * service_rate
    for j in range(size):
        out = cap + j * abandon_rate if j else cap
        generator[j, j - 1 if j else served] = out
        generator[j, abandoned] = abandon_rate
        generator[j, j] = -(out + abandon_rate)
    at_target = ahead @ expm(generator * target_s)[:size]
    # Served ever and the mean served wait follow a backward recursion over stages.
    prob_served = np.empty(size)
    wait_served = np.empty(size)  # E[V 1{served}] from each stage
    for j in range(size):
        rate = (cap + j * abandon_rate if j else cap) + abandon_rate
        advance = (cap + j * abandon_rate if j else cap) / rate
        nxt = 1.0 if j == 0 else prob_served[j - 1]
        nxt_wait = 0.0 if j == 0 else wait_served[j - 1]
        prob_served[j] = advance * nxt
        wait_served[j] = advance * (nxt / rate + nxt_wait)
    return (
        float(at_target[served]),
        float(at_target[abandoned]),
        float(ahead @ prob_served),
        float(ahead @ wait_served),
    )


def erlang_a(
    servers: int,
    arrival_rate: float,
    service_rate: float,
    abandon_rate: float,
    target_s: float,
) -> ErlangA:
    """Steady state of M/M/c+M (Erlang A): waiting, abandonment and service level.

    The number in system is a birth-death chain with birth λ and death
    ``min(n, c) μ + max(n - c, 0) θ`` (Palm 1943); it is summed in log space and
    truncated when the terms fall below ``e^-45`` of the largest. By PASTA an
    arrival sees that law; its own fate is computed exactly on the chain of
    "contacts ahead of it" (see Garnett, Mandelbaum & Reiman 2002).

    Args:
        servers: number of servers c.
        arrival_rate: λ per second.
        service_rate: μ per second.
        abandon_rate: θ per second (1 / mean patience), > 0.
        target_s: the answer-time target t in seconds.

    Returns:
        An :class:`ErlangA` with the steady-state figures.
    """
    _check_servers(servers)
    for name, value in (("arrival_rate", arrival_rate), ("service_rate", service_rate)):
        _check(name, value)
    _check("abandon_rate", abandon_rate)
    _check("target_s", target_s, allow_zero=True)
    probs = _erlang_a_state_probabilities(servers, arrival_rate, service_rate, abandon_rate)
    ahead = probs[servers:]
    queue_mean = float(np.arange(len(ahead)) @ ahead)
    served_by_t, abandoned_by_t, served_ever, served_wait = _tagged_customer_fates(
        ahead, servers, service_rate, abandon_rate, target_s
    )
    no_wait = float(probs[:servers].sum())
    abandon = abandon_rate * queue_mean / arrival_rate
    answered_within = no_wait + served_by_t
    abandoned_after = abandon - abandoned_by_t
    answered = no_wait + served_ever
    return ErlangA(
        wait_probability=1.0 - no_wait,
        abandon_probability=abandon,
        asa_served_s=served_wait / answered,
        service_level=answered_within / (answered + abandoned_after),
        answered_within_target=answered_within,
        abandoned_after_target=abandoned_after,
    )
