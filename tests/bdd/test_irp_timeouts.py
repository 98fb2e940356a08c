"""Steps of ``features/irp_timeouts.feature``.

The timeout scenarios drive the simulator's ``sync`` and ``async`` flows (simulated time);
the data-action scenarios run the Genesys Data Action client against an identity service
simulated with ``responses`` (timeouts, 5xx, malformed JSON, 429 with Retry-After).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.flow_harness import ContactOutcome, FlowSettings, run_flow
from tests.bdd.irp import InProcessIRP, IRPDriver
from tests.bdd.support import ScenarioContext

scenarios("irp_timeouts.feature")

_ACTION = (
    Path(__file__).resolve().parents[2] / "scenarios" / "data_actions" / "resolve_identity.json"
)
_BASE_URL = "https://irp.example.test"
_DESIGNS = {"synchronous": "sync", "asynchronous": "async"}
_TOLERANCE_S = 1e-6
#: the Platinum real-time CRM lookup runs between the answer and the re-route
_CRM_LOOKUP_BOUND_S = 1.0


def _settings(ctx: ScenarioContext) -> FlowSettings:
    settings: FlowSettings = ctx.extra.setdefault("settings", FlowSettings())
    return settings


def _contacts(ctx: ScenarioContext) -> list[ContactOutcome]:
    contacts: list[ContactOutcome] = ctx.extra["contacts"]
    return contacts


# --- the simulated flow -----------------------------------------------------------------------


@given(parsers.parse("the IRP takes {seconds:g} seconds to answer"))
def irp_latency(ctx: ScenarioContext, seconds: float) -> None:
    """Every resolution takes this long."""
    ctx.extra["settings"] = replace(_settings(ctx), irp_latency_s=seconds)


@given(parsers.parse("the data action timeout is {seconds:g} seconds"))
def data_action_timeout(ctx: ScenarioContext, seconds: float) -> None:
    """The resolve data action gives up after this long."""
    ctx.extra["settings"] = replace(_settings(ctx), timeout_s=seconds)


@given("no agent is free in the general queue")
def general_queue_busy(ctx: ScenarioContext) -> None:
    """Contacts queued in the general queue keep waiting there."""
    ctx.extra["settings"] = replace(_settings(ctx), general_agents=0)


@when(
    parsers.parse("{count:d} messages from known Platinum customers go through the {design} design")
)
def through_design(irp: IRPDriver, ctx: ScenarioContext, count: int, design: str) -> None:
    """One message per Platinum customer of the background, one second apart."""
    assert isinstance(irp, InProcessIRP)
    platinum = [c for c in ctx.customers.values() if c.tier == "Platinum"][:count]
    assert len(platinum) == count, "the background needs that many Platinum customers"
    requests_ = [
        {
            "handle": f"@{c.accounts[0].handle}",
            "channel": "twitter",
            "user_id": c.accounts[0].user_id,
        }
        for c in platinum
    ]
    ctx.extra["contacts"] = run_flow(_DESIGNS[design], irp.store, requests_, _settings(ctx))


@then(
    parsers.parse(
        "every contact takes the failure branch {seconds:g} seconds after the IRP was called"
    )
)
def failure_after(ctx: ScenarioContext, seconds: float) -> None:
    """The data action timed out, exactly at its timeout."""
    for c in _contacts(ctx):
        assert c.irp_outcome == "timeout", c
        assert c.irp_start_s is not None and c.irp_end_s is not None, c
        assert abs(c.irp_end_s - c.irp_start_s - seconds) < _TOLERANCE_S, c


@then("every contact is routed as a guest, without the customer's identity")
def routed_as_guest(ctx: ScenarioContext) -> None:
    """The known customer reaches an agent as an anonymous guest (the guide's trap)."""
    for c in _contacts(ctx):
        assert c.attributes.get("isGuest") is True, c
        assert not c.attributes.get("resolvedCustomerId"), c
        assert c.queue != "Platinum_Social_Queue", c


@then("every contact is queued on arrival, without waiting for the IRP")
def queued_on_arrival(ctx: ScenarioContext) -> None:
    """The first transfer happens at the arrival time, before the IRP has answered."""
    for c in _contacts(ctx):
        assert c.transfers, c
        first_at = c.transfers[0][0]
        assert abs(first_at - c.arrival_s) < _TOLERANCE_S, c
        assert c.irp_end_s is None or first_at < c.irp_end_s, c


@then(parsers.parse('every contact is re-routed to "{queue}" when the identity arrives'))
def rerouted(ctx: ScenarioContext, queue: str) -> None:
    """A later transfer moves the contact once the answer is back (after the CRM lookup)."""
    for c in _contacts(ctx):
        assert c.irp_outcome == "ok", c
        later = [t for t in c.transfers[1:] if t[1] == queue]
        assert later and c.irp_end_s is not None, c
        assert c.irp_end_s <= later[0][0] <= c.irp_end_s + _CRM_LOOKUP_BOUND_S, c
        assert c.reroutes >= 1 and c.queue == queue, c


@then("no contact takes the failure branch")
def no_failure(ctx: ScenarioContext) -> None:
    """Every resolution answered in time."""
    assert all(c.irp_outcome == "ok" for c in _contacts(ctx)), _contacts(ctx)


@then(parsers.parse('every contact is routed to "{queue}" with the customer\'s identity'))
def routed_with_identity(ctx: ScenarioContext, queue: str) -> None:
    """Queue and attributes come from the resolved identity."""
    for c in _contacts(ctx):
        assert c.queue == queue and c.attributes.get("resolvedCustomerId"), c
        assert c.attributes.get("customerTier") == "Platinum", c


@then(parsers.parse("every contact waited {seconds:g} seconds for the IRP before it was queued"))
def waited_for_irp(ctx: ScenarioContext, seconds: float) -> None:
    """In the synchronous design the SLA clock runs during resolution."""
    for c in _contacts(ctx):
        assert c.transfers and c.transfers[0][0] - c.arrival_s >= seconds - _TOLERANCE_S, c


# --- the data action against a simulated identity service --------------------------------------


def _answer_with_resolver(irp: IRPDriver, ctx: ScenarioContext) -> Any:
    def callback(request: Any) -> tuple[int, dict[str, str], str]:
        payload = json.loads(request.body)
        ctx.extra["received"] = payload
        reply = irp.resolve({k: v for k, v in payload.items() if v})
        return reply.status, {"Content-Type": "application/json"}, json.dumps(reply.body)

    return callback


_BEHAVIOURS: dict[str, dict[str, Any]] = {
    "does not answer within the data action timeout": {"body": requests.ReadTimeout("slow")},
    "cannot be reached": {"body": requests.ConnectionError("refused")},
    "fails with a server error": {"status": 500, "json": {"error": "internal"}},
    "answers with malformed content": {
        "status": 200,
        "body": '{"resolved": tru',
        "content_type": "application/json",
    },
    "answers with content missing the resolved flag": {
        "status": 200,
        "json": {"customer_id": "CRM_P1", "confidence": 1.0},
    },
    'answers "too many requests", retry after 30 seconds': {
        "status": 429,
        "json": {"field": "user_id", "error": "rate limit exceeded", "reasons": ["rate_limited"]},
        "headers": {"Retry-After": "30"},
    },
}


@given(parsers.parse("the identity service {behaviour}"))
def identity_service(irp: IRPDriver, ctx: ScenarioContext, behaviour: str) -> None:
    """Remember how the simulated identity service will answer."""
    if behaviour == "answers correctly":
        ctx.extra["service"] = {"callback": _answer_with_resolver(irp, ctx)}
        return
    if behaviour not in _BEHAVIOURS:
        pytest.fail(f"unknown identity service behaviour {behaviour!r}")
    ctx.extra["service"] = _BEHAVIOURS[behaviour]


def _run_action(ctx: ScenarioContext, inputs: dict[str, str]) -> None:
    from simulator.service.data_action import DataAction

    action = DataAction.load(_ACTION)
    url = f"{_BASE_URL}/api/v1/resolve"
    service = dict(ctx.extra["service"])
    with responses.RequestsMock() as mock:
        if "callback" in service:
            mock.add_callback(responses.POST, url, callback=service["callback"])
        else:
            mock.add(responses.POST, url, **service)
        credentials = {"baseUrl": _BASE_URL, "token": "bdd-token"}
        ctx.extra["result"] = action.execute(inputs, credentials=credentials)


@when(
    parsers.parse(
        'the resolve data action runs for "{handle}" on {channel} with user id "{user_id}"'
    )
)
def run_data_action(ctx: ScenarioContext, handle: str, channel: str, user_id: str) -> None:
    """Execute the exported Resolve Identity data action once."""
    _run_action(ctx, {"handle": handle, "channel": channel, "user_id": user_id})


@when(parsers.parse("the resolve data action runs for the handle '{handle}' on {channel}"))
def run_data_action_raw(ctx: ScenarioContext, handle: str, channel: str) -> None:
    """Execute the data action for a handle the step quotes with single quotes."""
    ctx.extra["sent_handle"] = handle
    _run_action(ctx, {"handle": handle, "channel": channel})


@then(parsers.parse('the data action ends on the "{branch}" branch'))
def ends_on(ctx: ScenarioContext, branch: str) -> None:
    """``success``, ``failure`` or ``timeout``: the callData node's exits."""
    result = ctx.extra["result"]
    assert result.outcome == branch, result


@then(parsers.parse('the flow receives the customer "{customer}" with the tier "{tier}"'))
def flow_receives(ctx: ScenarioContext, customer: str, tier: str) -> None:
    """The translated outputs the flow's variables are set from."""
    outputs = ctx.extra["result"].outputs
    assert outputs["resolved"] is True and outputs["customerId"] == customer, outputs
    assert outputs["tier"] == tier, outputs


@then("the identity service received the handle exactly as it was written")
def handle_intact(ctx: ScenarioContext) -> None:
    """The request template escaped the quotes: valid JSON, the same text."""
    assert ctx.extra["received"]["handle"] == ctx.extra["sent_handle"], ctx.extra["received"]
