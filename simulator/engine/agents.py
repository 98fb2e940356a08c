"""ACD queues and agent groups: skills, priorities, messaging concurrency, patience, shifts.

Each queue is a binary heap keyed by ``(-contact priority, enqueue order)``; an agent
with a free slot takes the best head over the queues of its skills, ties broken by the
queue's own priority then by enqueue order. Every operation costs O(log n), so a storm
of tens of thousands of waiting messages stays fast (``simpy.PriorityResource`` is
quadratic there).

Contacts that abandon or are re-routed leave a stale heap entry behind, skipped when
it reaches the head (lazy deletion). No ``get()`` event ever waits on a queue, so the
SimPy trap of a losing ``get()`` that later swallows a contact cannot happen.

Alerting: in a group with an ``accept_time``, an agent who takes a contact is first
*offered* it (the slot is held while the alert rings); the contact is *answered* when
the agent accepts, after the contact's accept delay. An offer not accepted within the
group's ``alert_timeout_s`` is missed: the slot is released and the contact goes back
to its queue in its old place (its enqueue order) to be offered again, with a new draw.
A customer whose patience runs out during an alert abandons and the offer is withdrawn.
The accept delay of the k-th offer of a contact is a function of ``(seed, replication,
contact, k)`` only (:class:`AcceptDraws`), so both designs of a replication see the
same draws (common random numbers).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import simpy

from simulator.engine.contact import Contact
from simulator.engine.recorder import Steps, Tracker
from simulator.engine.timers import call_later
from simulator.scenario import AgentGroup, Scenario

__all__ = ["AcceptDraws", "Dispatcher"]

#: Given an agent group, the handle time of a contact served by one of its agents.
ServiceTime = Callable[[AgentGroup], Callable[[Contact], float]]
Hook = Callable[[Contact], None]
Trace = Callable[[str, Contact], None]

#: Entropy word of the accept-delay stream, apart from the streams of ``draws.STREAMS``.
ACCEPT_STREAM = 0x616363  # "acc"


class AcceptDraws:
    """Standard normal draws of each contact's offers, for the accept (alert) delay.

    The first offer of contact ``i`` uses ``first[i]``, drawn up front for every contact;
    the rare re-offers after a missed alert use a generator of the contact's own,
    seeded from ``(seed, replication, i)``. Either way the k-th offer of a contact gets
    the same draw in every design, whatever happens around it.
    """

    __slots__ = ("_again", "_replication", "_seed", "first")

    def __init__(self, first: Sequence[float], *, seed: int = 0, replication: int = 0) -> None:
        self.first = first
        self._seed = seed
        self._replication = replication
        self._again: dict[int, random.Random] = {}

    @classmethod
    def draw(cls, n: int, *, seed: int, replication: int) -> AcceptDraws:
        """``n`` first-offer draws from the replication's accept stream."""
        sequence = np.random.SeedSequence([seed, replication, ACCEPT_STREAM])
        first = np.random.default_rng(sequence).standard_normal(n).tolist()
        return cls(first, seed=seed, replication=replication)

    def z(self, idx: int, offer: int) -> float:
        """The draw of the ``offer``-th offer (0 first) of contact ``idx``."""
        if offer == 0:
            return self.first[idx]
        gen = self._again.get(idx)
        if gen is None:
            sequence = np.random.SeedSequence([self._seed, self._replication, ACCEPT_STREAM, idx])
            state = sequence.generate_state(2, np.uint64)
            gen = self._again[idx] = random.Random(int(state[0]) << 64 | int(state[1]))
        return gen.gauss(0.0, 1.0)


class _Offer:
    """A contact alerting at an agent: ``live`` until accepted, missed or withdrawn."""

    __slots__ = ("agent", "live")

    def __init__(self, agent: _Agent) -> None:
        self.agent = agent
        self.live = True


class _Agent:
    __slots__ = ("active", "group", "index", "listed", "name")

    def __init__(self, group: _Group, index: int) -> None:
        self.group = group
        self.index = index
        self.name = f"{group.cfg.name}#{index + 1}"
        self.active = 0
        self.listed = False  # in the group's free list


class _Queue:
    __slots__ = ("groups", "heap", "name", "rank", "steps", "waiting")

    def __init__(self, name: str, rank: int, tracker: Tracker) -> None:
        self.name = name
        self.rank = rank
        self.heap: list[tuple[int, int, Contact]] = []
        self.waiting = 0
        self.groups: list[_Group] = []
        self.steps = tracker.declare(f"queue.{name}.waiting")

    def head(self) -> tuple[int, int, Contact] | None:
        """The best valid entry, dropping stale ones on the way."""
        heap = self.heap
        while heap:
            entry = heap[0]
            contact = entry[2]
            if contact.waiting and contact.entry_seq == entry[1]:
                return entry
            heapq.heappop(heap)
        return None


