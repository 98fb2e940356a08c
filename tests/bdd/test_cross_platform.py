"""Steps of ``features/cross_platform.feature``."""

from __future__ import annotations

from collections.abc import Sequence

from pytest_bdd import given, parsers, scenarios, then, when

from tests.bdd.irp import IRPDriver
from tests.bdd.support import ScenarioContext, account_rows, graph_accounts, platform_of

scenarios("cross_platform.feature")


@then("the answer's social graph lists these accounts:")
def graph_lists(ctx: ScenarioContext, datatable: Sequence[Sequence[object]]) -> None:
    """The answer's social graph holds exactly the accounts of the table."""
    listed = graph_accounts(ctx.answer["social_graph"])
    assert listed == account_rows(datatable), ctx.answer["social_graph"]


@when(
    parsers.parse(
        'a supervisor confirms that {platform} user id "{user_id}" with handle "{handle}" '
        'is customer "{customer}"'
    )
)
def supervisor_confirms(
    irp: IRPDriver, platform: str, user_id: str, handle: str, customer: str
) -> None:
    """A reviewer links the account to the customer."""
    reply = irp.link(customer, platform_of(platform), user_id, handle)
    assert reply.ok, (reply.status, reply.body)


@given(
    parsers.parse(
        'a supervisor decided that {platform} user id "{user_id}" is not customer "{customer}"'
    )
)
def supervisor_rejects(irp: IRPDriver, platform: str, user_id: str, customer: str) -> None:
    """A reviewer stores a "not the same person" decision."""
    reply = irp.not_same(customer, platform_of(platform), user_id)
    assert reply.ok, (reply.status, reply.body)
