"""Helpers shared by the step modules: table parsing, notation, and reading answers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.bdd.irp import AccountFixture, CustomerFixture, IRPDriver, Reply, Unsupported

_CODE_POINT = re.compile(r"\[U\+([0-9A-Fa-f]{4,6})\]")
PLATFORMS = ("twitter", "instagram", "linkedin")
_PLATFORM_ALIASES = {"x": "twitter"}


def decode(text: str) -> str:
    """Replace ``[U+200B]`` style notation with the character it names."""
    return _CODE_POINT.sub(lambda m: chr(int(m.group(1), 16)), text)


def platform_of(channel: str) -> str:
    """The stored platform name of a channel (``x`` is ``twitter``)."""
    return _PLATFORM_ALIASES.get(channel, channel)


def customers_from_table(
    datatable: Sequence[Sequence[object]], *, now: float
) -> list[CustomerFixture]:
    """Build fixture customers from a ``Given these customers:`` table.

    One row per account; rows repeating a customer id add accounts to it. Optional columns:
    ``language``, ``preferred channel`` and ``profile updated`` (minutes ago).
    """
    header = [str(cell).strip().lower() for cell in datatable[0]]
    merged: dict[str, dict[str, Any]] = {}
    for raw in datatable[1:]:
        row = dict(zip(header, (str(cell).strip() for cell in raw), strict=True))
        entry = merged.setdefault(
            row["customer"],
            {"name": row["name"], "tier": row["tier"], "emails": [], "accounts": [], "prefs": {}},
        )
        if row.get("email") and row["email"] not in entry["emails"]:
            entry["emails"].append(row["email"])
        if row.get("platform"):
            account = AccountFixture(row["platform"], row["user id"], decode(row["handle"]))
            entry["accounts"].append(account)
        if row.get("language"):
            entry["prefs"]["language"] = row["language"]
        if row.get("preferred channel"):
            entry["prefs"]["preferred_channel"] = row["preferred channel"]
        if row.get("profile updated"):
            entry["updated"] = now - 60 * float(row["profile updated"])
    return [
        CustomerFixture(
            customer_id=cid,
            name=e["name"],
            tier=e["tier"],
            emails=tuple(e["emails"]),
            preferences=e["prefs"],
            profile_updated_at=e.get("updated"),
            accounts=tuple(e["accounts"]),
        )
        for cid, e in merged.items()
    ]


_USER_ID = re.compile(r'with user id "([^"]*)"')
_EMAIL = re.compile(r'email "([^"]*)"')


def message_request(channel: str, handle: str, rest: str) -> dict[str, Any]:
    """A resolve request from a step's wording (``with user id "1" and email "a@b"``)."""
    request: dict[str, Any] = {"handle": decode(handle), "channel": channel}
    if (match := _USER_ID.search(rest)) is not None:
        request["user_id"] = decode(match.group(1))
    if (match := _EMAIL.search(rest)) is not None:
        request["email"] = decode(match.group(1))
    return request


@dataclass
class ScenarioContext:
    """What one scenario remembers between steps.

    Attributes:
        customers: the fixture customers by id.
        reply: the latest resolve (or refused) reply.
        replies: a batch of replies (repeated messages, request floods).
        leads: lead-capture replies, in order.
        fingerprint: the store as it was right after the customers were loaded.
        extra: step-module specific state.
    """

    customers: dict[str, CustomerFixture] = field(default_factory=dict)
    reply: Reply | None = None
    replies: list[Reply] = field(default_factory=list)
    leads: list[Reply] = field(default_factory=list)
    fingerprint: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def answer(self) -> dict[str, Any]:
        """The latest reply's body, asserting that the IRP did answer."""
        assert self.reply is not None, "no message has been sent in this scenario"
        assert self.reply.ok, f"the IRP refused the request: {self.reply.status} {self.reply.body}"
        body: dict[str, Any] = self.reply.body
        return body


def graph_accounts(graph: Any) -> set[tuple[str, str]]:
    """Every ``(platform, user_id)`` pair a social graph mentions, whatever its layout.

    Accepts a list of accounts, a mapping of platform to account(s), or the seed's flat
    ``{"twitter_id": ...}`` form.
    """
    found: set[tuple[str, str]] = set()

    def visit(node: Any, platform: str | None) -> None:
        if isinstance(node, dict):
            here = platform_of(str(node.get("platform", platform or "")))
            if "user_id" in node and here:
                found.add((here, str(node["user_id"])))
            for key, value in node.items():
                key_platform = _platform_key(str(key))
                if key_platform and isinstance(value, str | int):
                    found.add((key_platform, str(value)))
                elif (
                    key_platform
                    and isinstance(value, list)
                    and all(isinstance(v, str) for v in value)
                ):
                    found.update((key_platform, v) for v in value)
                else:
                    visit(value, key_platform or here or None)
        elif isinstance(node, list):
            for item in node:
                visit(item, platform)

    visit(graph, None)
    return found


def _platform_key(key: str) -> str | None:
    base = key.lower().removesuffix("_ids").removesuffix("_id").removesuffix("_user_id")
    base = platform_of(base)
    return base if base in PLATFORMS else None


def account_rows(datatable: Sequence[Sequence[object]]) -> set[tuple[str, str]]:
    """``platform | user id`` table rows as pairs."""
    header = [str(c).strip().lower() for c in datatable[0]]
    rows = (dict(zip(header, (str(c).strip() for c in r), strict=True)) for r in datatable[1:])
    return {(platform_of(r["platform"]), r["user id"]) for r in rows}


def accounts_of(body: Any) -> list[dict[str, Any]]:
    """The accounts listed in a customer record."""
    accounts = body.get("accounts", []) if isinstance(body, dict) else []
    return [a for a in accounts if isinstance(a, dict)]


def history_handles(account: dict[str, Any]) -> list[str]:
    """Earlier handles of an account (entries may be strings or ``{"handle": ...}``)."""
    return [h["handle"] if isinstance(h, dict) else str(h) for h in account.get("history", [])]


def customer_record(irp: IRPDriver, customer: str) -> dict[str, Any]:
    """The customer as the IRP stores it (asserting that it exists)."""
    reply = irp.customer(customer)
    assert reply.ok, f"customer {customer} not readable: {reply.status} {reply.body}"
    body: dict[str, Any] = reply.body
    return body


def first(items: Iterable[Any]) -> Any:
    """The first item, or ``None``."""
    return next(iter(items), None)


def supported(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a driver call; skip the scenario when the target cannot do it."""
    try:
        return call(*args, **kwargs)
    except Unsupported as exc:
        pytest.skip(str(exc))


def send(irp: IRPDriver, ctx: ScenarioContext, request: dict[str, Any]) -> None:
    """Send one resolve request and remember the reply."""
    ctx.reply = irp.resolve(request)
    ctx.replies.append(ctx.reply)
