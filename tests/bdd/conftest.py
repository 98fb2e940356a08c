"""Shared fixtures and steps of the Gherkin suite, the IRP targets, and the run summary.

Targets: without ``--irp-url`` every scenario runs twice, in-process and over HTTP against
the reference service started on loopback; with ``--irp-url`` it runs over HTTP against
that IRP only. Scenarios tagged ``@in_process_only`` (a controllable clock or server
configuration), ``@simulated_flow`` (the simulator's flow) or ``@mocked_service`` (an
identity service simulated with ``responses``) are skipped over HTTP with the reason.
Scenarios listed in :mod:`tests.bdd.known_gaps` run as strict expected failures.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from tests.bdd.irp import HttpIRP, InProcessIRP, IRPDriver
from tests.bdd.irp.live_server import LiveService, reference_service
from tests.bdd.known_gaps import KNOWN_GAPS
from tests.bdd.support import (
    ScenarioContext,
    accounts_of,
    customer_record,
    customers_from_table,
    decode,
    message_request,
    platform_of,
    send,
    supported,
)

#: tags whose scenarios run in the in-process pass only, with the reason shown when skipped
SKIPPED_OVER_HTTP: dict[str, str] = {
    "in_process_only": "needs a controllable clock or IRP configuration: runs in-process "
    "only, not against a live IRP",
    "simulated_flow": "drives the simulator's inbound flow around the in-process resolver; "
    "runs in-process only",
    "mocked_service": "the identity service is simulated with `responses`; nothing to run "
    "against a live IRP (runs in the in-process pass)",
}

# --- targets ----------------------------------------------------------------------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each scenario against every target of this session."""
    if "irp_target" in metafunc.fixturenames:
        live = metafunc.config.getoption("--irp-url")
        targets = ["http"] if live else ["in_process", "http"]
        metafunc.parametrize("irp_target", targets, scope="session")


