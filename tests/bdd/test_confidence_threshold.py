"""Steps of ``features/confidence_threshold.feature``."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then, when

from simulator.errors import InvalidInput
from tests.bdd.irp import IRPDriver
from tests.bdd.support import ScenarioContext, supported

scenarios("confidence_threshold.feature")


@then("the confidence is between 0 and 1")
def confidence_in_range(ctx: ScenarioContext) -> None:
    """Confidence is a probability-like score."""
    assert 0.0 <= ctx.answer["confidence"] <= 1.0, ctx.answer


@then(parsers.parse("the answer is resolved exactly when its confidence is at least {threshold:f}"))
def resolved_iff_confident(ctx: ScenarioContext, threshold: float) -> None:
    """Auto-merge happens at or above the threshold, never below it."""
    answer = ctx.answer
    assert answer["resolved"] is (answer["confidence"] >= threshold), answer


@when(parsers.parse("the confidence threshold is set to {threshold:g}"))
def set_threshold(irp: IRPDriver, ctx: ScenarioContext, threshold: float) -> None:
    """Try to configure a threshold, keeping the error if it is refused."""
    try:
        supported(irp.configure, threshold=threshold)
    except InvalidInput as exc:
        ctx.extra["error"] = exc


@then(parsers.parse('the setting is refused with an error naming the field "{name}"'))
def setting_refused(ctx: ScenarioContext, name: str) -> None:
    """The configuration error names the setting."""
    error = ctx.extra.get("error")
    assert isinstance(error, InvalidInput), "the setting was accepted"
    assert error.field == name, str(error)
