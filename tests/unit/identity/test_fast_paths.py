"""The hot-path shortcuts give exactly what the general code gives.

``check_text`` and ``normalize_handle`` skip work for printable text; ``parse_handle``
takes plain ASCII handles on a short path; ``maker`` builds frozen values through a
mutable twin; ``parse_request`` passes a parsed request through and ``parse_fields``
skips the mapping. Each is compared here with the slow, obviously right way.
"""

from __future__ import annotations

import math
import pickle
import unicodedata
from collections.abc import Callable
from dataclasses import FrozenInstanceError, astuple, dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import ConflictError, InvalidInput
from simulator.identity import (
    AuditEntry,
    IdentityStore,
    Lead,
    LeadOutcome,
    Platform,
    ResolveAnswer,
    handles,
    linking,
)
from simulator.identity._frozen import maker
from simulator.identity.handles import MAX_RAW_HANDLE, check_text, normalize_handle
from simulator.identity.validate import ResolveRequest, parse_fields, parse_request

_REFUSED = frozenset({"Cc", "Cs", "Co", "Cn"})
TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=" \t\u00a0\u3000@Ab1_\u200b\u0000\ue000\u0378é", max_size=12),
)


def _slow_check(value: str, max_len: int) -> bool:
    """The rule as written: non-blank, not too long, no refused category once trimmed."""
    if not value.strip() or len(value) > max_len:
        return False
    core = value.strip(" \t\n\r\f\v\u00a0\u3000")
    return not any(unicodedata.category(char) in _REFUSED for char in core)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_check_text_agrees_with_the_category_rule(value: str) -> None:
    try:
        check_text("name", value, max_len=20)
        accepted = True
    except InvalidInput:
        accepted = False
    assert accepted == _slow_check(value, 20)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_normalize_fast_path_agrees_with_the_general_one(raw: str) -> None:
    try:
        expected: str | None = handles._normalize(check_text("handle", raw, max_len=MAX_RAW_HANDLE))
    except InvalidInput:
        expected = None
    try:
        got: str | None = normalize_handle(raw)
    except InvalidInput:
        got = None
    assert got == expected


VALUES = [
    ResolveAnswer(False, None, 0.4, "review", True, ("a", "b"), None, ("C1",), None, None, ()),
    Lead("LEAD-1", "twitter", "john", "1", None, 5.0, 2, True, ("C1",)),
    AuditEntry(1.0, "link", "C1", "twitter", "1", "detail"),
    LeadOutcome("created", "LEAD-1", None, True),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_maker_builds_what_the_constructor_builds(value: object) -> None:
    built = maker(type(value))(*astuple(value))  # type: ignore[call-overload]
    assert built == value and hash(built) == hash(value)
    assert repr(built) == repr(value)


def test_a_made_value_is_an_ordinary_frozen_instance() -> None:
    made = maker(AuditEntry)(1.0, "link", "C1", "twitter", "1", "detail")
    assert type(made) is AuditEntry
    with pytest.raises(FrozenInstanceError):
        made.action = "unlink"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(made)) == made


def test_maker_wants_every_field_and_a_slotted_dataclass() -> None:
    with pytest.raises(TypeError):
        maker(AuditEntry)(1.0, "link")  # the defaults are not filled in

    @dataclass(frozen=True)
    class NoSlots:
        x: int

    @dataclass(frozen=True, slots=True)
    class Base:
        x: int

    @dataclass(frozen=True, slots=True)
    class Child(Base):  # its layout spans two classes: no twin has it
        y: int

    for cls in (NoSlots, Child):
        with pytest.raises(TypeError):
            maker(cls)


def test_a_parsed_request_passes_through() -> None:
    parsed = parse_request({"handle": "@John_Doe", "channel": "x", "user_id": " 42 "})
    assert isinstance(parsed, ResolveRequest)
    assert parse_request(parsed) is parsed
    assert (parsed.platform, parsed.handle.normalized, parsed.user_id) == (
        "twitter",
        "john_doe",
        "42",
    )


def _outcome(call: Callable[[], Any]) -> tuple[Any, ...]:
    """What a call gave: its value, or its error's type, field, value and message."""
    try:
        return ("value", call())
    except InvalidInput as error:
        return ("error", type(error), error.field, repr(error.value), str(error))


