"""Handlesim: social-handle resolution for contact centres.

Three drivers around one resolver: the reference Identity Resolution Platform
(:mod:`simulator.identity`), the discrete-event simulator (:mod:`simulator.engine`)
and the BDD harness (``features/`` with ``tests/bdd``).
"""

from __future__ import annotations

__version__ = "0.1.0"
