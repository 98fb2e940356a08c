"""The two inbound designs compared by the simulator, built from the node vocabulary.

``sync`` follows the seed guide's main path: bot check, resolve (data action), split,
set attributes, real-time CRM lookup for Platinum, agent notice, route by tier; guests get
the lead logic and a lower priority; low-confidence candidates go to supervisor review.

``async`` is the guide's hybrid fix for "The Trap: Synchronous Latency": route at once to
the initial queue, resolve in the background, update the attributes when the answer
comes, and re-route (or raise the priority of) a contact that is still waiting when its
tier asks for it.
"""

from __future__ import annotations

from simulator.errors import InvalidInput
from simulator.flow.nodes import Flow, Node

__all__ = ["DESIGN_NAMES", "async_flow", "design", "sync_flow"]

DESIGN_NAMES: tuple[str, ...] = ("sync", "async")


def _identity_tail(prefix: str, *, mode: str) -> tuple[Node, ...]:
    """Split on the answer, then attributes, CRM lookup, notice and routing."""
    route = f"{prefix}route_tier"
    return (
        Node(
            f"{prefix}split",
            "split",
            {
                "resolved": f"{prefix}set_customer",
                "review": f"{prefix}set_review",
                "guest": f"{prefix}set_guest",
            },
        ),
        Node(
            f"{prefix}set_customer",
            "set_attributes",
            {"next": f"{prefix}crm_lookup"},
            {"from_answer": True},
        ),
        Node(
            f"{prefix}crm_lookup",
            "crm_lookup",
            {"next": f"{prefix}notice"},
            {"tiers": ("Platinum",)},
        ),
        Node(f"{prefix}notice", "system_message", {"next": route}),
        Node(route, "route", {}, {"rule": "by_tier", "mode": mode}),
        Node(
            f"{prefix}set_review",
            "set_attributes",
            {"next": f"{prefix}route_review"},
            {"from_answer": True, "attributes": {"needsReview": True}},
        ),
        Node(f"{prefix}route_review", "route", {}, {"rule": "review", "mode": mode}),
        Node(
            f"{prefix}set_guest",
            "set_attributes",
            {"next": f"{prefix}create_lead"},
            {"attributes": {"isGuest": True}},
        ),
        Node(
            f"{prefix}create_lead",
            "create_lead",
            {"next": f"{prefix}route_guest"} if mode == "transfer" else {},
        ),
        *(
            (Node(f"{prefix}route_guest", "route", {}, {"rule": "guest", "mode": mode}),)
            if mode == "transfer"
            else ()
        ),
    )


def sync_flow() -> Flow:
    """Resolve first, then route: the SLA clock runs during resolution."""
    return Flow.of(
        "sync",
        Node("bot_check", "bot_check", {"bot": "close_bot", "pass": "resolve"}),
        Node("close_bot", "close", params={"reason": "bot"}),
        Node(
            "resolve",
            "resolve",
            {"success": "split", "failure": "set_guest", "timeout": "set_guest"},
        ),
        *_identity_tail("", mode="transfer"),
    )


def async_flow() -> Flow:
    """Route at once, resolve in the background, re-route when the tier asks for it."""
    return Flow.of(
        "async",
        Node("bot_check", "bot_check", {"bot": "close_bot", "pass": "route_initial"}),
        Node("close_bot", "close", params={"reason": "bot"}),
        Node(
            "route_initial", "route", {"next": "resolve"}, {"rule": "initial", "mode": "transfer"}
        ),
        Node(
            "resolve",
            "resolve",
            {"success": "split", "failure": "set_guest", "timeout": "set_guest"},
            {"background": True},
        ),
        *_identity_tail("", mode="reroute"),
    )


def design(name: str) -> Flow:
    """The flow of design ``name`` (``sync`` or ``async``)."""
    if name == "sync":
        return sync_flow()
    if name == "async":
        return async_flow()
    raise InvalidInput("design", name, "one of " + ", ".join(DESIGN_NAMES))
