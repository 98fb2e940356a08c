"""The contact's record is built through its slots; it must equal the constructor's."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from dataclasses import astuple, fields

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.contact import Contact
from simulator.engine.records import ContactRecord
from simulator.identity import ResolveAnswer
from simulator.population import PLATFORMS, Message, Population


def _message() -> Message:
    return Message(
        channel="twitter",
        case="returning",
        true_customer_id="CRM_1",
        sender_key="CRM_1",
        handle="@John_Doe",
        user_id="123",
        email=None,
        display_name="John Doe",
        text="hello",
        account_created_at=1.0e9,
        is_bot=False,
    )


def test_record_matches_the_constructor() -> None:
    contact = Contact(7, 12.5, _message())
    contact.answer = ResolveAnswer(True, "CRM_1", 1.0, "user_id", reasons=("handle_changed",))
    contact.irp_outcome = "ok"
    contact.tier, contact.queue, contact.priority = "Gold", "General_Social_Queue", 5
    contact.answer_s, contact.end_s, contact.agent = 20.0, 80.0, "desk#1"
    record = contact.record(replication=2, design="sync", tiers={"CRM_1": "Gold"})
    rebuilt = ContactRecord(*astuple(record))
    assert record == rebuilt
    assert [getattr(record, f.name) for f in fields(ContactRecord)] == list(astuple(rebuilt))
    assert (record.contact_id, record.resolved_customer_id, record.reasons) == (
        7,
        "CRM_1",
        ("handle_changed",),
    )
    assert record.true_tier == "Gold"
    assert hash(record) == hash(rebuilt)


def test_the_engine_parses_what_the_data_action_sends(world: Population) -> None:
    """``_request`` validates the message's fields as ``parse_request(m.request())`` does."""
    from simulator.engine.steps import _request
    from simulator.errors import HandlesimError
    from simulator.identity.validate import parse_request
    from simulator.traffic import TrafficGenerator

    def outcome(parse: Callable[[], object]) -> object:
        try:
            return parse()
        except HandlesimError as exc:
            return type(exc), str(exc)

    gen = TrafficGenerator(world, rng=random.Random(3))
    cases = ("returning", "homoglyph", "cross_platform_email", "new_prospect", "bot")
    messages = [
        gen.next_message(ch, case=case) for ch in PLATFORMS for case in cases for _ in range(20)
    ]
    refused = 0
    for m in messages:
        expected = outcome(lambda m=m: parse_request(m.request()))
        refused += isinstance(expected, tuple)
        assert outcome(lambda m=m: _request(Contact(0, 0.0, m))) == expected
    assert 0 < refused < len(messages)  # some look-alikes cannot be X handles


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(PLATFORMS),
    st.one_of(
        st.text(alphabet="abcXYZ019_.-@ \t", min_size=1, max_size=20),
        st.text(min_size=1, max_size=20),
        st.sampled_from(["@John_Doe", " jane.doe ", "linkedin.com/in/JohnDoe/", "jоhn_doe"]),
    ),
)
def test_the_social_handle_is_the_normalized_handle(platform: str, raw: str) -> None:
    """Taking the IRP's parsed handle gives what normalizing the raw handle gives."""
    from simulator.engine.steps import _request, _social_handle
    from simulator.errors import HandlesimError
    from simulator.identity import normalize_handle

    m = Message(platform, "returning", None, "s", raw, "42", None, "A", "hi", 1.0, False)
    contact = Contact(0, 0.0, m)
    with contextlib.suppress(HandlesimError):
        _request(contact)  # the IRP parses it first, when it can
    try:
        expected = normalize_handle(raw)
    except HandlesimError:
        expected = raw.strip()
    assert _social_handle(contact) == expected
