"""Steps of ``features/handle_changes.feature``."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then

from tests.bdd.irp import IRPDriver
from tests.bdd.support import accounts_of, customer_record, history_handles, platform_of

scenarios("handle_changes.feature")


@then(
    parsers.parse('the handle history of customer "{customer}" on {platform} includes "{handle}"')
)
def history_includes(irp: IRPDriver, customer: str, platform: str, handle: str) -> None:
    """An earlier handle is kept in the account's history."""
    accounts = accounts_of(customer_record(irp, customer))
    history = [
        h for a in accounts if a["platform"] == platform_of(platform) for h in history_handles(a)
    ]
    assert handle in history, accounts
