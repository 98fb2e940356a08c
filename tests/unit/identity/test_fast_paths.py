"""The hot-path shortcuts give exactly what the general code gives.

``check_text`` and ``normalize_handle`` skip work for printable text; ``maker`` builds
frozen values through their slots; ``parse_request`` passes a parsed request through.
Each is compared here with the slow, obviously right way.
"""

from __future__ import annotations

import unicodedata
from dataclasses import astuple, dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import InvalidInput
from simulator.identity import AuditEntry, Lead, LeadOutcome, ResolveAnswer, handles
from simulator.identity._frozen import maker
from simulator.identity.handles import MAX_RAW_HANDLE, check_text, normalize_handle
from simulator.identity.validate import ResolveRequest, parse_request

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


def test_maker_wants_every_field_and_a_slotted_dataclass() -> None:
    with pytest.raises(TypeError):
        maker(AuditEntry)(1.0, "link")  # the defaults are not filled in

    @dataclass(frozen=True)
    class NoSlots:
        x: int

    with pytest.raises(TypeError):
        maker(NoSlots)


def test_a_parsed_request_passes_through() -> None:
    parsed = parse_request({"handle": "@John_Doe", "channel": "x", "user_id": " 42 "})
    assert isinstance(parsed, ResolveRequest)
    assert parse_request(parsed) is parsed
    assert (parsed.platform, parsed.handle.normalized, parsed.user_id) == (
        "twitter",
        "john_doe",
        "42",
    )
