"""Run one design of one replication: :func:`simulate`.

Arrivals, per-contact draws and the population come from :mod:`.draws` (common random
numbers: every design of a replication sees the same ones); :class:`~.model.Model`
interprets the design's flow over them.

Switches for queueing-theory checks: ``irp.enabled: false`` skips resolution and lead
capture (every contact is routed by ``routing.guest`` at arrival), a case mix without
``bot`` and no storms removes bots, ``patience.kind: none`` removes abandonment; with
exponential handle times and concurrency 1 the model is then M/M/c (Erlang C), and
with exponential patience M/M/c+M (Erlang A).
"""

from __future__ import annotations

import gc

from simulator.engine.agents import AcceptDraws
from simulator.engine.contact import records
from simulator.engine.draws import draw_arrivals, draw_contacts, population_seed, rng
from simulator.engine.model import Model
from simulator.engine.records import ContactRecord, ReplicationResult, StepSeries
from simulator.flow import Flow
from simulator.flow import design as design_flow
from simulator.population import Population, build_population
from simulator.scenario import Bots, Scenario
from simulator.scenario import Population as PopulationConfig

__all__ = ["population_for", "simulate"]


def simulate(
    scenario: Scenario,
    *,
    design: str,
    replication: int,
    seed: int,
    population: Population | None = None,
) -> ReplicationResult:
    """Run one design of one replication and return its records and trackers.

    Args:
        scenario: the validated scenario.
        design: ``sync`` or ``async``.
        replication: replication index (0, 1, ...); selects the random streams.
        seed: the run's base seed (usually ``scenario.seed``).
        population: the replication's population, to share it between designs; built
            from ``(seed, replication)`` when omitted (the same one either way).

    Returns:
        One :class:`ContactRecord` per contact, in arrival order (``contact_id`` is the
        index), and the step series ``irp.in_flight`` and ``crm.in_flight`` (waiting plus
        in service), ``queue.<name>.waiting``, ``agents.<group>.busy`` (messages held)
        and ``agents.<group>.staffed`` (agents on shift; occupancy is busy over staffed
        times the group's concurrency). Contacts arrive until ``horizon_s``; the run
        continues until every one has left, so none is cut off at the horizon.

    Raises:
        InvalidInput: an unknown design.
    """
    flow = design_flow(design)
    if population is None:
        population = population_for(scenario, seed=seed, replication=replication)
    collecting = gc.isenabled()
    gc.disable()  # a run allocates many short-lived acyclic objects: cycle GC costs ~30 %
    try:
        records, series = _run(scenario, flow, population, design, replication, seed)
    finally:  # the model is freed by now (Model.close): the collector sees only the results
        if collecting:
            gc.enable()
    return ReplicationResult(
        design=design,
        replication=replication,
        horizon_s=scenario.horizon_s,
        warmup_s=scenario.warmup_s,
        records=records,
        series=series,
    )


def _run(
    scenario: Scenario,
    flow: Flow,
    population: Population,
    design: str,
    replication: int,
    seed: int,
) -> tuple[tuple[ContactRecord, ...], dict[str, StepSeries]]:
    """Draw, run the model, and keep only its records and trackers."""
    arrivals = draw_arrivals(scenario, rng(seed, replication, "arrivals"))
    draws = draw_contacts(scenario, arrivals, population, seed=seed, replication=replication)
    accept = _accept_draws(scenario, len(arrivals), seed=seed, replication=replication)
    model = Model(scenario, flow, population, draws, arrivals.times, accept=accept)
    try:
        model.run()
        tiers = {c.customer_id: c.tier for c in population.customers}
        kept = records(model.contacts, replication=replication, design=design, tiers=tiers)
        return kept, model.tracker.series()
    finally:
        model.close()


def population_for(scenario: Scenario, *, seed: int, replication: int) -> Population:
    """The population of one replication, shared by its designs.

    It depends only on the ``population`` and ``bots`` sections, the seed and the
    replication, so the last few are kept: the designs of a replication (run one after
    the other in one worker) build it once.
    """
    key = (scenario.population, scenario.bots, seed, replication)
    population = _RECENT.pop(key, None)
    if population is None:
        population = build_population(scenario, seed=population_seed(seed, replication))
    _RECENT[key] = population
    while len(_RECENT) > 2:
        del _RECENT[next(iter(_RECENT))]
    return population


_RECENT: dict[tuple[PopulationConfig, Bots, int, int], Population] = {}


def _accept_draws(scenario: Scenario, n: int, *, seed: int, replication: int) -> AcceptDraws | None:
    """The accept-delay draws, when some agent group has an alerting phase."""
    if not any(g.accept_time.enabled for g in scenario.agent_groups):
        return None
    return AcceptDraws.draw(n, seed=seed, replication=replication)
