"""Records -> SLA, IRP and accuracy figures with confidence intervals (pure functions).

Per replication, :func:`replication_metrics` turns one
:class:`~simulator.engine.records.ReplicationResult` into a tree of numbers;
across replications, :func:`summarize` folds those trees into means with Student-t
95% intervals and :func:`compare_designs` gives paired differences between designs.
:data:`FORMULAS` states how each figure is computed. No I/O, no randomness.
"""

from __future__ import annotations

from simulator.metrics.accuracy import (
    AccuracyFigures,
    accuracy_by_case,
    accuracy_figures,
    duplicate_lead_contacts,
    error_examples,
)
from simulator.metrics.confidence import (
    Estimate,
    mean_ci,
    paired_difference,
    percentiles,
    proportion_ci,
)
from simulator.metrics.formulas import FORMULAS
from simulator.metrics.irp import IrpFigures, irp_figures
from simulator.metrics.replication import MetricsConfig, after_warmup, replication_metrics
from simulator.metrics.sla import (
    QueueTarget,
    SlaFigures,
    interval_figures,
    series_max,
    series_time_average,
    sla_figures,
)
from simulator.metrics.summary import COMPARED_FIGURES, compare_designs, leaf, summarize

__all__ = [
    "COMPARED_FIGURES",
    "FORMULAS",
    "AccuracyFigures",
    "Estimate",
    "IrpFigures",
    "MetricsConfig",
    "QueueTarget",
    "SlaFigures",
    "accuracy_by_case",
    "accuracy_figures",
    "after_warmup",
    "compare_designs",
    "duplicate_lead_contacts",
    "error_examples",
    "interval_figures",
    "irp_figures",
    "leaf",
    "mean_ci",
    "paired_difference",
    "percentiles",
    "proportion_ci",
    "replication_metrics",
    "series_max",
    "series_time_average",
    "sla_figures",
    "summarize",
]
