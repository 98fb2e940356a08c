"""Steps of ``features/stale_profile.feature``."""

from __future__ import annotations

from dataclasses import replace

from pytest_bdd import given, parsers, scenarios, then, when

from simulator.errors import InvalidInput
from tests.bdd.irp import IRPDriver
from tests.bdd.support import ScenarioContext, supported

scenarios("stale_profile.feature")


@when(parsers.parse("the profile cache is configured to keep profiles for {seconds:g} seconds"))
def configure_cache(irp: IRPDriver, ctx: ScenarioContext, seconds: float) -> None:
    """Try a cache lifetime, keeping the error if it is refused."""
    try:
        supported(irp.configure, cache_ttl_s=seconds)
        ctx.extra["verdict"] = "accepted"
    except InvalidInput as exc:
        ctx.extra["verdict"] = "refused"
        ctx.extra["error"] = exc


@then(parsers.parse("the configuration is {verdict}"))
def configuration_is(ctx: ScenarioContext, verdict: str) -> None:
    """``accepted`` or ``refused``."""
    assert ctx.extra["verdict"] == verdict, ctx.extra.get("error")


@given(parsers.parse('customer "{customer}" changed their language to "{language}"'))
def language_changed(irp: IRPDriver, ctx: ScenarioContext, customer: str, language: str) -> None:
    """The CRM record changes behind the IRP's cache."""
    current = ctx.customers[customer]
    changed = replace(current, preferences={**current.preferences, "language": language})
    supported(irp.update_profile, changed)
    ctx.customers[customer] = changed


@given(parsers.parse('customer "{customer}" updated their profile {minutes:d} minutes ago'))
def profile_updated(irp: IRPDriver, ctx: ScenarioContext, customer: str, minutes: int) -> None:
    """The CRM records when the profile last changed."""
    changed = replace(ctx.customers[customer], profile_updated_at=irp.now() - 60 * minutes)
    supported(irp.update_profile, changed)
    ctx.customers[customer] = changed


@then(parsers.parse('the profile shows the language "{language}"'))
def profile_language(ctx: ScenarioContext, language: str) -> None:
    """The profile the agent sees."""
    assert ctx.answer["profile_data"]["preferences"]["language"] == language, ctx.answer


@then(parsers.parse('the agent notice is "{notice}"'))
def agent_notice(ctx: ScenarioContext, notice: str) -> None:
    """``not shown``, or ``shown, saying 20 minutes`` (the real elapsed time)."""
    shown = ctx.answer.get("agent_notice")
    if notice == "not shown":
        assert not shown, shown
        return
    elapsed = notice.removeprefix("shown, saying ")
    assert shown and f"{elapsed} ago" in shown, shown