class _Group:
    __slots__ = (
        "agents",
        "alerting",
        "busy",
        "busy_steps",
        "cfg",
        "concurrency",
        "free",
        "queues",
        "service_time",
        "staffed",
        "staffed_steps",
    )

    def __init__(self, cfg: AgentGroup, tracker: Tracker, service_time: ServiceTime) -> None:
        self.cfg = cfg
        self.service_time = service_time(cfg)
        self.concurrency = cfg.concurrency
        self.alerting = cfg.accept_time.enabled  # offered first, answered on accept
        self.agents = [_Agent(self, i) for i in range(self._max_agents(cfg))]
        self.staffed = 0
        self.free: list[_Agent] = []
        self.queues: list[_Queue] = []
        self.busy = 0
        self.busy_steps: Steps = tracker.declare(f"agents.{cfg.name}.busy")
        self.staffed_steps: Steps = tracker.declare(f"agents.{cfg.name}.staffed")

    @staticmethod
    def _max_agents(cfg: AgentGroup) -> int:
        return max([cfg.agents, *(p.agents for p in cfg.schedule or ())])

    def take_free(self) -> _Agent | None:
        """An on-shift agent with a free slot (the least loaded when slots > 1)."""
        free = self.free
        single = self.concurrency == 1
        while free:
            agent = free.pop() if single else min(free, key=_load)
            usable = agent.index < self.staffed and agent.active < self.concurrency
            if single:
                agent.listed = False
            elif not usable:
                free.remove(agent)
                agent.listed = False
            if usable:
                return agent
        return None


def _load(agent: _Agent) -> int:
    return agent.active


