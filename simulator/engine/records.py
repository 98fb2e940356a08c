"""What one simulation replication produces: pure data, no behaviour.

One flat :class:`ContactRecord` per contact (the Ciw ``DataRecord`` idea) and
time-weighted :class:`StepSeries` trackers. Metrics and reports are functions of
these values; the engine writes no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Ground-truth message cases drawn by the traffic generator.
CASES: tuple[str, ...] = (
    "returning",  # a known account writes again with its known handle
    "handle_change",  # same user id, new handle
    "handle_reuse",  # a stranger took over a released handle (new user id)
    "homoglyph",  # an impersonator using a look-alike of a customer's handle
    "cross_platform_email",  # a customer's first contact on another platform, shared email
    "cross_platform",  # the same without any shared email
    "new_handle",  # a customer with a new, unlinked account on a known platform
    "new_prospect",  # a genuinely new person (may write more than once)
    "bot",  # spam / automated traffic
)

#: IRP outcomes as the inbound flow sees them.
IRP_OUTCOMES: tuple[str, ...] = ("ok", "timeout", "error", "rate_limited", "skipped")


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """Everything that happened to one inbound message, in one design and replication.

    Times are simulated seconds from the start of the replication; ``None`` means the
    event did not happen (never answered, IRP never called).
    """

    replication: int
    design: str
    contact_id: int
    channel: str
    case: str
    true_customer_id: str | None
    sender_key: str  # stable id of the real sender (customer id, prospect id or bot id)
    arrival_s: float
    bot_truth: bool
    bot_blocked: bool
    irp_start_s: float | None
    irp_end_s: float | None
    irp_outcome: str
    resolved: bool
    resolved_customer_id: str | None
    confidence: float
    method: str
    review: bool
    reasons: tuple[str, ...]
    lead_action: str | None  # created | existing | attached | None
    lead_id: str | None
    tier: str | None  # tier the contact was finally routed with
    queue: str | None
    priority: int
    reroutes: int
    answer_s: float | None
    agent: str | None
    end_s: float | None
    abandoned: bool
    context_missing: bool
    agent_notice: bool = False  # the flow added "profile updated recently" for the agent
    lead_needs_review: bool = False  # the lead logic tagged its lead needs_review
    true_tier: str | None = None  # ground truth: the real sender's tier (None: not a customer)

    @property
    def wait_s(self) -> float | None:
        """Arrival to answer (SLA clock starts at arrival), or ``None`` if never answered."""
        return None if self.answer_s is None else self.answer_s - self.arrival_s


@dataclass(frozen=True, slots=True)
class StepSeries:
    """A piecewise-constant quantity over simulated time (queue length, IRP in flight)."""

    name: str
    times: tuple[float, ...]
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ReplicationResult:
    """One design's run of one replication."""

    design: str
    replication: int
    horizon_s: float
    warmup_s: float
    records: tuple[ContactRecord, ...]
    series: dict[str, StepSeries] = field(default_factory=dict)
