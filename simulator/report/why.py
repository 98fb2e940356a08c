"""The "why" under the verdict: the mechanisms behind each design's figures, in words.

An architect reading the verdict asks why a design wins or loses. The answer is in a
few figures the run already measured: how many IRP calls timed out (waiting for a free
IRP slot counts toward the timeout), what the failure branch cost in accuracy, how many
contacts an agent took before their resolution ended, how many were re-routed, how each
tier's real customers were served, and what the bot guard kept away from the IRP. Each
sentence is built from those figures only, and is left out when its figure is absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.report.formatting import figure, fmt, fmt_interval
from simulator.report.view import design_names, dig, tier_names

__all__ = ["explanations"]


#: What each ground-truth case means, for the sentence on misses no resolver can avoid.
_CASE_WORDS = {
    "new_handle": "a customer writing from a new, unlinked account",
    "cross_platform": "a customer's first message on another platform without a shared email",
    "cross_platform_email": "a first message on another platform with a shared email",
    "returning": "a returning customer",
    "handle_change": "a customer who renamed their handle",
}


def _value(metrics: Mapping[str, Any], design: str, path: str, unit: str) -> str | None:
    """``path`` of one design formatted with its interval, or ``None`` when missing."""
    parent, _, key = path.rpartition(".")
    fig = figure(dig(metrics, ".".join(p for p in ("designs", design, parent) if p)), key)
    if fig.mean is None:
        return None
    interval = fmt_interval(fig, unit)
    return fmt(fig.mean, unit) + (f" {interval}" if interval else "")


def _number(metrics: Mapping[str, Any], design: str, path: str) -> float:
    value = dig(metrics, f"designs.{design}.{path}")
    return float(value) if isinstance(value, int | float) else 0.0


def _irp_sentence(metrics: Mapping[str, Any], design: str) -> str | None:
    if _number(metrics, design, "irp.calls") == 0:
        return None
    timeouts = _value(metrics, design, "irp.timeout_rate", "pct")
    p95 = _value(metrics, design, "irp.latency_p95_seconds", "ms")
    errors = _value(metrics, design, "irp.error_rate", "pct")
    text = f"{design}: {timeouts} of IRP calls timed out and {errors} failed; IRP latency p95 {p95}"
    return text + " (waiting for a free IRP slot included)."


def _timeout_cost_sentence(metrics: Mapping[str, Any], design: str, best: str) -> str | None:
    """What the failure branch cost ``design`` against ``best``, the design timing out least."""
    if design == best or _number(metrics, design, "irp.timeout_rate") <= 0.001:
        return None
    recall = {d: _value(metrics, d, "accuracy.recall", "pct") for d in (design, best)}
    leads = {d: _value(metrics, d, "accuracy.duplicate_leads", "count") for d in (design, best)}
    return (
        f"{design}: every timed-out call took the guest branch, so a known customer was missed "
        f"and could get a lead of their own: recall {recall[design]} against {recall[best]} in "
        f"{best}; {leads[design]} duplicate leads per replication against {leads[best]}."
    )


def _evidence_sentence(metrics: Mapping[str, Any], design: str) -> str | None:
    """The misses left where nothing timed out: messages that carry no linking evidence."""
    cases = dig(metrics, f"designs.{design}.accuracy.by_case") or {}
    misses = {
        case: float(node.get("false_negatives") or 0.0)
        for case, node in cases.items()
        if isinstance(node, Mapping) and case in _CASE_WORDS
    }
    top = [c for c in sorted(misses, key=lambda c: -misses[c]) if misses[c] >= 1.0][:2]
    if not top:
        return None
    listed = " and ".join(f"{_CASE_WORDS[c]} ({fmt(misses[c], 'count')})" for c in top)
    return (
        f"Most misses in {design} carry no evidence a resolver could use: {listed} per "
        "replication. Each gets a lead tagged needs_review for a data steward "
        "(see Accuracy, by case)."
    )


def _impersonation_sentence(metrics: Mapping[str, Any], design: str) -> str | None:
    """What became of the look-alike handles (impersonators) that reached the resolver."""
    if _number(metrics, design, "accuracy.by_case.homoglyph.evaluated") < 1.0:
        return None
    case = "accuracy.by_case.homoglyph"
    return (
        f"{design}: of {_value(metrics, design, f'{case}.evaluated', 'count')} look-alike "
        f"handles per replication, {_value(metrics, design, f'{case}.review_rate', 'pct')} "
        "went to review and "
        f"{_value(metrics, design, f'{case}.false_positives', 'count')} were merged into "
        "someone's record."
    )


def _context_sentence(metrics: Mapping[str, Any], design: str) -> str | None:
    if (
        _number(metrics, design, "context_missing_rate") + _number(metrics, design, "rerouted_rate")
        == 0
    ):
        return None
    return (
        f"{design}: {_value(metrics, design, 'context_missing_rate', 'pct')} of answered "
        "contacts reached an agent before their resolution finished (context missing), and "
        f"{_value(metrics, design, 'rerouted_rate', 'pct')} were re-routed once their tier "
        "was known."
    )


def _tier_sentence(metrics: Mapping[str, Any], tier: str) -> str | None:
    parts = []
    target = None
    for design in design_names(metrics):
        node = dig(metrics, f"designs.{design}.sla.tiers.{tier}")
        level = _value(metrics, design, f"sla.tiers.{tier}.service_level", "pct")
        if level is None or not isinstance(node, Mapping):
            continue
        target = node.get("target_seconds")
        parts.append(f"{level} in {design}")
    if not parts:
        return None
    return (
        f"{tier} customers (ground truth, wherever they were routed) answered within "
        f"{fmt(target, 's')}: " + ", ".join(parts) + "."
    )


def _bot_sentence(metrics: Mapping[str, Any]) -> str | None:
    designs = design_names(metrics)
    if not designs or _number(metrics, designs[0], "irp.bot_filtered") == 0:
        return None
    filtered = _value(metrics, designs[0], "irp.bot_filtered", "count")
    return f"The bot guard closed {filtered} messages per replication before they reached the IRP."


def explanations(metrics: Mapping[str, Any]) -> list[str]:
    """Sentences explaining the verdict, from the run's own figures."""
    designs = design_names(metrics)
    if not designs:
        return []
    best = min(designs, key=lambda d: _number(metrics, d, "irp.timeout_rate"))
    sentences: list[str | None] = []
    for design in designs:
        sentences += [
            _irp_sentence(metrics, design),
            _timeout_cost_sentence(metrics, design, best),
            _impersonation_sentence(metrics, design),
            _context_sentence(metrics, design),
        ]
    sentences.append(_evidence_sentence(metrics, best))
    if "Platinum" in tier_names(metrics):
        sentences.append(_tier_sentence(metrics, "Platinum"))
    sentences.append(_bot_sentence(metrics))
    return [s for s in sentences if s]
