"""Steps of ``features/bot_traffic.feature``.

The bot check runs where the inbound flow runs it, before the resolve data action: a
contact judged a bot is closed and the IRP's resolve endpoint is never called.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.irp import IRPDriver
from tests.bdd.support import ScenarioContext, send, supported

scenarios("bot_traffic.feature")

_DAY_S = 86_400.0


def receive(
    irp: IRPDriver, ctx: ScenarioContext, request: dict[str, str], message: str, age_days: float
) -> bool:
    """Bot check, then resolution unless the sender is a bot; returns the bot verdict."""
    verdict = irp.bot_check(request["user_id"], message, irp.now() - age_days * _DAY_S)
    assert verdict.ok, (verdict.status, verdict.body)
    ctx.extra.setdefault("verdicts", []).append(verdict.body)
    if not verdict.body["bot"]:
        send(irp, ctx, request)
    return bool(verdict.body["bot"])


@given(parsers.parse('the known bot list contains user id "{user_id}"'))
def known_bot(irp: IRPDriver, user_id: str) -> None:
    """Configure the bot guard's list of known bot ids."""
    supported(irp.configure, known_bots=(user_id,))


@when(
    parsers.parse(
        'the message flow receives "{message}" on {channel} from "{handle}" '
        'with user id "{user_id}" whose account is {age:d} days old'
    )
)
def flow_receives(
    irp: IRPDriver,
    ctx: ScenarioContext,
    message: str,
    channel: str,
    handle: str,
    user_id: str,
    age: int,
) -> None:
    """One inbound message through the bot check and, if it passes, resolution."""
    receive(irp, ctx, {"handle": handle, "channel": channel, "user_id": user_id}, message, age)


@when(parsers.parse('the message flow receives {count:d} messages from user id "{user_id}"'))
def flow_receives_many(irp: IRPDriver, ctx: ScenarioContext, count: int, user_id: str) -> None:
    """A flood of ordinary-looking messages from one sender."""
    request = {"handle": "@flood_sender", "channel": "twitter", "user_id": user_id}
    for _ in range(count):
        receive(irp, ctx, request, "hello", 400)


def _verdicts(ctx: ScenarioContext) -> list[dict[str, object]]:
    verdicts: list[dict[str, object]] = ctx.extra.get("verdicts", [])
    assert verdicts, "no message went through the bot check"
    return verdicts


@then("the contact is closed as a bot")
def closed_as_bot(ctx: ScenarioContext) -> None:
    """The bot check said bot."""
    assert _verdicts(ctx)[-1]["bot"] is True, _verdicts(ctx)[-1]


@then("the contact is not treated as a bot")
def not_a_bot(ctx: ScenarioContext) -> None:
    """The bot check let the message through."""
    assert _verdicts(ctx)[-1]["bot"] is False, _verdicts(ctx)[-1]


@then(parsers.parse('the outcome of the bot check is "{verdict}"'))
def bot_check_outcome(ctx: ScenarioContext, verdict: str) -> None:
    """``bot`` or ``not bot``."""
    assert _verdicts(ctx)[-1]["bot"] is (verdict == "bot"), _verdicts(ctx)[-1]


@then(parsers.parse("all {count:d} contacts are closed as bots"))
def all_closed(ctx: ScenarioContext, count: int) -> None:
    """Every message of the flood was judged a bot."""
    verdicts = _verdicts(ctx)
    assert len(verdicts) == count and all(v["bot"] for v in verdicts), verdicts


@then("the IRP was not called")
def irp_not_called(irp: IRPDriver) -> None:
    """No resolve request was sent."""
    assert irp.resolve_calls == 0


@then(parsers.re(r"the IRP was called (?P<count>\d+) times?"))
def irp_called(irp: IRPDriver, count: str) -> None:
    """Exactly ``count`` resolve requests were sent."""
    assert irp.resolve_calls == int(count)
