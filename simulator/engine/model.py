"""The SimPy model of one design in one replication (run it through :func:`.run.simulate`).

The design's flow (:mod:`simulator.flow`) is interpreted node by node with callbacks,
suspending only where modelled time passes (IRP, CRM, agents). Every message is really
resolved by the real :class:`~simulator.identity.Resolver` against this design's own
clone of the CRM, at the simulated moment the IRP finishes its work.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import simpy

from simulator.engine.agents import AcceptDraws, Dispatcher
from simulator.engine.contact import Contact
from simulator.engine.draws import ContactDraws, handle_time_s
from simulator.engine.recorder import Tracker
from simulator.engine.stations import Station
from simulator.engine.timers import call_later
from simulator.errors import HandlesimError
from simulator.flow import Flow, Node
from simulator.identity import (
    TIERS,
    BotGuard,
    ProfileCache,
    RateLimiter,
    ResolveAnswer,
    Resolver,
    normalize_handle,
)
from simulator.identity.validate import ResolveRequest, parse_request
from simulator.population import EPOCH_S, SPAM_KEYWORDS, Population
from simulator.scenario import AgentGroup, Scenario

__all__ = ["Model"]


class Model:
    """One SimPy environment with its stations, dispatcher, resolver and flow interpreter."""

    def __init__(
        self,
        scenario: Scenario,
        flow: Flow,
        population: Population,
        draws: ContactDraws,
        arrival_times: list[float],
        accept: AcceptDraws | None = None,
    ) -> None:
        self.scenario = scenario
        self.flow = flow
        self.draws = draws
        self.env = simpy.Environment()
        self.tracker = Tracker()
        self.epoch = EPOCH_S + scenario.start_hour * 3600.0
        irp, crm = scenario.irp, scenario.crm
        self.irp = Station(self.env, "irp", irp.concurrency, self.tracker)
        self.crm = Station(self.env, "crm", crm.concurrency, self.tracker)
        self.resolver = Resolver(
            population.store(),
            threshold=irp.threshold,
            clock=self._clock,
            cache=ProfileCache(irp.cache_ttl_s) if irp.cache_ttl_s > 0 else None,
            notice_window_s=irp.notice_window_s,
        )
        self.limiter = RateLimiter(irp.rate_limit_per_minute, 60.0)
        self.guard = (
            BotGuard(
                population.known_bot_ids,
                SPAM_KEYWORDS,
                scenario.bots.min_account_age_days,
            )
            if scenario.bots.guard
            else None
        )
        self.dispatcher = Dispatcher(
            self.env,
            scenario,
            self.tracker,
            service_time=self._service_time,
            on_answer=self._on_answer,
            on_end=_ignore,
            accept=accept,
        )
        self.contacts = [
            Contact(i, t, m)
            for i, (t, m) in enumerate(zip(arrival_times, draws.messages, strict=True))
        ]
        self._rules = scenario.routing.rules()
        handlers: dict[str, Callable[[Contact, Node], Any]] = {
            "bot_check": self._bot_check,
            "resolve": self._resolve,
            "split": self._split,
            "set_attributes": self._set_attributes,
            "crm_lookup": self._crm_lookup,
            "system_message": self._system_message,
            "create_lead": self._create_lead,
            "route": self._route,
            "close": self._close,
        }
        #: Each node's handler and the node, by name: one lookup per step of a contact.
        self._steps = {name: (handlers[node.kind], node) for name, node in flow.nodes.items()}

    # -- driving --------------------------------------------------------------------

    def run(self) -> None:
        """Run until every contact has left (arrivals stop at the horizon)."""
        env = self.env
        for group in self.scenario.agent_groups:
            env.process(self._shifts(group))
        if self.contacts:
            self._schedule_arrival(0)
        env.run()

    def close(self) -> None:
        """Drop every reference the finished model holds.

        The model is cyclic (the resolver, the dispatcher and the step table hold its
        bound methods), so without this it would wait for a cycle collection, which
        walks every contact, message and answer of the run: about a tenth of the run's
        time. Afterwards reference counting frees it at once. The model is unusable.
        """
        vars(self).clear()

    def _clock(self) -> float:
        return self.epoch + self.env.now

    def _schedule_arrival(self, i: int) -> None:
        delay = self.contacts[i].arrival_s - self.env.now
        call_later(self.env, delay, lambda _ev: self._arrive(i))

    def _arrive(self, i: int) -> None:
        if i + 1 < len(self.contacts):
            self._schedule_arrival(i + 1)
        self._advance(self.contacts[i], self.flow.start)

    def _shifts(self, group: AgentGroup) -> Any:
        """Put the scheduled number of agents on shift at each clock hour boundary."""
        if not group.schedule:
            self.dispatcher.staff(group.name, group.agents)
            return
        hours = [p.from_hour for p in group.schedule]
        start = self.scenario.start_hour
        while True:
            hour = (start + self.env.now / 3600.0) % 24.0
            current = [p for p in group.schedule if p.from_hour <= hour + 1e-9]
            self.dispatcher.staff(group.name, (current or group.schedule)[-1].agents)
            later = [h for h in hours if h > hour + 1e-9]
            step_h = (later[0] if later else hours[0] + 24.0) - hour
            if self.env.now + step_h * 3600.0 >= self.scenario.horizon_s:
                return
            yield self.env.timeout(step_h * 3600.0)

    def _advance(self, contact: Contact, name: str) -> None:
        """Interpret the flow from node ``name`` until it ends or waits for modelled time."""
        steps = self._steps
        while True:
            handler, node = steps[name]
            nxt = handler(contact, node)
            if nxt is None or nxt is False:
                return  # the end, or suspended (a callback resumes the flow)
            name = nxt

    def _resume(self, contact: Contact, name: str | None) -> None:
        if name is not None:
            self._advance(contact, name)

    # -- node handlers: return the next node's name, None (end) or False (suspended) ---

    def _bot_check(self, c: Contact, node: Node) -> Any:
        if self.guard is not None:
            m = c.message
            verdict = self.guard.check(
                user_id=m.user_id,
                message=m.text,
                account_created_at=m.account_created_at,
                now=self._clock(),
            )
            c.bot_blocked = verdict.is_bot
        return node.branches["bot" if c.bot_blocked else "pass"]

    def _resolve(self, c: Contact, node: Node) -> Any:
        now = self.env.now
        if not self.scenario.irp.enabled:
            c.irp_outcome = "skipped"
            c.resolution_done = True
            return node.branches["failure"]
        c.irp_start_s = now
        if not self.limiter.allow(c.message.user_id, self._clock()):
            c.irp_outcome = "rate_limited"
            c.irp_end_s = now
            c.resolution_done = True
            return node.branches["failure"]
        c.irp_pending = True
        timeout_s = self._irp_timeout_s(node)
        latency = self.draws.irp_latency_s[c.idx]
        if self.irp.busy >= self.irp.capacity or latency >= timeout_s:
            call_later(self.env, timeout_s, lambda _ev: self._irp_timeout(c, node))
        self.irp.submit(latency, None, lambda _t: self._irp_done(c, node))
        return False

    def _irp_timeout_s(self, node: Node) -> float:
        """The data action's timeout; a background resolution may have its own."""
        irp = self.scenario.irp
        if node.params.get("background") and irp.background_timeout_s is not None:
            return irp.background_timeout_s
        return irp.timeout_s

    def _irp_timeout(self, c: Contact, node: Node) -> None:
        if c.irp_pending:
            c.irp_pending = False
            c.irp_outcome = "timeout"
            c.irp_end_s = self.env.now
            c.resolution_done = True
            self._resume(c, node.branches["timeout"])

    def _irp_done(self, c: Contact, node: Node) -> None:
        failed = self.draws.irp_error[c.idx]
        answer: ResolveAnswer | None = None
        if not failed:
            try:  # the IRP does the work even when the data action gave up waiting
                answer = self.resolver.resolve(_request(c))
            except HandlesimError as exc:  # a 4xx: e.g. a Cyrillic look-alike in an X handle
                failed = True
                answer = ResolveAnswer.refused("invalid", (f"invalid_{_field(exc)}",))
        if not c.irp_pending:
            return
        c.irp_pending = False
        c.irp_end_s = self.env.now
        c.resolution_done = True
        if failed:
            c.irp_outcome = "error"
            c.answer = answer
            self._resume(c, node.branches["failure"])
        else:
            c.irp_outcome = "ok"
            c.answer = answer
            self._resume(c, node.branches["success"])

    def _split(self, c: Contact, node: Node) -> Any:
        a = c.answer
        if a is not None and a.resolved:
            return node.branches["resolved"]
        return node.branches["review" if a is not None and a.review else "guest"]

    def _set_attributes(self, c: Contact, node: Node) -> Any:
        a = c.answer
        attributes = c.attributes
        attributes["socialHandle"] = _social_handle(c.message.handle)
        if node.params.get("from_answer") and a is not None and a.resolved:
            c.tier = a.tier
            attributes["resolvedCustomerId"] = a.customer_id
            attributes["customerTier"] = c.tier
        attributes.update(node.params.get("attributes", {}))
        return node.branches.get("next")

    def _crm_lookup(self, c: Contact, node: Node) -> Any:
        nxt = node.branches.get("next")
        if not self.scenario.crm.platinum_lookup or c.tier not in node.params.get("tiers", ()):
            return nxt
        self.crm.submit(self.draws.crm_lookup_s[c.idx], None, lambda _t: self._resume(c, nxt))
        return False

    def _system_message(self, c: Contact, node: Node) -> Any:
        if c.answer is not None and c.answer.agent_notice:
            c.agent_notice = True
        return node.branches.get("next")

    def _create_lead(self, c: Contact, node: Node) -> Any:
        nxt = node.branches.get("next")
        if not self.scenario.crm.lead_capture or c.irp_outcome == "skipped":
            return nxt
        self.crm.submit(self.draws.crm_lead_s[c.idx], None, lambda _t: self._lead_done(c, nxt))
        return False

    def _lead_done(self, c: Contact, nxt: str | None) -> None:
        answer = c.answer
        if answer is None or answer.resolved:  # timeout, error: the flow has no answer
            answer = ResolveAnswer.refused(c.irp_outcome, (c.irp_outcome,))
        try:
            outcome = self.resolver.capture_lead(_request(c), answer)
        except HandlesimError:
            outcome = None
        if outcome is not None:
            c.lead_action = outcome.action
            c.lead_id = outcome.lead_id
            c.lead_needs_review = outcome.needs_review
        self._resume(c, nxt)

    def _route(self, c: Contact, node: Node) -> Any:
        rule_name = node.params["rule"]
        if rule_name == "by_tier":
            rule_name = c.tier if c.tier in TIERS else "guest"
        rule = self._rules[rule_name]
        if node.params.get("mode") == "reroute":
            if c.waiting and (rule.queue != c.queue or rule.priority > c.priority):
                self.dispatcher.transfer(c, rule.queue, rule.priority)
        else:
            self.dispatcher.transfer(c, rule.queue, rule.priority)
            self._start_patience(c)
        return node.branches.get("next")

    def _close(self, c: Contact, node: Node) -> Any:
        c.end_s = self.env.now
        return None

    # -- agents ---------------------------------------------------------------------

    def _start_patience(self, c: Contact) -> None:
        if c.answer_s is not None:  # answered at once; a contact alerting an agent may abandon
            return
        patience = self.draws.patience_s[c.idx]
        if patience == math.inf:
            return
        delay = max(0.0, c.arrival_s + patience - self.env.now)
        call_later(self.env, delay, lambda _ev: self.dispatcher.abandon(c))

    def _service_time(self, c: Contact, group: AgentGroup) -> float:
        return handle_time_s(
            group.handle_time, self.draws.service_exp[c.idx], self.draws.service_normal[c.idx]
        )

    def _on_answer(self, c: Contact) -> None:
        c.context_missing = not c.resolution_done


def _ignore(_contact: Contact) -> None:
    return None


def _request(c: Contact) -> ResolveRequest:
    """The contact's resolve request, validated once for the IRP call and the lead call.

    Raises:
        HandlesimError: the message is not a valid request (raised again on each call).
    """
    request = c.request
    if request is None:
        request = c.request = parse_request(c.message.request())
    return request


def _social_handle(raw: str) -> str:
    """The handle as the guide writes it on the contact: normalized, else as received."""
    try:
        return normalize_handle(raw)
    except HandlesimError:
        return raw.strip()


def _field(exc: HandlesimError) -> str:
    return str(getattr(exc, "field", "request")).split(".")[0]
