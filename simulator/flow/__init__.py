"""The inbound message flow as data: a node vocabulary and the ``sync``/``async`` designs."""

from __future__ import annotations

from simulator.flow.designs import DESIGN_NAMES, async_flow, design, sync_flow
from simulator.flow.nodes import BRANCHES, NODE_KINDS, Flow, Node

__all__ = [
    "BRANCHES",
    "DESIGN_NAMES",
    "NODE_KINDS",
    "Flow",
    "Node",
    "async_flow",
    "design",
    "sync_flow",
]
