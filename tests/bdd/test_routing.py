"""Steps of ``features/routing.feature``: the synchronous flow, one contact at a time."""

from __future__ import annotations

from collections.abc import Sequence

from pytest_bdd import parsers, scenarios, then, when

from tests.bdd.flow_harness import ContactOutcome, FlowSettings, run_flow
from tests.bdd.irp import InProcessIRP, IRPDriver
from tests.bdd.support import ScenarioContext, message_request

scenarios("routing.feature")


def _contacts(ctx: ScenarioContext) -> list[ContactOutcome]:
    contacts: list[ContactOutcome] = ctx.extra.setdefault("contacts", [])
    assert contacts, "no message went through the flow"
    return contacts


@when(
    parsers.re(
        r"the message flow routes a message on (?P<channel>\S+) "
        r'from "(?P<handle>[^"]*)"(?P<rest>.*)'
    )
)
def flow_routes(irp: IRPDriver, ctx: ScenarioContext, channel: str, handle: str, rest: str) -> None:
    """One message through the synchronous design, against the scenario's identity store."""
    assert isinstance(irp, InProcessIRP)
    request = message_request(channel, handle, rest)
    [outcome] = run_flow("sync", irp.store, [request], FlowSettings())
    ctx.extra.setdefault("contacts", []).append(outcome)


@then(parsers.parse('the contact is routed to the queue "{queue}"'))
def routed_to(ctx: ScenarioContext, queue: str) -> None:
    """The flow's (last) transfer put the contact in ``queue``."""
    assert _contacts(ctx)[-1].queue == queue, _contacts(ctx)[-1]


@then(parsers.parse('the contact\'s customer tier is "{tier}"'))
def contact_tier(ctx: ScenarioContext, tier: str) -> None:
    """``customerTier``, or ``Guest`` for a contact routed as a guest."""
    attributes = _contacts(ctx)[-1].attributes
    shown = "Guest" if attributes.get("isGuest") else attributes.get("customerTier")
    assert shown == tier, attributes


@then("the contact attributes are:")
def contact_attributes(ctx: ScenarioContext, datatable: Sequence[Sequence[object]]) -> None:
    """Each listed attribute has the listed value (``false`` also matches an absent flag)."""
    attributes = _contacts(ctx)[-1].attributes
    for name, expected in ((str(r[0]), str(r[1])) for r in datatable[1:]):
        actual = attributes.get(name)
        if expected in ("true", "false"):
            assert bool(actual) is (expected == "true"), (name, attributes)
        else:
            assert str(actual) == expected, (name, attributes)


@then("the contact has no resolved customer id")
def no_customer_id(ctx: ScenarioContext) -> None:
    """Nothing claims to know who the sender is."""
    assert not _contacts(ctx)[-1].attributes.get("resolvedCustomerId"), _contacts(ctx)[-1]


@then("a lead was captured for the contact")
def lead_captured(ctx: ScenarioContext) -> None:
    """The guest flow created (or found) a lead."""
    assert _contacts(ctx)[-1].lead_action in ("created", "existing"), _contacts(ctx)[-1]


@then("the guest's contact has a lower priority than the Gold customer's contact")
def guest_lower_priority(ctx: ScenarioContext) -> None:
    """Same queue, and the guest is served after the known customer."""
    guest, gold = _contacts(ctx)[-2:]
    assert guest.queue == gold.queue, (guest, gold)
    assert guest.priority < gold.priority, (guest, gold)
