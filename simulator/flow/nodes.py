"""The node vocabulary of the inbound message flow.

A flow is a small graph of :class:`Node` values: each node has a kind (what it does),
parameters, and named branches to its successors. The engine interprets the graph; the
graph itself knows nothing about SimPy. The kinds mirror Genesys Architect
``inboundShortMessage`` actions so an exported flow can later be mapped onto them:

=================  ====================================  =======================
kind               Architect action                      branches
=================  ====================================  =======================
``bot_check``      callData (bot detection action)       ``bot``, ``pass``
``resolve``        callData (the IRP data action)        ``success``, ``failure``,
                                                         ``timeout``
``split``          decision / switch                     ``resolved``, ``review``,
                                                         ``guest``
``set_attributes`` updateData / setParticipantData       ``next``
``crm_lookup``     callData (real-time CRM, by tier)     ``next``
``system_message`` send a system message to the agent    ``next``
``create_lead``    callData (CRM lead, deduplicated)     ``next``
``route``          transferToAcd (queue, priority)       ``next`` (optional)
``close``          disconnect                            none
=================  ====================================  =======================

A ``route`` node with a successor keeps the flow going after the transfer: that is the
hybrid design's background flow. ``route`` with ``mode: reroute`` moves a contact that is
still waiting when its new routing rule sends it elsewhere or raises its priority.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from simulator.errors import InvalidInput

__all__ = ["BRANCHES", "NODE_KINDS", "Flow", "Node"]

#: Branch names each kind may take; ``next`` is the plain successor.
BRANCHES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "bot_check": frozenset({"bot", "pass"}),
        "resolve": frozenset({"success", "failure", "timeout"}),
        "split": frozenset({"resolved", "review", "guest"}),
        "set_attributes": frozenset({"next"}),
        "crm_lookup": frozenset({"next"}),
        "system_message": frozenset({"next"}),
        "create_lead": frozenset({"next"}),
        "route": frozenset({"next"}),
        "close": frozenset(),
    }
)
NODE_KINDS: tuple[str, ...] = tuple(BRANCHES)
_REQUIRED: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "bot_check": frozenset({"bot", "pass"}),
        "resolve": frozenset({"success", "failure", "timeout"}),
        "split": frozenset({"resolved", "review", "guest"}),
    }
)
_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Node:
    """One step of the flow.

    Attributes:
        name: unique within the flow.
        kind: one of :data:`NODE_KINDS`.
        branches: outcome -> name of the next node.
        params: kind-specific settings (``rule``, ``mode``, ``attributes``, ``tiers``...).
    """

    name: str
    kind: str
    branches: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def __post_init__(self) -> None:
        if self.kind not in BRANCHES:
            raise InvalidInput(
                f"flow.{self.name}.kind", self.kind, "one of " + ", ".join(NODE_KINDS)
            )
        for outcome in self.branches:
            if outcome not in BRANCHES[self.kind]:
                allowed = ", ".join(sorted(BRANCHES[self.kind])) or "no branches"
                raise InvalidInput(f"flow.{self.name}.branches.{outcome}", outcome, allowed)
        missing = _REQUIRED.get(self.kind, frozenset()) - set(self.branches)
        if missing:
            raise InvalidInput(
                f"flow.{self.name}.branches",
                sorted(self.branches),
                "also " + ", ".join(sorted(missing)),
            )
        object.__setattr__(self, "branches", MappingProxyType(dict(self.branches)))
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def successor(self, outcome: str = "next") -> str | None:
        """Name of the node after ``outcome``, or ``None`` when the flow ends here."""
        return self.branches.get(outcome)


@dataclass(frozen=True, slots=True)
class Flow:
    """A named graph of nodes with a start node; checked to be closed on construction."""

    name: str
    start: str
    nodes: Mapping[str, Node]

    def __post_init__(self) -> None:
        nodes = MappingProxyType(dict(self.nodes))
        object.__setattr__(self, "nodes", nodes)
        if self.start not in nodes:
            raise InvalidInput(f"flow.{self.name}.start", self.start, "the name of a node")
        for node in nodes.values():
            for outcome, target in node.branches.items():
                if target not in nodes:
                    raise InvalidInput(
                        f"flow.{node.name}.branches.{outcome}", target, "the name of a node"
                    )

    @classmethod
    def of(cls, name: str, *nodes: Node) -> Flow:
        """A flow whose start is the first node given."""
        return cls(name=name, start=nodes[0].name, nodes={n.name: n for n in nodes})

    def __getitem__(self, name: str) -> Node:
        return self.nodes[name]

    def kinds(self) -> set[str]:
        """The node kinds the flow uses."""
        return {n.kind for n in self.nodes.values()}
