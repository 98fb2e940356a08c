"""The formula behind every reported figure, in words, for the report to print."""

from __future__ import annotations

__all__ = ["FORMULAS"]

#: Figure name -> how it is computed. Shown verbatim in the HTML report.
FORMULAS: dict[str, str] = {
    "offered": "contacts the flow transferred to a queue (bots closed by the guard are not "
    "offered); counted in the interval in which they arrived",
    "service_level": "answered within the queue's target / (answered + abandoned after the "
    "target + still waiting past the target at the horizon); abandons within the target are "
    "left out. The wait runs from arrival, so resolution time counts in the sync design",
    "daily_service_level": "ratio of sums over the day's intervals (not a mean of interval "
    "service levels); the headline judges every contact against its own queue's target",
    "service_level_pooled": "sum over replications of answered within target / sum of the "
    "denominators",
    "day_meets_goal_probability": "share of replications (days) whose daily service level "
    "reaches the queue's goal (headline: every queue with traffic does); Wilson 95% interval",
    "asa_seconds": "mean wait (arrival to answer) of the answered contacts; a contact is "
    "answered when an agent accepts it, after the alert (the group's accept_time)",
    "wait_percentiles": "p50/p90/p95/p99 of the answered contacts' waits, linear "
    "interpolation, computed within each replication; the interval is taken across them",
    "abandon_rate": "abandoned / offered",
    "occupancy": "time-weighted mean share of agent capacity (agents x concurrency) busy, "
    "after warm-up",
    "max_queue": "largest number of contacts waiting in the queue after warm-up",
    "irp.timeout_rate": "IRP calls that hit the data-action timeout / IRP calls",
    "irp.error_rate": "IRP calls that failed / IRP calls",
    "irp.latency": "IRP end - IRP start per call (waiting for an IRP slot included)",
    "irp.bot_filtered": "messages the bot guard closed before the IRP",
    "truth_space": "over contacts that reached resolution: TP linked to the true customer; "
    "FP linked to a customer the sender is not (false merge); FN sender is a customer, not "
    "linked; TN sender is no customer, not linked",
    "precision": "TP / (TP + FP)",
    "recall": "TP / contacts whose sender is a customer = TP / (TP + FN + FP to another customer)",
    "f1": "2 precision recall / (precision + recall)",
    "false_merge_rate": "FP / contacts that reached resolution",
    "review_rate": "contacts answered review: true / contacts that reached resolution",
    "duplicate_leads": "leads created for a sender who is a known customer, plus second "
    "leads for the same sender (mean count per replication)",
    "context_missing_rate": "answered contacts that an agent accepted before their "
    "resolution finished / answered contacts",
    "rerouted_rate": "offered contacts re-routed at least once / offered contacts",
    "warm_up": "contacts arriving before warmup_s are left out of every figure",
    "ci95": "mean over independent replications +- t(0.975, n-1) x standard error "
    "(Student t, scipy.stats)",
    "paired_difference": "mean over replications of (design A - design B) in the same "
    "replication (common random numbers), Student-t 95% interval; significant when the "
    "interval excludes 0",
    "erlang_c": "M/M/c: P(wait>0) = C(c,a), SL(t) = 1 - C(c,a) exp(-(c mu - lambda) t), "
    "ASA = C(c,a) / (c mu - lambda), a = lambda / mu, c = agents x concurrency",
}
