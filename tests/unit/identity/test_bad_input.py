"""Bad input gets a clear error naming field, value and what is allowed; nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.errors import InvalidChannel, InvalidHandle, InvalidInput, InvalidRequest
from simulator.identity import IdentityStore, Resolver

GOOD = {"handle": "john_doe", "channel": "twitter", "user_id": "123456789"}


@pytest.mark.parametrize(
    ("patch", "error", "field"),
    [
        ({"handle": ""}, InvalidHandle, "handle"),
        ({"handle": "a" * 10_000}, InvalidHandle, "handle"),
        ({"handle": "john\x00doe"}, InvalidHandle, "handle"),
        ({"handle": "john\x1bdoe"}, InvalidHandle, "handle"),
        ({"handle": "\udc00john"}, InvalidHandle, "handle"),
        ({"handle": 12}, InvalidHandle, "handle"),
        ({"handle": None}, InvalidHandle, "handle"),
        ({"handle": ["john_doe"]}, InvalidHandle, "handle"),
        ({"channel": "myspace"}, InvalidChannel, "channel"),
        ({"channel": None}, InvalidChannel, "channel"),
        ({"user_id": 123456789}, InvalidRequest, "user_id"),
        ({"user_id": ""}, InvalidRequest, "user_id"),
        ({"user_id": "1" * 10_000}, InvalidRequest, "user_id"),
        ({"user_id": "12\n3"}, InvalidRequest, "user_id"),
        ({"email": "not an email"}, InvalidRequest, "email"),
        ({"email": 5}, InvalidRequest, "email"),
        ({"display_name": "\ud800"}, InvalidRequest, "display_name"),
        ({"surprise": 1}, InvalidRequest, "request"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(
    resolver: Resolver,
    store: IdentityStore,
    snapshot: Any,
    patch: dict[str, Any],
    error: type[InvalidInput],
    field: str,
) -> None:
    before = snapshot(store)
    request = {**GOOD, **patch}
    with pytest.raises(error) as raised:
        resolver.resolve(request)
    assert raised.value.field == field
    assert raised.value.allowed and field in str(raised.value)
    with pytest.raises(error):
        resolver.capture_lead(request, resolver.resolve({"handle": "zz", "channel": "x"}))
    assert snapshot(store) == before


@pytest.mark.parametrize("request_", [None, "john_doe", ["john_doe"], 3])
def test_request_must_be_a_mapping(resolver: Resolver, request_: Any) -> None:
    with pytest.raises(InvalidRequest, match="request"):
        resolver.resolve(request_)


def test_missing_channel_is_named(resolver: Resolver) -> None:
    with pytest.raises(InvalidRequest, match="channel"):
        resolver.resolve({"handle": "john_doe"})


def test_error_messages_are_short_for_huge_values(resolver: Resolver) -> None:
    with pytest.raises(InvalidHandle) as raised:
        resolver.resolve({**GOOD, "handle": "a" * 10_000})
    assert len(str(raised.value)) < 200
    assert raised.value.to_dict()["field"] == "handle"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("CRM_1", "facebook", "1", "john"), InvalidChannel),
        (("CRM_1", "twitter", "1", "john doe"), InvalidHandle),
        (("CRM_1", "twitter", None, "john"), InvalidRequest),
        (("", "twitter", "1", "john"), InvalidRequest),
    ],
)
def test_bad_links_change_nothing(
    resolver: Resolver, store: IdentityStore, snapshot: Any, args: tuple[Any, ...], error: type
) -> None:
    before = snapshot(store)
    with pytest.raises(error):
        resolver.link_confirmed(*args)
    with pytest.raises(error):
        store.link_account(*args)
    assert snapshot(store) == before


def test_bad_method_or_confidence(store: IdentityStore, snapshot: Any) -> None:
    before = snapshot(store)
    with pytest.raises(InvalidRequest, match="method"):
        store.link_account("CRM_3", "x", "5", "ana5", method="guess")
    with pytest.raises(InvalidRequest, match="confidence"):
        store.link_account("CRM_3", "x", "5", "ana5", confidence=1.5)
    assert snapshot(store) == before