@pytest.fixture(scope="session")
def live_irp(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    """The IRP of the HTTP pass: ``--irp-url``, or the reference service on loopback."""
    url = request.config.getoption("--irp-url")
    if url:
        token = request.config.getoption("--irp-token") or os.environ.get("HANDLESIM_TOKEN", "")
        yield LiveService(url, token)
        return
    with reference_service(tmp_path_factory.mktemp("irp")) as service:
        yield service


@pytest.fixture(autouse=True)
def irp(irp_target: str, request: pytest.FixtureRequest) -> Iterator[IRPDriver]:
    """The IRP this scenario talks to."""
    driver: IRPDriver
    if irp_target == "in_process":
        driver = InProcessIRP()
    else:
        for tag, reason in SKIPPED_OVER_HTTP.items():
            if request.node.get_closest_marker(tag) is not None:
                pytest.skip(reason)
        service: LiveService = request.getfixturevalue("live_irp")
        driver = HttpIRP(service.url, service.token or None)
    yield driver
    driver.close()


@pytest.fixture
def ctx() -> ScenarioContext:
    """What the current scenario remembers between steps."""
    return ScenarioContext()


# --- Given: data ------------------------------------------------------------------------------


@given("these customers:")
def given_customers(
    irp: IRPDriver, ctx: ScenarioContext, datatable: Sequence[Sequence[object]]
) -> None:
    """Load the customers of the table into a fresh identity store."""
    customers = customers_from_table(datatable, now=irp.now())
    supported(irp.load_customers, customers, reset=True)
    ctx.customers = {c.customer_id: c for c in customers}
    ctx.fingerprint = irp.fingerprint(list(ctx.customers))


@given(parsers.parse("the confidence threshold is {threshold:f}"))
def given_threshold(irp: IRPDriver, threshold: float) -> None:
    """Configure the auto-merge threshold."""
    supported(irp.configure, threshold=threshold)


@given(parsers.parse("{seconds:g} seconds pass"))
@when(parsers.parse("{seconds:g} seconds pass"))
def time_passes(irp: IRPDriver, seconds: float) -> None:
    """Move the IRP's clock forward."""
    supported(irp.advance, seconds)


# --- messages ---------------------------------------------------------------------------------

#: the ids a message may carry, in the wording of the features
_IDS = (
    r"(?P<rest>(?:"
    r' with user id "[^"]*"| without a user id| and email "[^"]*"| with email "[^"]*"'
    r")*)"
)
_MESSAGE = r'a message (?:arrives|arrived) on (?P<channel>\S+) from "(?P<handle>[^"]*)"' + _IDS


@given(parsers.re(_MESSAGE))
@when(parsers.re(_MESSAGE))
def message_arrives(
    irp: IRPDriver, ctx: ScenarioContext, channel: str, handle: str, rest: str
) -> None:
    """Resolve a message (the wording after the handle says which ids it carries)."""
    send(irp, ctx, message_request(channel, handle, rest))


@when(parsers.parse("a message arrives on {channel} with an empty handle"))
def message_with_empty_handle(irp: IRPDriver, ctx: ScenarioContext, channel: str) -> None:
    """Resolve a message whose handle is empty."""
    send(irp, ctx, {"handle": "", "channel": channel, "user_id": "123"})


@when(parsers.parse("a message arrives on {channel} from a handle of {length:d} characters"))
def message_with_long_handle(
    irp: IRPDriver, ctx: ScenarioContext, channel: str, length: int
) -> None:
    """Resolve a message whose handle is ``length`` letters long."""
    send(irp, ctx, {"handle": "@" + "a" * length, "channel": channel, "user_id": "123"})


@when(
    parsers.re(
        r'the guest flow handles a message on (?P<channel>\S+) from "(?P<handle>[^"]*)"' + _IDS
    )
)
def guest_flow(irp: IRPDriver, ctx: ScenarioContext, channel: str, handle: str, rest: str) -> None:
    """Resolve; when unresolved, capture a (deduplicated) lead as the guest flow does."""
    request = message_request(channel, handle, rest)
    send(irp, ctx, request)
    if ctx.reply is not None and ctx.reply.ok and not ctx.reply.body["resolved"]:
        ctx.leads.append(irp.capture_lead(request))


# --- Then: the answer -------------------------------------------------------------------------


@given(parsers.parse('the message is resolved to customer "{customer}"'))
@then(parsers.parse('the message is resolved to customer "{customer}"'))
def resolved_to(ctx: ScenarioContext, customer: str) -> None:
    """The answer merged the sender into that customer."""
    answer = ctx.answer
    assert answer["resolved"] is True, f"expected a resolution to {customer}, got {answer}"
    assert answer["customer_id"] == customer, answer


@given("the message was not resolved")
@then("the message is not resolved")
def not_resolved(ctx: ScenarioContext) -> None:
    """The answer did not merge the sender into any customer."""
    answer = ctx.answer
    assert answer["resolved"] is False, f"expected no resolution, got {answer}"


@then(parsers.parse('the message is not resolved to customer "{customer}"'))
def not_resolved_to(ctx: ScenarioContext, customer: str) -> None:
    """Whatever happened, the sender was not merged into that customer."""
    answer = ctx.answer
    assert not (answer["resolved"] and answer["customer_id"] == customer), answer


@then("the answer is sent to review")
def sent_to_review(ctx: ScenarioContext) -> None:
    """A supervisor must look at this answer."""
    answer = ctx.answer
    assert answer["review"] is True, f"expected review, got {answer}"
    assert answer["resolved"] is False, f"a review answer must not be a merge: {answer}"


@then("the answer is not sent to review")
def not_sent_to_review(ctx: ScenarioContext) -> None:
    """No supervisor review is asked for."""
    assert ctx.answer["review"] is False, ctx.answer


@then(parsers.parse('the answer gives the reason "{reason}"'))
def gives_reason(ctx: ScenarioContext, reason: str) -> None:
    """The answer explains itself with that reason code."""
    assert reason in ctx.answer["reasons"], ctx.answer


@then(parsers.parse('the answer does not give the reason "{reason}"'))
def not_gives_reason(ctx: ScenarioContext, reason: str) -> None:
    """The answer does not carry that reason code."""
    assert reason not in ctx.answer["reasons"], ctx.answer


@then(parsers.parse('the outcome is "{outcome}"'))
def outcome_is(ctx: ScenarioContext, outcome: str) -> None:
    """``resolved to CRM_1``, ``not resolved`` or ``sent to review``."""
    if outcome.startswith("resolved to "):
        resolved_to(ctx, outcome.removeprefix("resolved to "))
    elif outcome == "not resolved":
        not_resolved(ctx)
    elif outcome == "sent to review":
        sent_to_review(ctx)
    else:
        raise AssertionError(f"unknown outcome wording {outcome!r}")


@then(parsers.parse("the confidence is below {limit:f}"))
def confidence_below(ctx: ScenarioContext, limit: float) -> None:
    """The answer's confidence is under ``limit``."""
    assert ctx.answer["confidence"] < limit, ctx.answer


@then(parsers.parse("the confidence is at least {limit:f}"))
def confidence_at_least(ctx: ScenarioContext, limit: float) -> None:
    """The answer's confidence reaches ``limit``."""
    assert ctx.answer["confidence"] >= limit, ctx.answer


# --- Then: the identity store -----------------------------------------------------------------


@then(parsers.re(r'customer "(?P<customer>[^"]+)" has (?P<count>\d+) linked accounts?'))
def linked_account_count(irp: IRPDriver, customer: str, count: str) -> None:
    """The customer holds exactly that many platform accounts."""
    accounts = accounts_of(customer_record(irp, customer))
    assert len(accounts) == int(count), accounts


@then(parsers.parse('customer "{customer}" is known on {platform} as "{handle}"'))
def known_as(irp: IRPDriver, customer: str, platform: str, handle: str) -> None:
    """The customer's current handle on that platform."""
    accounts = accounts_of(customer_record(irp, customer))
    handles = [a["handle"] for a in accounts if a["platform"] == platform_of(platform)]
    assert decode(handle) in handles, accounts


@then("nothing was changed in the identity store")
def store_unchanged(irp: IRPDriver, ctx: ScenarioContext) -> None:
    """Customers, accounts and (where visible) leads are as they were loaded."""
    assert irp.fingerprint(list(ctx.customers)) == ctx.fingerprint


# --- Then: refusals ---------------------------------------------------------------------------


@then(parsers.parse('the request is refused with an error naming the field "{name}"'))
def refused_naming(ctx: ScenarioContext, name: str) -> None:
    """A 4xx answer whose body names the offending field."""
    reply = ctx.reply
    assert reply is not None
    assert 400 <= reply.status < 500 and reply.status != 429, (reply.status, reply.body)
    assert isinstance(reply.body, dict) and reply.body.get("field", "").split(".")[-1] == name, (
        reply.body
    )


@then(parsers.parse('the error lists "{value}" among the allowed values'))
def error_lists_allowed(ctx: ScenarioContext, value: str) -> None:
    """The error says what would have been accepted."""
    assert ctx.reply is not None
    assert value in str(ctx.reply.body.get("allowed", "")), ctx.reply.body


# --- run summary ------------------------------------------------------------------------------

#: per "feature<TAB>target": outcome -> count, filled while the session runs
_SUMMARY: defaultdict[str, Counter[str]] = defaultdict(Counter)
#: node id -> "feature<TAB>target", filled at collection
_FEATURE_OF: dict[str, str] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Remember each scenario's feature and target; mark the known gaps as strict xfail."""
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    for item in items:
        function = getattr(item, "function", None)
        template = None if function is None else scenario_wrapper_template_registry.get(function)
        if template is None:
            continue
        if template.name in KNOWN_GAPS:
            item.add_marker(pytest.mark.xfail(reason=KNOWN_GAPS[template.name], strict=True))
        callspec = getattr(item, "callspec", None)
        target = callspec.params.get("irp_target", "?") if callspec else "?"
        _FEATURE_OF[item.nodeid] = f"{Path(template.feature.filename).name}\t{target}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count each scenario's outcome once: failed setup/teardown counts as failed."""
    key = _FEATURE_OF.get(report.nodeid)
    if key is None:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        outcome = "xfailed" if hasattr(report, "wasxfail") and report.skipped else report.outcome
        _SUMMARY[key][outcome] += 1
    elif report.when == "teardown" and report.failed:
        _SUMMARY[key]["failed"] += 1


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print passed / failed / skipped scenarios per feature and target."""
    counts = _SUMMARY
    if not counts:
        return
    terminalreporter.section("BDD scenarios per feature")
    columns = ("passed", "failed", "skipped", "xfailed")
    terminalreporter.write_line(
        f"{'feature':<30} {'target':<11}" + "".join(f"{c:>9}" for c in columns)
    )
    for key in sorted(counts):
        feature, target = key.split("\t")
        row = "".join(f"{counts[key][c]:>9}" for c in columns)
        terminalreporter.write_line(f"{feature:<30} {target:<11}{row}")
