"""The SimPy model of one design in one replication (run it through :func:`.run.simulate`).

The design's flow (:mod:`simulator.flow`) is compiled once into steps (:mod:`.steps`),
then interpreted contact by contact with callbacks, suspending only where modelled time
passes (IRP, CRM, agents). Every message is really resolved by the real
:class:`~simulator.identity.Resolver` against this design's own clone of the CRM, at the
simulated moment the IRP finishes its work.
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
from simulator.engine.steps import compile_flow
from simulator.engine.timers import call_later
from simulator.flow import Flow
from simulator.identity import BotGuard, ProfileCache, RateLimiter, Resolver
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
            accept=accept,
        )
        self.contacts = [
            Contact(i, t, m)
            for i, (t, m) in enumerate(zip(arrival_times, draws.messages, strict=True))
        ]
        self._steps = compile_flow(self, flow)

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
        self.advance(self.contacts[i], self.flow.start)

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

    def advance(self, contact: Contact, name: str | None) -> None:
        """Interpret the flow from node ``name`` until it ends or waits for modelled time."""
        steps = self._steps
        while name is not None:
            name = steps[name](contact)

    # -- agents ---------------------------------------------------------------------

    def start_patience(self, c: Contact) -> None:
        """Let the customer abandon when its patience runs out, unless answered by then."""
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
