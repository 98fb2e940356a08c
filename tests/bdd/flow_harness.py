"""Run a handful of contacts through the simulator's inbound flow (``sync`` or ``async``).

The BDD steps describe contacts in business terms; this harness turns them into the
engine's messages, runs :class:`simulator.engine.model.Model` with fixed latencies around
the in-process identity store, and reports what happened to each contact, including every
transfer with its simulated time (a small spy on the dispatcher, as in SimPy's own tests).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.identity import IdentityStore


@dataclass(frozen=True, slots=True)
class FlowSettings:
    """The knobs a timeout or routing scenario sets."""

    irp_latency_s: float = 0.1
    timeout_s: float = 3.0
    general_agents: int = 5
    platinum_agents: int = 5


@dataclass
class ContactOutcome:
    """What happened to one contact in the flow."""

    arrival_s: float
    attributes: dict[str, Any]
    queue: str | None
    priority: int
    reroutes: int
    irp_outcome: str
    irp_start_s: float | None
    irp_end_s: float | None
    answer_s: float | None
    bot_blocked: bool
    lead_action: str | None
    transfers: list[tuple[float, str, int]] = field(default_factory=list)


class _Population:
    """The two things the model asks of a population: the CRM and the known bots."""

    def __init__(self, store: IdentityStore) -> None:
        self._store = store
        self.known_bot_ids: tuple[str, ...] = ()

    def store(self) -> IdentityStore:
        return self._store


def _scenario(settings: FlowSettings) -> Any:
    from simulator.scenario import Scenario

    fixed = {"kind": "fixed", "values_ms": [100]}
    return Scenario.model_validate(
        {
            "name": "bdd_flow",
            "horizon_s": 3600,
            "channels": [{"name": "twitter", "rate_per_hour": 1}],
            "bots": {"guard": False},
            "irp": {
                "latency": {"kind": "fixed", "values_ms": [settings.irp_latency_s * 1000]},
                "timeout_s": settings.timeout_s,
                "error_rate": 0.0,
            },
            "crm": {"lookup_latency": fixed, "lead_latency": fixed},
            "queues": [
                {"name": "Platinum_Social_Queue", "sla_target_s": 30, "priority": 2},
                {"name": "General_Social_Queue", "sla_target_s": 60, "priority": 1},
                {"name": "Supervisor_Review", "sla_target_s": 300},
            ],
            "agent_groups": [
                _group("platinum_desk", settings.platinum_agents, "Platinum_Social_Queue"),
                _group("general", settings.general_agents, "General_Social_Queue"),
                _group("supervisors", 1, "Supervisor_Review"),
            ],
            "patience": {"kind": "none"},
        }
    )


def _group(name: str, agents: int, queue: str) -> dict[str, Any]:
    handle_time = {"kind": "fixed", "mean_s": 600}
    return {"name": name, "agents": agents, "skills": [queue], "handle_time": handle_time}


def _message(request: Mapping[str, str], now: float) -> Any:
    from simulator.population import Message

    return Message(
        channel=request["channel"],
        case="returning",
        true_customer_id=None,
        sender_key=request.get("user_id", request["handle"]),
        handle=request["handle"],
        user_id=request.get("user_id", ""),
        email=request.get("email"),
        display_name="Social Sender",
        text="Hello, where is my order?",
        account_created_at=now - 400 * 86_400,
        is_bot=False,
    )


def run_flow(
    design: str,
    store: IdentityStore,
    requests: Sequence[Mapping[str, str]],
    settings: FlowSettings,
) -> list[ContactOutcome]:
    """Send ``requests`` (one second apart) through ``design`` and return each outcome."""
    from simulator.engine.draws import ContactDraws
    from simulator.engine.model import Model
    from simulator.flow import design as design_flow

    scenario = _scenario(settings)
    n = len(requests)
    arrivals = [float(i) for i in range(n)]
    draws = ContactDraws(
        messages=[_message(r, 0.0) for r in requests],
        irp_latency_s=[settings.irp_latency_s] * n,
        irp_error=[False] * n,
        crm_lookup_s=[0.1] * n,
        crm_lead_s=[0.1] * n,
        service_exp=[1.0] * n,
        service_normal=[0.0] * n,
        patience_s=[float("inf")] * n,
    )
    population: Any = _Population(store)  # duck-typed: the model needs store() only
    model = Model(scenario, design_flow(design), population, draws, arrivals)
    log: dict[int, list[tuple[float, str, int]]] = {i: [] for i in range(n)}
    transfer = model.dispatcher.transfer

    def spy(contact: Any, queue: str, priority: int) -> None:
        log[contact.idx].append((model.env.now, queue, priority))
        transfer(contact, queue, priority)

    model.dispatcher.transfer = spy  # type: ignore[method-assign,assignment]
    model.run()
    return [
        ContactOutcome(
            arrival_s=c.arrival_s,
            attributes=dict(c.attributes),
            queue=c.queue,
            priority=c.priority,
            reroutes=c.reroutes,
            irp_outcome=c.irp_outcome,
            irp_start_s=c.irp_start_s,
            irp_end_s=c.irp_end_s,
            answer_s=c.answer_s,
            bot_blocked=c.bot_blocked,
            lead_action=c.lead_action,
            transfers=log[c.idx],
        )
        for c in model.contacts
    ]