class Dispatcher:
    """Queues, agents and the rules that connect them, for one replication and design.

    Args:
        env: the SimPy environment.
        scenario: queues, agent groups and their schedules.
        tracker: where queue lengths, busy slots and staffing are recorded.
        service_time: for an agent group, the handle time of a contact it serves.
        on_answer: called when an agent answers (accepts) a contact (``answer_s`` is set).
        accept: the contacts' accept-delay draws (zeros when omitted).

    ``trace``, when set, is called with an event name (``offer``, ``miss``, ``accept``,
    ``withdraw``, ``end``) and the contact: story tests log ``(event, env.now)`` with it.
    """

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        tracker: Tracker,
        *,
        service_time: ServiceTime,
        on_answer: Hook,
        accept: AcceptDraws | None = None,
    ) -> None:
        self._env = env
        self._accept = accept
        self._offers: dict[Contact, _Offer] = {}
        self._missed: dict[Contact, int] = {}  # missed alerts, for contacts that had one
        self.trace: Trace | None = None
        self._on_answer = on_answer
        self._seq = 0
        self.queues = {q.name: _Queue(q.name, q.priority, tracker) for q in scenario.queues}
        self.groups = [_Group(g, tracker, service_time) for g in scenario.agent_groups]
        for group in self.groups:
            group.queues = [self.queues[s] for s in group.cfg.skills]
            for queue in group.queues:
                queue.groups.append(group)

    # -- staffing -----------------------------------------------------------------

    def staff(self, group_name: str, agents: int) -> None:
        """Put ``agents`` of the group on shift from now on (leavers finish their work)."""
        group = next(g for g in self.groups if g.cfg.name == group_name)
        old, group.staffed = group.staffed, agents
        group.staffed_steps.set(self._env._now, agents)
        for agent in group.agents[old:agents]:
            self._pull(agent)

    # -- contacts -----------------------------------------------------------------

    def transfer(self, contact: Contact, queue_name: str, priority: int) -> None:
        """Put a contact in a queue, or straight to a free agent."""
        if contact.waiting:
            self._leave_queue(contact)
            contact.reroutes += 1
        contact.queue = queue_name
        contact.priority = priority
        queue = self.queues[queue_name]
        self._seq += 1
        contact.entry_seq = self._seq  # its place in the queue, kept if an alert is missed
        if not self._to_free_agent(queue, contact):
            self._enqueue(queue, contact, self._seq)

    def _to_free_agent(self, queue: _Queue, contact: Contact) -> bool:
        """Serve (or offer) the contact at once if an agent of the queue has a free slot."""
        for group in queue.groups:
            agent = group.take_free()
            if agent is not None:
                self._serve(agent, contact)
                return True
        return False

    def _enqueue(self, queue: _Queue, contact: Contact, seq: int) -> None:
        contact.entry_seq = seq
        contact.waiting = True
        heapq.heappush(queue.heap, (-contact.priority, seq, contact))
        queue.waiting += 1
        queue.steps.set(self._env._now, queue.waiting)

    def abandon(self, contact: Contact) -> None:
        """The customer gives up, if still waiting (or while an agent's alert rings)."""
        offer = self._offers.pop(contact, None)
        if offer is not None:
            offer.live = False
            self._trace("withdraw", contact)
            self._release(offer.agent)
            contact.abandoned = True
            contact.end_s = self._env._now
            self._pull(offer.agent)
            return
        if not contact.waiting:
            return
        self._leave_queue(contact)
        contact.abandoned = True
        contact.end_s = self._env._now

    def _leave_queue(self, contact: Contact) -> None:
        assert contact.queue is not None
        queue = self.queues[contact.queue]
        contact.waiting = False
        queue.waiting -= 1
        queue.steps.set(self._env._now, queue.waiting)

    def _serve(self, agent: _Agent, contact: Contact) -> None:
        group = agent.group
        agent.active += 1
        group.busy += 1
        group.busy_steps.set(self._env._now, group.busy)
        if group.alerting:
            self._offer(agent, contact)
        else:
            self._answer(agent, contact)

    def _answer(self, agent: _Agent, contact: Contact) -> None:
        env = self._env
        contact.agent = agent.name
        contact.answer_s = env._now
        self._on_answer(contact)
        service_s = agent.group.service_time(contact)
        call_later(env, service_s, partial(self._finish, agent, contact))

    def _offer(self, agent: _Agent, contact: Contact) -> None:
        """Alert the agent; accept after the contact's delay, or miss at the alert timeout."""
        accept = agent.group.cfg.accept_time
        missed = self._missed.get(contact, 0)
        z = self._accept.z(contact.idx, missed) if self._accept is not None else 0.0
        delay = accept.seconds(z)
        offer = self._offers[contact] = _Offer(agent)
        self._trace("offer", contact)
        limit = accept.alert_timeout_s
        if limit is not None and delay > limit:
            call_later(self._env, limit, lambda _ev: self._miss(offer, contact))
        else:
            call_later(self._env, delay, lambda _ev: self._accepted(offer, contact))

    def _accepted(self, offer: _Offer, contact: Contact) -> None:
        if not offer.live:
            return
        offer.live = False
        del self._offers[contact]
        self._trace("accept", contact)
        self._answer(offer.agent, contact)

    def _miss(self, offer: _Offer, contact: Contact) -> None:
        """The alert timed out: free the slot, put the contact back in its place, re-offer.

        The agent who missed it may be offered it again (Not Responding is not modelled).
        """
        if not offer.live:
            return
        offer.live = False
        del self._offers[contact]
        self._trace("miss", contact)
        self._missed[contact] = self._missed.get(contact, 0) + 1
        agent = offer.agent
        self._release(agent)  # other agents with a free slot are asked first
        assert contact.queue is not None
        queue = self.queues[contact.queue]
        if not self._to_free_agent(queue, contact):
            self._enqueue(queue, contact, contact.entry_seq)
        self._pull(agent)

    def _release(self, agent: _Agent) -> None:
        group = agent.group
        agent.active -= 1
        group.busy -= 1
        group.busy_steps.set(self._env._now, group.busy)

    def _finish(self, agent: _Agent, contact: Contact, _event: object = None) -> None:
        self._release(agent)
        contact.end_s = self._env._now
        if self.trace is not None:
            self.trace("end", contact)
        self._pull(agent)

    def _trace(self, event: str, contact: Contact) -> None:
        if self.trace is not None:
            self.trace(event, contact)

    def _pull(self, agent: _Agent) -> None:
        """Fill the agent's free slots from its queues, best head first."""
        group = agent.group
        while agent.index < group.staffed and agent.active < group.concurrency:
            best: tuple[int, int, int] | None = None
            best_queue: _Queue | None = None
            for queue in group.queues:
                entry = queue.head() if queue.heap else None
                if entry is not None:
                    key = (entry[0], -queue.rank, entry[1])
                    if best is None or key < best:
                        best, best_queue = key, queue
            if best_queue is None:
                break
            contact = heapq.heappop(best_queue.heap)[2]
            self._leave_queue(contact)
            self._serve(agent, contact)
        if agent.index < group.staffed and agent.active < group.concurrency and not agent.listed:
            group.free.append(agent)
            agent.listed = True
