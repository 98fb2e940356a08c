"""Steps of ``features/duplicate_leads.feature``."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.irp import IRPDriver
from tests.bdd.support import ScenarioContext, message_request

scenarios("duplicate_leads.feature")

_WRITES = (
    r"an unknown sender (?:writes (?P<times>\d+) times?|wrote) on (?P<channel>\S+) "
    r'as "(?P<handle>[^"]*)"(?P<rest>.*)'
)


@given(parsers.re(_WRITES))
@when(parsers.re(_WRITES))
def unknown_sender_writes(
    irp: IRPDriver, ctx: ScenarioContext, channel: str, handle: str, rest: str, times: str | None
) -> None:
    """An unresolved sender writes; the guest flow captures a lead each time."""
    request = message_request(channel, handle, rest)
    for _ in range(int(times or 1)):
        ctx.reply = irp.resolve(request)
        assert ctx.reply.ok and not ctx.reply.body["resolved"], ctx.reply.body
        ctx.leads.append(irp.capture_lead(request))


def _lead_bodies(ctx: ScenarioContext) -> list[dict[str, object]]:
    for reply in ctx.leads:
        assert reply.ok, (reply.status, reply.body)
    return [reply.body for reply in ctx.leads]


@then("the first message created a lead")
def first_created(ctx: ScenarioContext) -> None:
    """The first capture made a new lead."""
    assert _lead_bodies(ctx)[0]["action"] == "created", ctx.leads


@then(parsers.re(r"every (?:later )?message found that same lead"))
def same_lead(ctx: ScenarioContext) -> None:
    """Every capture after the first found the first one's lead."""
    bodies = _lead_bodies(ctx)
    assert len(bodies) >= 2, bodies
    assert all(b["action"] == "existing" for b in bodies[1:]), bodies
    assert {b["lead_id"] for b in bodies} == {bodies[0]["lead_id"]}, bodies


@then("no new lead is created")
def no_new_lead(ctx: ScenarioContext) -> None:
    """No capture created a lead."""
    assert all(b["action"] != "created" for b in _lead_bodies(ctx)), ctx.leads


@then(parsers.parse('the sender is linked to customer "{customer}"'))
def linked_to(irp: IRPDriver, ctx: ScenarioContext, customer: str) -> None:
    """The sender was resolved or attached to that customer, and stays so."""
    answer = ctx.answer
    attached = [b for b in _lead_bodies(ctx) if b["action"] == "attached"]
    assert (answer["resolved"] and answer["customer_id"] == customer) or (
        attached and attached[-1]["customer_id"] == customer
    ), (answer, attached)


@then("a new lead is created")
def lead_created(ctx: ScenarioContext) -> None:
    """The last capture created a lead."""
    assert _lead_bodies(ctx)[-1]["action"] == "created", ctx.leads


@then("the lead is tagged needs_review")
def lead_needs_review(ctx: ScenarioContext) -> None:
    """A data steward is asked to look at the lead."""
    assert _lead_bodies(ctx)[-1]["needs_review"] is True, ctx.leads
