"""Steps of ``features/rate_limiting.feature``."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.irp import InProcessIRP, IRPDriver
from tests.bdd.support import ScenarioContext, supported

scenarios("rate_limiting.feature")

_SENDS = (
    r'user id "(?P<user_id>[^"]+)" (?:sends|has sent) (?P<count>\d+) '
    r"(?:more )?resolution requests?(?: within one minute)?"
)


@given(parsers.parse("the rate limit is {limit:d} requests per minute"))
def rate_limit_is(irp: IRPDriver, limit: int) -> None:
    """Configure the per-user-id limit."""
    supported(irp.configure, rate_limit=limit)


@given(parsers.re(_SENDS))
@when(parsers.re(_SENDS))
def sends(irp: IRPDriver, ctx: ScenarioContext, user_id: str, count: str) -> None:
    """A burst of resolve requests from one sender (the batch replaces the previous one)."""
    sender = irp.unique_label(user_id)
    request = {"handle": "@noisy_sender", "channel": "twitter", "user_id": sender}
    ctx.replies = [irp.resolve(request) for _ in range(int(count))]
    ctx.reply = ctx.replies[-1]


@then("all of them are answered")
def all_answered(ctx: ScenarioContext) -> None:
    """No request of the latest burst was refused."""
    refused = [r for r in ctx.replies if not r.ok]
    assert not refused, refused[:3]


@then("the request is refused as rate limited")
def refused_rate_limited(ctx: ScenarioContext) -> None:
    """429, with the reason ``rate_limited``."""
    reply = ctx.reply
    assert reply is not None and reply.status == 429, reply
    assert "rate_limited" in reply.body.get("reasons", ()), reply.body


@then("the refusal says when to try again")
def says_when(irp: IRPDriver, ctx: ScenarioContext) -> None:
    """A positive ``Retry-After`` (the in-process answer carries the limiter's window)."""
    assert ctx.reply is not None
    retry_after = ctx.reply.header("Retry-After")
    assert retry_after is not None and int(retry_after) >= 1, ctx.reply


@then(
    parsers.parse(
        'the security review log holds {count:d} refused requests from user id "{user_id}"'
    )
)
def security_log(irp: IRPDriver, count: int, user_id: str) -> None:
    """Refused requests are written where a security reviewer can find them."""
    assert isinstance(irp, InProcessIRP)
    entries = [e for e in irp.store.audit_log() if "rate" in e.action and e.user_id == user_id]
    assert len(entries) == count, irp.store.audit_log()[-5:]
