"""Run a scenario: every design x replication (x sweep point) in worker processes.

:func:`run_scenario` runs :func:`simulator.engine.simulate` once per (sweep point,
replication, design), in parallel worker processes, reduces each replication to its
metrics tree inside the worker, and folds the trees in a fixed order, so
``metrics.json`` is byte-identical whatever the number of workers. Replication r of
every design uses ``seed`` and replication index r: the designs share their random
numbers (common random numbers) and their paired differences are tight.

metrics.json layout (keys sorted, floats rounded to 6 significant digits, NaN and
undefined figures as ``null``). Every number ``x`` that is a mean over replications
has a sibling ``x_ci95`` = ``[lo, hi]`` (Student t, clipped to the figure's range;
``[null, null]`` with one replication)::

    scenario, description, seed, replications, horizon_s, warmup_s, start_hour,
    interval_seconds (900), design_order [names], headline_queue,
    queues.<queue>: {target_seconds, goal}
    formulas: {figure: how it is computed}            # FORMULAS, print in the report
    designs.<design>:
      messages                                        # contacts after warm-up, bots included
      sla: offered answered abandoned waiting_at_end answered_within abandoned_after
           waiting_after service_level abandon_rate asa_seconds wait_p50_seconds
           wait_p90_seconds wait_p95_seconds wait_p99_seconds wait_max_seconds
           service_level_pooled target_seconds goal
           day_meets_goal_probability (+ _ci95, Wilson)   # every queue met its goal
           intervals: [{start_s, offered, answered, abandoned, answered_within,
                        abandoned_after, waiting_after, service_level, asa_seconds,
                        wait_p90_seconds, service_level_pooled}, ...]   # by arrival, 15 min
           queues.<queue>: the same figures against that queue's target, plus
                        max_queue, mean_queue, day_meets_goal_probability, intervals
                        (each interval also has max_queue)
           tiers.<tier>: the same figures for that tier's real customers (ground truth),
                        wherever they were routed, against the target of their tier's queue
      occupancy.<agent group>                         # time-weighted, after warm-up
      occupancy_intervals.<agent group>: [{start_s, occupancy}, ...]
      irp: messages bot_filtered bots_passed humans_blocked calls ok timeouts errors
           rate_limited timeout_rate error_rate rate_limited_rate latency_mean_seconds
           latency_p50_seconds latency_p90_seconds latency_p95_seconds latency_p99_seconds
      accuracy: evaluated true_positives false_positives false_positives_wrong_customer
           false_positives_stranger false_negatives true_negatives precision recall f1
           false_merge_rate review_rate leads_created duplicate_leads
           duplicate_leads_known_customer duplicate_leads_repeat_sender
           by_case.<case>: the same figures for one ground-truth case
           examples: {false_merges, misses, duplicate_leads}: [contact, ...] (first replication)
      context_missing context_missing_rate reroutes rerouted_rate
    comparisons.<a>_vs_<b>."<dotted figure>":         # a - b, paired by replication
      {difference, difference_ci95, first, second, n, significant}  # CI excludes 0
    erlang_c: {applies: false, reasons} | {applies: true, assumptions, servers,
               arrival_rate_per_s, offered_load_erlangs, service_level, asa_seconds,
               wait_probability, min_servers_for_goal, ...}   # see sweep.py
    sweep: null | {parameters, points, smallest_meeting_goal,
                   smallest_meeting_goal_erlang_c}                          # see sweep.py
"""

from __future__ import annotations

import json
import math
import multiprocessing
import numbers
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.engine.records import ReplicationResult
from simulator.errors import InvalidInput, InvalidScenario
from simulator.identity import TIERS
from simulator.metrics import (
    FORMULAS,
    MetricsConfig,
    QueueTarget,
    after_warmup,
    compare_designs,
    duplicate_lead_contacts,
    error_examples,
    replication_metrics,
    summarize,
)
from simulator.scenario import DESIGNS, Scenario
from simulator.sweep import erlang_c_prediction, sweep_section

__all__ = ["Progress", "RunResult", "metrics_config", "run_scenario", "stable_json"]

#: ``progress(done, total)`` after each finished (point, replication) job.
Progress = Callable[[int, int], None]

SIGNIFICANT_DIGITS = 6


