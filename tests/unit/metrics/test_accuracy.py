"""Truth-space table, precision/recall and duplicate leads against ground truth."""

from __future__ import annotations

import pytest

from simulator.engine.records import CASES
from simulator.metrics import (
    accuracy_by_case,
    accuracy_figures,
    duplicate_lead_contacts,
    error_examples,
)


@pytest.fixture
def scored(make_record):
    return [
        # true positive
        make_record(contact_id=1, resolved=True, resolved_customer_id="C1"),
        # false merge to another customer
        make_record(
            contact_id=2,
            case="homoglyph",
            true_customer_id="C2",
            resolved=True,
            resolved_customer_id="C1",
        ),
        # false merge of a stranger (a reused handle)
        make_record(
            contact_id=3,
            case="handle_reuse",
            true_customer_id=None,
            sender_key="P9",
            resolved=True,
            resolved_customer_id="C3",
        ),
        # miss: a customer sent to review
        make_record(contact_id=4, case="new_handle", true_customer_id="C4", review=True),
        # true negative: a new prospect
        make_record(contact_id=5, case="new_prospect", true_customer_id=None, sender_key="P1"),
        # bot closed by the guard: not scored
        make_record(contact_id=6, case="bot", true_customer_id=None, bot_blocked=True),
    ]


def test_truth_space_table_and_rates(scored) -> None:
    figures = accuracy_figures(scored, {})
    assert figures.evaluated == 5
    assert (figures.true_positives, figures.false_positives) == (1, 2)
    assert figures.false_positives_wrong_customer == 1
    assert figures.false_positives_stranger == 1
    assert (figures.false_negatives, figures.true_negatives) == (1, 1)
    assert figures.precision == pytest.approx(1 / 3)
    assert figures.recall == pytest.approx(1 / 3)  # 3 contacts from customers, 1 found
    assert figures.f1 == pytest.approx(1 / 3)
    assert figures.false_merge_rate == pytest.approx(2 / 5)
    assert figures.review_rate == pytest.approx(1 / 5)


def test_duplicate_leads_known_customer_and_repeat_sender(make_record) -> None:
    records = [
        make_record(contact_id=1, arrival_s=5.0, lead_action="created"),  # known customer
        make_record(
            contact_id=2,
            arrival_s=1.0,
            true_customer_id=None,
            sender_key="P1",
            lead_action="created",
        ),
        make_record(
            contact_id=3,
            arrival_s=2.0,
            true_customer_id=None,
            sender_key="P1",
            lead_action="existing",
        ),
        make_record(
            contact_id=4,
            arrival_s=3.0,
            true_customer_id=None,
            sender_key="P1",
            lead_action="created",
        ),
    ]
    duplicates = duplicate_lead_contacts(records)
    assert duplicates == {1: "known_customer", 4: "repeat_sender"}
    figures = accuracy_figures(records, duplicates)
    assert figures.leads_created == 3
    assert figures.duplicate_leads == 2
    assert figures.duplicate_leads_known_customer == 1
    assert figures.duplicate_leads_repeat_sender == 1


def test_breakdown_by_case_has_every_case(scored) -> None:
    by_case = accuracy_by_case(scored, {})
    assert list(by_case)[: len(CASES)] == list(CASES)
    assert by_case["homoglyph"]["false_positives"] == 1
    assert by_case["returning"]["precision"] == 1.0
    assert by_case["cross_platform"]["evaluated"] == 0
    assert by_case["cross_platform"]["precision"] is None


def test_error_examples_drill_down(scored) -> None:
    examples = error_examples(scored, {}, limit=1)
    assert [e["contact_id"] for e in examples["false_merges"]] == [2]
    assert [e["contact_id"] for e in examples["misses"]] == [4]
    assert examples["duplicate_leads"] == []
