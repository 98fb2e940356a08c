"""Steps of ``features/input_validation.feature``."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, when

from tests.bdd.irp import IRPDriver
from tests.bdd.support import ScenarioContext, send

scenarios("input_validation.feature")


@when(
    parsers.parse(
        'a message arrives on {channel} from "{handle}" with its user id sent as a number'
    )
)
def numeric_user_id(irp: IRPDriver, ctx: ScenarioContext, channel: str, handle: str) -> None:
    """Platform ids are text: a number (which JSON clients turn into a float) is refused."""
    send(irp, ctx, {"handle": handle, "channel": channel, "user_id": 1712345678901234567})
