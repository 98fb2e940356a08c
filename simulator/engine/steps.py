"""The flow's node kinds as steps: what each node does to a contact in the model.

:func:`compile_flow` turns every node of a design's flow into a step, once per model:
a function of a contact, with the node's parameters and branches bound, that does the
node's work and returns the next node's name, or ``None`` when the flow ends there or
waits for modelled time (a callback of the IRP, the CRM or a timer resumes it through
:meth:`Model.advance <simulator.engine.model.Model.advance>`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from simulator.engine.contact import Contact
from simulator.engine.timers import call_later
from simulator.errors import HandlesimError
from simulator.flow import Flow, Node
from simulator.identity import TIERS, ResolveAnswer, normalize_handle
from simulator.identity.validate import ResolveRequest, parse_fields

if TYPE_CHECKING:
    from simulator.engine.model import Model

__all__ = ["Step", "compile_flow"]

#: A compiled flow node: does its work on a contact and names the next node, or returns
#: ``None`` when the flow ends there or waits for modelled time.
Step = Callable[[Contact], "str | None"]


def compile_flow(model: Model, flow: Flow) -> dict[str, Step]:
    """Every node of ``flow`` as a step of ``model``, by node name."""
    return {name: _COMPILERS[node.kind](model, node) for name, node in flow.nodes.items()}


def _bot_check(model: Model, node: Node) -> Step:
    bot, human = node.branches["bot"], node.branches["pass"]
    guard, env, epoch = model.guard, model.env, model.epoch
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


def _resolve(model: Model, node: Node) -> Step:
    success, failure = node.branches["success"], node.branches["failure"]
    timeout = node.branches["timeout"]
    irp = model.scenario.irp
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
    env, epoch, station = model.env, model.epoch, model.irp
    allow, latencies, errors = (
        model.limiter.allow,
        model.draws.irp_latency_s,
        model.draws.irp_error,
    )
    resolve, advance = model.resolver.resolve, model.advance

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


def _split(model: Model, node: Node) -> Step:
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


def _set_attributes(model: Model, node: Node) -> Step:
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


def _crm_lookup(model: Model, node: Node) -> Step:
    nxt = node.branches.get("next")
    tiers = node.params.get("tiers", ())
    if not model.scenario.crm.platinum_lookup:
        return lambda _c: nxt
    submit, lookups, advance = model.crm.submit, model.draws.crm_lookup_s, model.advance

    def crm_lookup(c: Contact) -> str | None:
        if c.tier not in tiers:
            return nxt
        submit(lookups[c.idx], partial(advance, c, nxt))
        return None

    return crm_lookup


def _system_message(model: Model, node: Node) -> Step:
    nxt = node.branches.get("next")

    def system_message(c: Contact) -> str | None:
        if c.answer is not None and c.answer.agent_notice:
            c.agent_notice = True
        return nxt

    return system_message


def _create_lead(model: Model, node: Node) -> Step:
    nxt = node.branches.get("next")
    if not model.scenario.crm.lead_capture:
        return lambda _c: nxt
    submit, leads = model.crm.submit, model.draws.crm_lead_s
    capture, advance = model.resolver.capture_lead, model.advance

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


def _route(model: Model, node: Node) -> Step:
    nxt = node.branches.get("next")
    rules = model.scenario.routing.rules()
    rule_name = node.params["rule"]
    guest = rules["guest"]
    by_tier = {tier: rules[tier] for tier in TIERS} if rule_name == "by_tier" else None
    fixed = rules[rule_name] if by_tier is None else guest
    # ``dispatcher.transfer`` is looked up per call: the BDD flow harness spies on it
    dispatcher, patience = model.dispatcher, model.start_patience

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


def _close(model: Model, _node: Node) -> Step:
    env = model.env

    def close(c: Contact) -> None:
        c.end_s = env._now

    return close


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


_COMPILERS: dict[str, Callable[[Model, Node], Step]] = {
    "bot_check": _bot_check,
    "resolve": _resolve,
    "split": _split,
    "set_attributes": _set_attributes,
    "crm_lookup": _crm_lookup,
    "system_message": _system_message,
    "create_lead": _create_lead,
    "route": _route,
    "close": _close,
}
