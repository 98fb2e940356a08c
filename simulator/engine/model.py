"""The SimPy model of one design in one replication (run it through :func:`.run.simulate`).

The design's flow (:mod:`simulator.flow`) is compiled once, each node into a step bound
to its parameters, then interpreted contact by contact with callbacks, suspending only
where modelled time passes (IRP, CRM, agents). Every message is really
resolved by the real :class:`~simulator.identity.Resolver` against this design's own
clone of the CRM, at the simulated moment the IRP finishes its work.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
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
from simulator.identity.validate import ResolveRequest, parse_fields
from simulator.population import EPOCH_S, SPAM_KEYWORDS, Population
from simulator.scenario import AgentGroup, Scenario

__all__ = ["Model"]

#: A compiled flow node: does its work on a contact and names the next node, or returns
#: ``None`` when the flow ends there or waits for modelled time.
Step = Callable[[Contact], "str | None"]


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
            accept=accept,
        )
        self.contacts = [
            Contact(i, t, m)
            for i, (t, m) in enumerate(zip(arrival_times, draws.messages, strict=True))
        ]
        self._rules = scenario.routing.rules()
        compilers: dict[str, Callable[[Node], Step]] = {
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
        #: Each node compiled once into a step: its parameters and branches are bound, so
        #: a contact's step costs one call and one lookup of the next node by name.
        self._steps = {name: compilers[node.kind](node) for name, node in flow.nodes.items()}

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
        return self.epoch + self.env._now

    def _schedule_arrival(self, i: int) -> None:
        delay = self.contacts[i].arrival_s - self.env._now
        call_later(self.env, delay, partial(self._arrive, i))

    def _arrive(self, i: int, _event: object = None) -> None:
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

    def _advance(self, contact: Contact, name: str | None) -> None:
        """Interpret the flow from node ``name`` until it ends or waits for modelled time."""
        steps = self._steps
        while name is not None:
            name = steps[name](contact)

    # -- node compilers: each returns the node's step, which takes a contact and returns
    # -- the next node's name, or None when the flow ends or waits (a callback resumes it)

    def _bot_check(self, node: Node) -> Step:
        bot, human = node.branches["bot"], node.branches["pass"]
        guard, env, epoch = self.guard, self.env, self.epoch
        if guard is None:
            return lambda _c: human

        def bot_check(c: Contact) -> str:
            m = c.message
            verdict = guard.check(
                user_id=m.user_id,
                message=m.text,
                account_created_at=m.account_created_at,
                now=epoch + env._now,
            )
            if verdict.is_bot:
                c.bot_blocked = True
                return bot
            return human

        return bot_check

    def _resolve(self, node: Node) -> Step:
        success, failure = node.branches["success"], node.branches["failure"]
        timeout = node.branches["timeout"]
        irp = self.scenario.irp
        if not irp.enabled:

            def skip(c: Contact) -> str:
                c.irp_outcome = "skipped"
                c.resolution_done = True
                return failure

            return skip
        # the data action's timeout; a background resolution may have its own
        timeout_s = irp.timeout_s
        if node.params.get("background") and irp.background_timeout_s is not None:
            timeout_s = irp.background_timeout_s
        env, epoch, station = self.env, self.epoch, self.irp
        allow, latencies, errors = (
            self.limiter.allow,
            self.draws.irp_latency_s,
            self.draws.irp_error,
        )
        resolve, advance = self.resolver.resolve, self._advance

        def gave_up(c: Contact) -> None:
            if c.irp_pending:
                c.irp_pending = False
                c.irp_outcome = "timeout"
                c.irp_end_s = env._now
                c.resolution_done = True
                advance(c, timeout)

        def done(c: Contact) -> None:
            failed = errors[c.idx]
            answer: ResolveAnswer | None = None
            if not failed:
                try:  # the IRP does the work even when the data action gave up waiting
                    answer = resolve(_request(c))
                except HandlesimError as exc:  # a 4xx: e.g. a Cyrillic look-alike in an X handle
                    failed = True
                    answer = ResolveAnswer.refused("invalid", (f"invalid_{_field(exc)}",))
            if not c.irp_pending:
                return
            c.irp_pending = False
            c.irp_end_s = env._now
            c.resolution_done = True
            c.irp_outcome = "error" if failed else "ok"
            c.answer = answer
            advance(c, failure if failed else success)

        def call(c: Contact) -> str | None:
            now = env._now
            c.irp_start_s = now
            if not allow(c.message.user_id, epoch + now):
                c.irp_outcome = "rate_limited"
                c.irp_end_s = now
                c.resolution_done = True
                return failure
            c.irp_pending = True
            latency = latencies[c.idx]
            if station.busy >= station.capacity or latency >= timeout_s:
                call_later(env, timeout_s, lambda _ev: gave_up(c))
            station.submit(latency, partial(done, c))
            return None

        return call

    def _split(self, node: Node) -> Step:
        resolved, review = node.branches["resolved"], node.branches["review"]
        guest = node.branches["guest"]

        def split(c: Contact) -> str:
            a = c.answer
            if a is not None:
                if a.resolved:
                    return resolved
                if a.review:
                    return review
            return guest

        return split

    def _set_attributes(self, node: Node) -> Step:
        nxt = node.branches.get("next")
        from_answer = bool(node.params.get("from_answer"))
        extra = dict(node.params.get("attributes", {}))

        def set_attributes(c: Contact) -> str | None:
            a = c.answer
            attributes = c.attributes
            attributes["socialHandle"] = _social_handle(c)
            if from_answer and a is not None and a.resolved:
                c.tier = a.tier
                attributes["resolvedCustomerId"] = a.customer_id
                attributes["customerTier"] = c.tier
            if extra:
                attributes.update(extra)
            return nxt

        return set_attributes

    def _crm_lookup(self, node: Node) -> Step:
        nxt = node.branches.get("next")
        tiers = node.params.get("tiers", ())
        if not self.scenario.crm.platinum_lookup:
            return lambda _c: nxt
        submit, lookups, advance = self.crm.submit, self.draws.crm_lookup_s, self._advance

        def crm_lookup(c: Contact) -> str | None:
            if c.tier not in tiers:
                return nxt
            submit(lookups[c.idx], partial(advance, c, nxt))
            return None

        return crm_lookup

    def _system_message(self, node: Node) -> Step:
        nxt = node.branches.get("next")

        def system_message(c: Contact) -> str | None:
            if c.answer is not None and c.answer.agent_notice:
                c.agent_notice = True
            return nxt

        return system_message

    def _create_lead(self, node: Node) -> Step:
        nxt = node.branches.get("next")
        if not self.scenario.crm.lead_capture:
            return lambda _c: nxt
        submit, leads = self.crm.submit, self.draws.crm_lead_s
        capture, advance = self.resolver.capture_lead, self._advance

        def done(c: Contact) -> None:
            answer = c.answer
            if answer is None or answer.resolved:  # timeout, error: the flow has no answer
                answer = ResolveAnswer.refused(c.irp_outcome, (c.irp_outcome,))
            try:
                outcome = capture(_request(c), answer)
            except HandlesimError:
                outcome = None
            if outcome is not None:
                c.lead_action = outcome.action
                c.lead_id = outcome.lead_id
                c.lead_needs_review = outcome.needs_review
            advance(c, nxt)

        def create_lead(c: Contact) -> str | None:
            if c.irp_outcome == "skipped":
                return nxt
            submit(leads[c.idx], partial(done, c))
            return None

        return create_lead

    def _route(self, node: Node) -> Step:
        nxt = node.branches.get("next")
        rules = self._rules
        rule_name = node.params["rule"]
        guest = rules["guest"]
        by_tier = {tier: rules[tier] for tier in TIERS} if rule_name == "by_tier" else None
        fixed = rules[rule_name] if by_tier is None else guest
        # ``dispatcher.transfer`` is looked up per call: the BDD flow harness spies on it
        dispatcher, patience = self.dispatcher, self._start_patience

        if node.params.get("mode") == "reroute":

            def reroute(c: Contact) -> str | None:
                rule = fixed if by_tier is None else by_tier.get(c.tier, guest)  # type: ignore[arg-type]
                if c.waiting and (rule.queue != c.queue or rule.priority > c.priority):
                    dispatcher.transfer(c, rule.queue, rule.priority)
                return nxt

            return reroute

        def route(c: Contact) -> str | None:
            rule = fixed if by_tier is None else by_tier.get(c.tier, guest)  # type: ignore[arg-type]
            dispatcher.transfer(c, rule.queue, rule.priority)
            if c.answer_s is None:  # not answered at once
                patience(c)
            return nxt

        return route

    def _close(self, _node: Node) -> Step:
        env = self.env

        def close(c: Contact) -> None:
            c.end_s = env._now

        return close

    # -- agents ---------------------------------------------------------------------

    def _start_patience(self, c: Contact) -> None:
        if c.answer_s is not None:  # answered at once; a contact alerting an agent may abandon
            return
        patience = self.draws.patience_s[c.idx]
        if patience == math.inf:
            return
        delay = max(0.0, c.arrival_s + patience - self.env._now)
        call_later(self.env, delay, lambda _ev: self.dispatcher.abandon(c))

    def _service_time(self, group: AgentGroup) -> Callable[[Contact], float]:
        """The handle time of a contact served by ``group``, from the contact's draws."""
        dist, exp, normal = group.handle_time, self.draws.service_exp, self.draws.service_normal
        if dist.kind == "exponential":  # the common case, without a call per contact
            mean_s = dist.mean_s
            return lambda c: mean_s * exp[c.idx]
        return lambda c: handle_time_s(dist, exp[c.idx], normal[c.idx])

    def _on_answer(self, c: Contact) -> None:
        c.context_missing = not c.resolution_done


def _request(c: Contact) -> ResolveRequest:
    """The contact's resolve request, validated once for the IRP call and the lead call.

    The fields of ``Message.request()``, the body the data action sends, without
    building that body.

    Raises:
        HandlesimError: the message is not a valid request (raised again on each call).
    """
    request = c.request
    if request is None:
        m = c.message
        request = c.request = parse_fields(
            channel=m.channel,
            handle=m.handle,
            user_id=m.user_id,
            email=m.email,
            display_name=m.display_name,
        )
    return request


def _social_handle(c: Contact) -> str:
    """The handle as the guide writes it on the contact: normalized, else as received.

    That is the IRP's normalized handle when it parsed the message's handle to the
    normalized text (not a suspect handle, not a LinkedIn URL cut to its vanity name);
    otherwise the handle is normalized here.
    """
    request = c.request
    if request is not None and request.platform != "linkedin" and not request.handle.suspect:
        return request.handle.normalized
    raw = c.message.handle
    try:
        return normalize_handle(raw)
    except HandlesimError:
        return raw.strip()


def _field(exc: HandlesimError) -> str:
    return str(getattr(exc, "field", "request")).split(".")[0]
