"""Resolution accuracy against ground truth: truth-space table and derived rates.

Every contact the bot guard let through was really resolved by the real resolver,
so these figures are measured, not sampled. Vocabulary as in Splink: a
*truth-space table* of true/false positives and negatives, precision, recall, F1.

A contact is *linked* when the answer it was routed with named a customer
(``resolved`` and ``resolved_customer_id`` set). Its sender is *known* when the
ground truth names a customer (``true_customer_id``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from simulator.engine.records import CASES, ContactRecord

__all__ = [
    "AccuracyFigures",
    "accuracy_by_case",
    "accuracy_figures",
    "duplicate_lead_contacts",
    "error_examples",
]


@dataclass(frozen=True, slots=True)
class AccuracyFigures:
    """Truth-space table and rates for a set of contacts.

    Attributes:
        evaluated: contacts that reached resolution (not closed by the bot guard).
        true_positives: linked to their true customer.
        false_positives: linked, but not to the sender's customer (a false merge);
            split into ``false_positives_wrong_customer`` (sender is another
            customer) and ``false_positives_stranger`` (sender is no customer).
        false_negatives: known sender, not linked (unresolved, review, timeout).
        true_negatives: unknown sender, not linked.
        precision: TP / (TP + FP).
        recall: TP / known senders = TP / (TP + FN + FP wrong customer).
        f1: harmonic mean of precision and recall.
        false_merge_rate: FP / evaluated.
        review_rate: contacts answered ``review: true`` / evaluated.
        leads_created: contacts whose flow created a lead.
        duplicate_leads: created leads that duplicate a known customer or an earlier
            lead of the same sender (``duplicate_leads_known_customer`` +
            ``duplicate_leads_repeat_sender``).
    """

    evaluated: int
    true_positives: int
    false_positives: int
    false_positives_wrong_customer: int
    false_positives_stranger: int
    false_negatives: int
    true_negatives: int
    precision: float | None
    recall: float | None
    f1: float | None
    false_merge_rate: float | None
    review_rate: float | None
    leads_created: int
    duplicate_leads: int
    duplicate_leads_known_customer: int
    duplicate_leads_repeat_sender: int

    def as_dict(self) -> dict[str, float | int | None]:
        """The figures as a JSON-able mapping."""
        return asdict(self)


def is_linked(record: ContactRecord) -> bool:
    """True when the contact was routed as a resolved customer."""
    return record.resolved and record.resolved_customer_id is not None


def duplicate_lead_contacts(records: Sequence[ContactRecord]) -> dict[int, str]:
    """Contacts whose created lead is a duplicate, with the reason.

    Contacts are taken in arrival order (ties by contact id). A created lead is a
    duplicate when the sender is actually a known customer (``known_customer``) or
    when the same sender already had a lead created (``repeat_sender``). Pass every
    record of the replication, warm-up included, so that earlier leads are known.

    Returns:
        ``{contact_id: reason}``.
    """
    seen: set[str] = set()
    duplicates: dict[int, str] = {}
    for record in sorted(records, key=lambda r: (r.arrival_s, r.contact_id)):
        if record.lead_action != "created":
            continue
        if record.true_customer_id is not None:
            duplicates[record.contact_id] = "known_customer"
        elif record.sender_key in seen:
            duplicates[record.contact_id] = "repeat_sender"
        seen.add(record.sender_key)
    return duplicates


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def accuracy_figures(
    records: Iterable[ContactRecord], duplicates: dict[int, str]
) -> AccuracyFigures:
    """Truth-space table and rates of ``records``.

    Args:
        records: the contacts to score (warm-up removed).
        duplicates: :func:`duplicate_lead_contacts` of the whole replication.
    """
    tp = fp_wrong = fp_stranger = fn = tn = reviews = leads = 0
    dup_known = dup_repeat = 0
    evaluated = 0
    for record in records:
        if record.bot_blocked:
            continue
        evaluated += 1
        reviews += record.review
        leads += record.lead_action == "created"
        reason = duplicates.get(record.contact_id)
        dup_known += reason == "known_customer"
        dup_repeat += reason == "repeat_sender"
        truth = record.true_customer_id
        if is_linked(record):
            if record.resolved_customer_id == truth:
                tp += 1
            elif truth is None:
                fp_stranger += 1
            else:
                fp_wrong += 1
        elif truth is None:
            tn += 1
        else:
            fn += 1
    fp = fp_wrong + fp_stranger
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn + fp_wrong)
    f1 = None
    if precision is not None and recall is not None:
        f1 = _ratio(2 * precision * recall, precision + recall) or 0.0
    return AccuracyFigures(
        evaluated=evaluated,
        true_positives=tp,
        false_positives=fp,
        false_positives_wrong_customer=fp_wrong,
        false_positives_stranger=fp_stranger,
        false_negatives=fn,
        true_negatives=tn,
        precision=precision,
        recall=recall,
        f1=f1,
        false_merge_rate=_ratio(fp, evaluated),
        review_rate=_ratio(reviews, evaluated),
        leads_created=leads,
        duplicate_leads=dup_known + dup_repeat,
        duplicate_leads_known_customer=dup_known,
        duplicate_leads_repeat_sender=dup_repeat,
    )


def accuracy_by_case(
    records: Sequence[ContactRecord], duplicates: dict[int, str]
) -> dict[str, dict[str, float | int | None]]:
    """:func:`accuracy_figures` for each ground-truth case, in ``CASES`` order.

    Every case of :data:`~simulator.engine.records.CASES` appears (zero counts when
    absent), so all replications share one shape; unknown cases are appended.
    """
    cases = list(CASES) + sorted({r.case for r in records} - set(CASES))
    return {
        case: accuracy_figures((r for r in records if r.case == case), duplicates).as_dict()
        for case in cases
    }


def error_examples(
    records: Sequence[ContactRecord], duplicates: dict[int, str], *, limit: int = 10
) -> dict[str, list[dict[str, object]]]:
    """A few false merges, misses and duplicate leads to show in a drill-down table.

    Returns:
        ``{"false_merges": [...], "misses": [...], "duplicate_leads": [...]}``, each
        at most ``limit`` contacts in arrival order with their case, truth, answer
        and reasons.
    """
    out: dict[str, list[dict[str, object]]] = {
        "false_merges": [],
        "misses": [],
        "duplicate_leads": [],
    }
    for record in sorted(records, key=lambda r: (r.arrival_s, r.contact_id)):
        if record.bot_blocked:
            continue
        linked = is_linked(record)
        if linked and record.resolved_customer_id != record.true_customer_id:
            kind = "false_merges"
        elif not linked and record.true_customer_id is not None:
            kind = "misses"
        elif record.contact_id in duplicates:
            kind = "duplicate_leads"
        else:
            continue
        if len(out[kind]) < limit:
            out[kind].append(_example(record, duplicates.get(record.contact_id)))
    return out


def _example(record: ContactRecord, duplicate: str | None) -> dict[str, object]:
    return {
        "contact_id": record.contact_id,
        "arrival_s": record.arrival_s,
        "channel": record.channel,
        "case": record.case,
        "true_customer_id": record.true_customer_id,
        "resolved_customer_id": record.resolved_customer_id,
        "confidence": record.confidence,
        "method": record.method,
        "review": record.review,
        "irp_outcome": record.irp_outcome,
        "reasons": list(record.reasons),
        "lead_action": record.lead_action,
        "duplicate_lead": duplicate,
    }
