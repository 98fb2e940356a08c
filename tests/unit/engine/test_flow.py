"""The flow graph: vocabulary, closure checks, and the shape of the two designs."""

from __future__ import annotations

import pytest

from simulator.errors import InvalidInput
from simulator.flow import NODE_KINDS, Flow, Node, design


def walk(flow: Flow, choices: dict[str, str]) -> list[str]:
    """Node kinds visited from the start, taking ``choices[kind]`` at branching nodes."""
    path, node = [], flow[flow.start]
    while True:
        path.append(node.kind if node.kind != "route" else f"route:{node.params['rule']}")
        outcome = choices.get(node.kind, "next")
        name = node.successor(outcome)
        if name is None:
            return path
        node = flow[name]


def test_sync_resolves_before_routing() -> None:
    flow = design("sync")
    ok = {"bot_check": "pass", "resolve": "success", "split": "resolved"}
    assert walk(flow, ok) == [
        "bot_check", "resolve", "split", "set_attributes", "crm_lookup", "system_message",
        "route:by_tier",
    ]  # fmt: skip
    timeout = {"bot_check": "pass", "resolve": "timeout"}
    assert walk(flow, timeout) == [
        "bot_check", "resolve", "set_attributes", "create_lead", "route:guest",
    ]  # fmt: skip
    assert walk(flow, {"bot_check": "bot"}) == ["bot_check", "close"]


def test_async_routes_first_then_resolves_in_background() -> None:
    flow = design("async")
    path = walk(flow, {"bot_check": "pass", "resolve": "success", "split": "resolved"})
    assert path[:3] == ["bot_check", "route:initial", "resolve"]
    assert path[-1] == "route:by_tier"
    reroutes = [
        n for n in flow.nodes.values() if n.kind == "route" and n.params["mode"] == "reroute"
    ]
    assert {n.params["rule"] for n in reroutes} == {"by_tier", "review"}
    assert flow["resolve"].params["background"] is True


def test_both_designs_use_the_whole_vocabulary() -> None:
    for name in ("sync", "async"):
        assert design(name).kinds() == set(NODE_KINDS)


def test_bad_graphs_are_refused() -> None:
    with pytest.raises(InvalidInput, match="kind"):
        Node("a", "teleport")
    with pytest.raises(InvalidInput, match="timeout"):
        Node("r", "resolve", {"success": "x", "failure": "y"})
    with pytest.raises(InvalidInput, match=r"branches\.bogus"):
        Node("c", "close", {"bogus": "x"})
    with pytest.raises(InvalidInput, match="the name of a node"):
        Flow.of("f", Node("s", "set_attributes", {"next": "nowhere"}))
    node = Node("s", "set_attributes", params={"attributes": {"isGuest": True}})
    with pytest.raises(TypeError):
        node.params["x"] = 1  # type: ignore[index]
