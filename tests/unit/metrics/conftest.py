"""Synthetic contact records for the metrics tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from simulator.engine.records import ContactRecord

RecordFactory = Callable[..., ContactRecord]


def _record(**overrides: Any) -> ContactRecord:
    fields: dict[str, Any] = {
        "replication": 0,
        "design": "sync",
        "contact_id": 0,
        "channel": "twitter",
        "case": "returning",
        "true_customer_id": "C1",
        "sender_key": "C1",
        "arrival_s": 0.0,
        "bot_truth": False,
        "bot_blocked": False,
        "irp_start_s": None,
        "irp_end_s": None,
        "irp_outcome": "skipped",
        "resolved": False,
        "resolved_customer_id": None,
        "confidence": 0.0,
        "method": "none",
        "review": False,
        "reasons": (),
        "lead_action": None,
        "lead_id": None,
        "tier": None,
        "queue": "General",
        "priority": 0,
        "reroutes": 0,
        "answer_s": None,
        "agent": None,
        "end_s": None,
        "abandoned": False,
        "context_missing": False,
    }
    fields.update(overrides)
    return ContactRecord(**fields)


@pytest.fixture
def make_record() -> RecordFactory:
    """Build a :class:`ContactRecord` from defaults and keyword overrides."""
    return _record