_ASCII_HANDLES = st.one_of(
    st.text(alphabet="abcmxyzAB019_.-@ \t\n\x0b\x1c/:?#", max_size=20),
    st.sampled_from(
        [
            "john_doe",
            "@John_Doe",
            " @john.doe ",
            "@ john",
            "@@john",
            "mary..major",
            ".mary",
            "ab",
            "a" * 16,
            "a" * 31,
            "linkedin.com/in/johndoe",
            "https://www.linkedin.com/in/JohnDoe/?trk=x",
            "john-doe" + " " * 600,
        ]
    ),
)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(list(Platform)), _ASCII_HANDLES)
def test_parse_handle_short_path_agrees_with_the_general_one(platform: Platform, raw: str) -> None:
    assert _outcome(lambda: handles.parse_handle(platform, raw)) == _outcome(
        lambda: handles._parse_general(platform, raw)
    )


_FIELDS = st.fixed_dictionaries(
    {
        "channel": st.one_of(
            st.none(),
            st.sampled_from(["twitter", "x", "instagram", "linkedin", " X ", "myspace", ""]),
            st.integers(),
        ),
        "handle": st.one_of(st.none(), _ASCII_HANDLES, TEXT, st.just("jоhn_doe"), st.integers()),
        "user_id": st.one_of(st.none(), st.just(" 42 "), TEXT, st.integers(), st.booleans()),
        "email": st.one_of(
            st.none(), st.sampled_from(["john@example.com", " John@Example.COM "]), TEXT
        ),
        "display_name": st.one_of(st.none(), st.just("Ana Silva"), TEXT, st.integers()),
        "message": st.one_of(
            st.none(), TEXT, st.just("x" * 10_001), st.sampled_from([0, False, [], 5])
        ),
        "account_created_at": st.one_of(
            st.none(), st.floats(), st.integers(), st.booleans(), st.just("1")
        ),
    }
)


@settings(max_examples=500, deadline=None)
@given(_FIELDS)
def test_parse_fields_is_parse_request_without_the_mapping(fields: dict[str, Any]) -> None:
    sent = {name: value for name, value in fields.items() if value is not None}
    assert _outcome(lambda: parse_fields(**fields)) == _outcome(lambda: parse_request(sent))


def test_parse_fields_defaults_are_fields_not_sent() -> None:
    request = {"handle": "@John_Doe", "channel": "x"}
    assert parse_fields(**request) == parse_request(request)


def _one_customer_store() -> IdentityStore:
    store = IdentityStore()
    store.add_customer("CRM_1", name="Ann Lee", tier="Gold", emails=["ann@example.com"])
    store.link_account("CRM_1", "twitter", "7", "ann_lee", confidence=0.5, at=1.0)
    return store


@pytest.mark.parametrize(
    ("channel", "user_id", "handle"),
    [
        ("x", "7", "@Ann_Lee2"),
        ("instagram", "8", "ann.lee"),
        ("linkedin", "9", "linkedin.com/in/ann-lee"),
    ],
)
def test_email_alias_link_is_link_account_with_method_email(
    channel: str, user_id: str, handle: str
) -> None:
    req = parse_request({"channel": channel, "handle": handle, "user_id": user_id})
    fast, slow = _one_customer_store(), _one_customer_store()
    linking.link_email_alias(fast, "CRM_1", req, 5.0)
    linking.link_account(
        slow, "CRM_1", channel, user_id, handle, method="email", confidence=0.95, at=5.0, audit=True
    )
    assert fast.get_account(req.platform, user_id) == slow.get_account(req.platform, user_id)
    assert fast.accounts_of("CRM_1") == slow.accounts_of("CRM_1")
    assert fast.audit_log() == slow.audit_log()


def test_email_alias_link_refuses_what_link_account_refuses() -> None:
    store = _one_customer_store()
    store.add_not_same("CRM_1", "twitter", "7")
    req = parse_request({"channel": "twitter", "handle": "ann_lee", "user_id": "7"})
    with pytest.raises(ConflictError, match="was decided not to be CRM_1"):
        linking.link_email_alias(store, "CRM_1", req, 5.0)
    with pytest.raises(InvalidInput, match="finite number"):
        linking.link_email_alias(_one_customer_store(), "CRM_1", req, math.nan)
