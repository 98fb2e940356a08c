"""The mutable state of one contact while it moves through the model."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from simulator.engine.records import ContactRecord
from simulator.population import Message

__all__ = ["Contact"]


class Contact:
    """What the flow and the agents know about one message; frozen into a record at the end."""

    __slots__ = (
        "abandoned",
        "agent",
        "agent_notice",
        "answer",
        "answer_s",
        "arrival_s",
        "attributes",
        "bot_blocked",
        "context_missing",
        "end_s",
        "entry_seq",
        "idx",
        "irp_end_s",
        "irp_outcome",
        "irp_pending",
        "irp_start_s",
        "lead_action",
        "lead_id",
        "lead_needs_review",
        "message",
        "priority",
        "queue",
        "reroutes",
        "resolution_done",
        "tier",
        "waiting",
    )

    def __init__(self, idx: int, arrival_s: float, message: Message) -> None:
        self.idx = idx
        self.arrival_s = arrival_s
        self.message = message
        self.bot_blocked = False
        self.irp_start_s: float | None = None
        self.irp_end_s: float | None = None
        self.irp_outcome = "skipped"
        self.irp_pending = False
        self.answer: Any = None  # the ResolveAnswer the flow acted on
        self.resolution_done = False
        self.attributes: dict[str, Any] = {}
        self.tier: str | None = None
        self.agent_notice = False
        self.lead_action: str | None = None
        self.lead_id: str | None = None
        self.lead_needs_review = False
        self.queue: str | None = None
        self.priority = 0
        self.reroutes = 0
        self.waiting = False
        self.entry_seq = -1
        self.answer_s: float | None = None
        self.agent: str | None = None
        self.end_s: float | None = None
        self.abandoned = False
        self.context_missing = False

    def record(self, *, replication: int, design: str) -> ContactRecord:
        """The flat, frozen record of what happened."""
        m = self.message
        a = self.answer
        resolved = bool(a is not None and a.resolved)
        return _record(
            (
                replication,
                design,
                self.idx,
                m.channel,
                m.case,
                m.true_customer_id,
                m.sender_key,
                self.arrival_s,
                m.is_bot,
                self.bot_blocked,
                self.irp_start_s,
                self.irp_end_s,
                self.irp_outcome,
                resolved,
                a.customer_id if resolved else None,
                float(a.confidence) if a is not None else 0.0,
                str(a.method) if a is not None else self.irp_outcome,
                bool(a is not None and a.review),
                tuple(a.reasons) if a is not None else (),
                self.lead_action,
                self.lead_id,
                self.tier,
                self.queue,
                self.priority,
                self.reroutes,
                self.answer_s,
                self.agent,
                self.end_s,
                self.abandoned,
                self.context_missing,
                self.agent_notice,
                self.lead_needs_review,
            )
        )


_FIELDS = tuple(f.name for f in fields(ContactRecord))
_SETTERS = tuple(getattr(ContactRecord, name).__set__ for name in _FIELDS)


def _record(values: tuple[Any, ...]) -> ContactRecord:
    """Build a record through its slots: three times faster than the frozen ``__init__``.

    The values are in field order; ``test_record_matches_the_constructor`` keeps the two
    ways in step with :class:`ContactRecord`.
    """
    record = object.__new__(ContactRecord)
    for setter, value in zip(_SETTERS, values, strict=True):
        setter(record, value)
    return record
