"""Figures across replications: means with 95% intervals and paired design differences.

:func:`summarize` folds the per-replication trees of
:func:`~simulator.metrics.replication.replication_metrics` leaf by leaf:

* a number ``x`` becomes the mean ``x`` and its Student-t interval ``x_ci95``
  (``[lo, hi]``; ``[null, null]`` with a single replication; clipped at 0, and at 1
  for fractions, since every figure is a count, a duration or a fraction).
  Percentiles are thus computed within each replication, then the interval is
  taken across them;
* ``target_seconds``, ``goal`` and ``start_s`` are constants and stay as they are;
* ``day_meets_goal`` (1 or 0 per replication, each replication being one day)
  becomes ``day_meets_goal_probability`` with a Wilson interval;
* a mapping holding service-level counts also gets ``service_level_pooled``: the
  ratio of the summed counts over all replications (a ratio of sums);
* lists (the 15-minute intervals) are folded element by element.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.metrics.confidence import Estimate, mean_ci, paired_difference, proportion_ci

__all__ = ["COMPARED_FIGURES", "compare_designs", "leaf", "summarize"]

Tree = dict[str, Any]

CONSTANT_KEYS = frozenset({"target_seconds", "goal", "start_s"})

#: Figures that are fractions (as are all ``*_rate``): their intervals are clipped to [0, 1].
FRACTION_KEYS = frozenset({"service_level", "precision", "recall", "f1"})

#: Headline figures compared between designs (dotted paths in a replication tree).
COMPARED_FIGURES: tuple[str, ...] = (
    "sla.service_level",
    "sla.asa_seconds",
    "sla.wait_p90_seconds",
    "sla.wait_p99_seconds",
    "sla.abandon_rate",
    "irp.timeout_rate",
    "irp.latency_p95_seconds",
    "accuracy.precision",
    "accuracy.recall",
    "accuracy.f1",
    "accuracy.false_merge_rate",
    "accuracy.review_rate",
    "accuracy.duplicate_leads",
    "context_missing_rate",
    "rerouted_rate",
    "reroutes",
)
_PER_QUEUE_COMPARED = ("service_level", "asa_seconds", "wait_p90_seconds")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fold_value(key: str, values: list[Any], out: Tree) -> None:
    present = [v for v in values if v is not None]
    sample = present[0] if present else None
    if key in CONSTANT_KEYS:
        out[key] = sample
    elif key == "day_meets_goal":
        estimate = proportion_ci(sum(int(v) for v in present), len(present))
        out["day_meets_goal_probability"] = estimate.mean
        out["day_meets_goal_probability_ci95"] = estimate.ci95
    elif isinstance(sample, Mapping):
        out[key] = summarize(values)
    elif isinstance(sample, list):
        out[key] = _fold_lists(values)
    elif sample is None or _is_number(sample):
        estimate = mean_ci(values)
        out[key] = estimate.mean
        out[f"{key}_ci95"] = _clipped(key, estimate.ci95)
    else:
        out[key] = sample


def _is_fraction(key: str) -> bool:
    return key in FRACTION_KEYS or key.endswith("_rate")


def _clipped(key: str, bounds: list[float | None]) -> list[float | None]:
    """Keep an interval inside the figure's range (a t interval can overshoot it).

    Every figure of a replication tree is a count, a duration or a fraction, so none
    is negative; fractions are also at most 1.
    """
    top = 1.0 if _is_fraction(key) else float("inf")
    return [None if b is None else min(top, max(0.0, b)) for b in bounds]


def _fold_lists(lists: list[Any]) -> list[Any]:
    present = [item for item in lists if item is not None]
    length = min(len(item) for item in present)
    folded: list[Any] = []
    for i in range(length):
        column = [item[i] for item in present]
        folded.append(summarize(column) if isinstance(column[0], Mapping) else column[0])
    return folded


def _pooled_service_level(trees: Sequence[Mapping[str, Any]]) -> float | None:
    within = sum(t.get("answered_within") or 0 for t in trees)
    judged = sum(
        (t.get("answered") or 0) + (t.get("abandoned_after") or 0) + (t.get("waiting_after") or 0)
        for t in trees
    )
    return within / judged if judged else None


def summarize(trees: Sequence[Mapping[str, Any] | None]) -> Tree:
    """Fold per-replication trees into means and 95% intervals (see module doc).

    Args:
        trees: one tree per replication, all of one shape (``None`` entries skipped).

    Returns:
        The folded tree, keys in sorted order.
    """
    present = [t for t in trees if t is not None]
    keys = sorted({key for tree in present for key in tree})
    out: Tree = {}
    for key in keys:
        _fold_value(key, [tree.get(key) for tree in present], out)
    if present and "answered_within" in present[0]:
        out["service_level_pooled"] = _pooled_service_level(present)
    return out


def leaf(tree: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of a tree, or ``None`` when it is missing."""
    node: Any = tree
    for key in path.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _compared_paths(trees: Sequence[Mapping[str, Any]]) -> list[str]:
    """The headline figures, then the per-queue and per-tier ones of every queue and tier."""
    paths = list(COMPARED_FIGURES)
    for section in ("sla.queues", "sla.tiers"):
        names = dict.fromkeys(name for tree in trees for name in leaf(tree, section) or {})
        paths += [f"{section}.{name}.{fig}" for name in names for fig in _PER_QUEUE_COMPARED]
    return paths


def _difference_entry(first: list[Any], second: list[Any]) -> Tree:
    diff: Estimate = paired_difference(first, second)
    return {
        "difference": diff.mean,
        "difference_ci95": diff.ci95,
        "first": mean_ci(first).mean,
        "second": mean_ci(second).mean,
        "n": diff.n,
        "significant": diff.excludes_zero,
    }


def compare_designs(
    per_design: Mapping[str, Sequence[Mapping[str, Any]]], order: Sequence[str]
) -> Tree:
    """Paired differences between every two designs, replication by replication.

    Replication r of every design shares its random numbers, so the difference
    ``first[r] - second[r]`` is the paired observation.

    Args:
        per_design: per-replication trees by design, each list ordered by replication.
        order: design names; each pair (a, b) with a before b is compared as ``a - b``.

    Returns:
        ``{"<a>_vs_<b>": {"<dotted figure>": {difference, difference_ci95, first,
        second, n, significant}}}``.
    """
    out: Tree = {}
    for i, first in enumerate(order):
        for second in order[i + 1 :]:
            a_trees, b_trees = per_design[first], per_design[second]
            paths = _compared_paths([*a_trees, *b_trees])
            out[f"{first}_vs_{second}"] = {
                path: _difference_entry(
                    [leaf(t, path) for t in a_trees], [leaf(t, path) for t in b_trees]
                )
                for path in paths
            }
    return out