@dataclass(frozen=True, slots=True)
class RunResult:
    """The outcome of :func:`run_scenario`.

    Attributes:
        metrics: the JSON-able metrics (layout in the module docstring), already
            rounded as written to ``metrics.json``.
        first_replication: replication 0 of the base scenario per design, for
            ``contacts.csv`` and the time-series charts.
    """

    metrics: dict[str, Any]
    first_replication: dict[str, ReplicationResult]

    def write_metrics_json(self, path: str | Path) -> Path:
        """Write ``metrics.json`` (sorted keys, stable bytes) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(stable_json(self.metrics), encoding="utf-8")
        return path


def _round(value: Any) -> Any:
    """JSON-ready copy: floats to 6 significant digits, NaN/inf to ``None``, tuples to lists."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return float(f"{number:.{SIGNIFICANT_DIGITS}g}") if math.isfinite(number) else None
    if isinstance(value, Mapping):
        return {str(k): _round(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return str(value)


def stable_json(data: Any) -> str:
    """JSON text with sorted keys, floats to 6 significant digits, a final newline."""
    return json.dumps(_round(data), sort_keys=True, indent=2, allow_nan=False) + "\n"


def metrics_config(scenario: Scenario) -> MetricsConfig:
    """Queue objectives of ``scenario``; the headline queue is the async first transfer."""
    targets = {q.name: QueueTarget(q.sla_target_s, q.sla_goal) for q in scenario.queues}
    tier_targets = {
        tier: targets[getattr(scenario.routing, tier).queue]
        for tier in TIERS
        if getattr(scenario.routing, tier).queue in targets
    }
    return MetricsConfig(
        targets=targets,
        headline_queue=scenario.routing.initial.queue,
        concurrency={g.name: g.concurrency for g in scenario.agent_groups},
        tier_targets=tier_targets,
    )


@dataclass(frozen=True, slots=True)
class _Job:
    point: int
    replication: int
    scenario: Scenario
    designs: tuple[str, ...]
    seed: int
    keep: bool


@dataclass(frozen=True, slots=True)
class _Outcome:
    point: int
    replication: int
    trees: dict[str, dict[str, Any]]
    results: dict[str, ReplicationResult] | None
    error: tuple[type[InvalidInput], str, Any, str] | None = None


def _run_job(job: _Job) -> _Outcome:
    """One replication of every design, sharing one population (runs in a worker)."""
    from simulator.engine import simulate
    from simulator.engine.draws import population_seed
    from simulator.population import build_population

    config = metrics_config(job.scenario)
    trees: dict[str, dict[str, Any]] = {}
    results: dict[str, ReplicationResult] = {}
    try:
        population = build_population(job.scenario, seed=population_seed(job.seed, job.replication))
        for design in job.designs:
            result = simulate(
                job.scenario,
                design=design,
                replication=job.replication,
                seed=job.seed,
                population=population,
            )
            trees[design] = replication_metrics(result, config)
            if job.keep:
                results[design] = result
    except InvalidInput as exc:  # its 3-argument __init__ does not survive pickling
        error = (type(exc), exc.field, exc.value, exc.allowed)
        return _Outcome(job.point, job.replication, {}, None, error)
    return _Outcome(job.point, job.replication, trees, results if job.keep else None)


def _check_count(name: str, value: int | None) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise InvalidInput(name, value, "an integer >= 1")


def _chosen_designs(scenario: Scenario, designs: Sequence[str] | None) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(designs)) if designs else tuple(scenario.designs)
    for name in chosen:
        if name not in DESIGNS:
            raise InvalidScenario("designs", name, "one of " + ", ".join(DESIGNS))
    if not chosen:
        raise InvalidScenario("designs", list(chosen), "at least one design")
    return chosen


def _execute(jobs: list[_Job], workers: int, progress: Progress | None) -> list[_Outcome]:
    """Run the jobs in-process or in a pool; the result order is the job order."""
    outcomes: dict[tuple[int, int], _Outcome] = {}
    total = len(jobs)
    if workers <= 1 or total <= 1:
        for done, job in enumerate(jobs, start=1):
            outcomes[(job.point, job.replication)] = _run_job(job)
            if progress is not None:
                progress(done, total)
    else:
        context = _pool_context()
        with ProcessPoolExecutor(max_workers=min(workers, total), mp_context=context) as pool:
            futures = [pool.submit(_run_job, job) for job in jobs]
            try:
                for done, future in enumerate(as_completed(futures), start=1):
                    outcome = _raise_error(future.result())
                    outcomes[(outcome.point, outcome.replication)] = outcome
                    if progress is not None:
                        progress(done, total)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    return [_raise_error(outcomes[(job.point, job.replication)]) for job in jobs]


def _pool_context() -> multiprocessing.context.BaseContext:
    """``fork`` where the platform has it: fast, and scripts need no ``__main__`` guard.

    The workers only run :func:`_run_job`, a pure function of its pickled job, so
    nothing they inherit from the parent (threads such as a progress bar's) is used.
    """
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _raise_error(outcome: _Outcome) -> _Outcome:
    if outcome.error is not None:
        kind, field, value, allowed = outcome.error
        raise kind(field, value, allowed)
    return outcome


def _design_summaries(
    trees: dict[str, list[dict[str, Any]]], first: dict[str, ReplicationResult]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for design, per_rep in trees.items():
        summary = summarize(per_rep)
        result = first.get(design)
        if result is not None:
            duplicates = duplicate_lead_contacts(result.records)
            summary["accuracy"]["examples"] = error_examples(after_warmup(result), duplicates)
        out[design] = summary
    return out


def _per_design(outcomes: list[_Outcome], point: int, designs: tuple[str, ...]) -> dict:
    mine = [o for o in outcomes if o.point == point]
    return {d: [o.trees[d] for o in mine] for d in designs}


def run_scenario(
    scenario: Scenario,
    *,
    seed: int | None = None,
    replications: int | None = None,
    workers: int | None = None,
    designs: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run every design and replication of ``scenario`` (and its sweep) and fold the metrics.

    The base scenario always runs (``designs``, ``comparisons``, ``first_replication``);
    with a ``sweep`` every grid point runs the same replications as well.

    Args:
        scenario: a validated scenario.
        seed: overrides ``scenario.seed``.
        replications: overrides ``scenario.replications``.
        workers: worker processes (default ``os.cpu_count()``); 1 runs in-process.
            The result does not depend on it.
        designs: overrides ``scenario.designs`` (names from ``sync``, ``async``).
        progress: called as ``progress(done, total)`` after each finished job (one
            replication of every design at one sweep point).

    Returns:
        The :class:`RunResult`.

    Raises:
        InvalidInput: a bad override (``workers``, ``replications``, ``designs``).
    """
    _check_count("replications", replications)
    _check_count("workers", workers)
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise InvalidInput("seed", seed, "an integer >= 0")
    chosen = _chosen_designs(scenario, designs)
    run_seed = scenario.seed if seed is None else seed
    reps = scenario.replications if replications is None else replications
    points = scenario.sweep.points() if scenario.sweep is not None else []
    variants = [scenario] + [scenario.with_values(values) for values in points]
    jobs = [
        _Job(p, r, variant, chosen, run_seed, keep=(p == 0 and r == 0))
        for p, variant in enumerate(variants)
        for r in range(reps)
    ]
    outcomes = _execute(jobs, workers or os.cpu_count() or 1, progress)
    first = outcomes[0].results or {}
    base = _per_design(outcomes, 0, chosen)
    metrics: dict[str, Any] = {
        "scenario": scenario.name,
        "description": scenario.description,
        "seed": run_seed,
        "replications": reps,
        "horizon_s": scenario.horizon_s,
        "warmup_s": scenario.warmup_s,
        "start_hour": scenario.start_hour,
        "interval_seconds": metrics_config(scenario).interval_s,
        "design_order": list(chosen),
        "headline_queue": metrics_config(scenario).headline_queue,
        "queues": {
            q.name: {"target_seconds": q.sla_target_s, "goal": q.sla_goal} for q in scenario.queues
        },
        "formulas": dict(FORMULAS),
        "designs": _design_summaries(base, first),
        "comparisons": compare_designs(base, chosen),
        "erlang_c": erlang_c_prediction(scenario, base[chosen[0]]),
        "sweep": None,
    }
    if scenario.sweep is not None:
        per_point = [_per_design(outcomes, p + 1, chosen) for p in range(len(points))]
        metrics["sweep"] = sweep_section(scenario, variants[1:], points, per_point, chosen)
    return RunResult(metrics=_round(metrics), first_replication=dict(first))
