"""Graph writes shared by every backend: link, relink, change handle, "not the same".

Each function validates first, then writes inside one :meth:`StoreBackend.transaction`,
so a refused or failing operation leaves the store exactly as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.errors import ConflictError, InvalidRequest, NotFound
from simulator.identity._frozen import maker
from simulator.identity.handles import _PLATFORM_NAMES, parse_channel, parse_handle
from simulator.identity.store import (
    LINK_METHODS,
    Account,
    HandleChange,
    StoreBackend,
    make_audit,
)
from simulator.identity.validate import check_confidence, check_id, check_time

if TYPE_CHECKING:
    from simulator.identity.validate import ResolveRequest

#: Confidence of a link made because a verified email matched one customer.
EMAIL_CONFIDENCE = 0.95

_account = maker(Account)
_handle_change = maker(HandleChange)


def link_account(
    store: StoreBackend,
    customer_id: Any,
    platform: Any,
    user_id: Any,
    handle: Any,
    *,
    method: Any = "crm",
    confidence: Any = 1.0,
    at: Any = None,
    audit: bool = False,
) -> Account:
    """Link ``(platform, user_id)`` to a customer, or refresh the handle of that link.

    Args:
        store: the backend to write to.
        customer_id: an existing customer.
        platform: channel name (``x`` is ``twitter``).
        user_id: the platform's immutable id, as a string.
        handle: the account's current handle; must be a plain platform handle.
        method: provenance, one of :data:`~simulator.identity.store.LINK_METHODS`.
        confidence: confidence of the link in [0, 1].
        at: POSIX seconds of the link.
        audit: append an audit entry (decisions are audited, CRM imports are not).

    Returns:
        The stored account.

    Raises:
        InvalidInput: a malformed field; NotFound: unknown customer; ConflictError: the
        account belongs to another customer or a "not the same" decision forbids it.
    """
    cid = check_id("customer_id", customer_id)
    plat = _PLATFORM_NAMES[parse_channel(platform)]
    uid = check_id("user_id", user_id)
    parsed = parse_handle(plat, handle)
    if parsed.suspect:
        raise InvalidRequest(
            "handle", handle, "a handle as the platform shows it (ASCII, no invisible characters)"
        )
    if method not in LINK_METHODS:
        raise InvalidRequest("method", method, f"one of {', '.join(LINK_METHODS)}")
    conf = check_confidence(confidence)
    when = check_time("at", at)
    return _write_link(store, cid, plat, uid, parsed.normalized, method, conf, when, audit)


def _write_link(
    store: StoreBackend,
    cid: str,
    plat: str,
    uid: str,
    handle: str,
    method: str,
    conf: float,
    when: float | None,
    audit: bool,
) -> Account:
    """The store checks and writes of :func:`link_account`, on already validated fields."""
    if store.get_customer(cid) is None:
        raise NotFound(f"customer {cid!r} does not exist")
    if store.is_not_same(cid, plat, uid):
        raise ConflictError(f"{plat}:{uid} was decided not to be {cid}")
    old = store.get_account(plat, uid)
    if old is not None and old.customer_id != cid:
        raise ConflictError(f"{plat}:{uid} is already linked to {old.customer_id}, not {cid}")
    with store.transaction():
        history = () if old is None else _history_after(old, handle, when)
        account = _account(plat, uid, handle, cid, method, conf, when, history)
        store.put_account(account)
        if audit:
            detail = f"method={method} confidence={conf:.2f}"
            store.append_audit(make_audit(when or 0.0, "link", cid, plat, uid, detail))
    return account


def link_email_alias(
    store: StoreBackend, customer_id: str, req: ResolveRequest, now: float
) -> None:
    """Link the sender's account to the customer its verified email matched (audited).

    Exactly :func:`link_account` with ``method="email"``, without validating again what
    :func:`~simulator.identity.validate.parse_request` has validated: ``req.platform`` is
    a platform name, ``req.user_id`` a checked id, and a non-suspect handle's normalized
    form parses back to itself, not suspect (callers never pass a suspect handle).
    """
    assert req.user_id is not None and not req.handle.suspect
    _write_link(
        store,
        check_id("customer_id", customer_id),
        req.platform,
        req.user_id,
        req.handle.normalized,
        "email",
        EMAIL_CONFIDENCE,
        check_time("at", now),
        True,
    )


def _history_after(account: Account, handle: str, at: float | None) -> tuple[HandleChange, ...]:
    """The account's handle history once it uses ``handle`` (from ``at`` on)."""
    if handle == account.handle:
        return account.history
    return (*account.history, _handle_change(account.handle, at))


def change_handle(store: StoreBackend, account: Account, handle: str, at: float) -> Account:
    """Record that a known account now uses ``handle``; the old one goes to its history."""
    if handle == account.handle:
        return account
    updated = _account(
        account.platform,
        account.user_id,
        handle,
        account.customer_id,
        account.method,
        account.confidence,
        account.linked_at,
        (*account.history, _handle_change(account.handle, at)),
    )
    with store.transaction():
        store.put_account(updated)
        store.append_audit(
            make_audit(
                at,
                "handle_changed",
                account.customer_id,
                account.platform,
                account.user_id,
                f"{account.handle} -> {handle}",
            )
        )
    return updated


def mark_not_same(
    store: StoreBackend, customer_id: Any, platform: Any, user_id: Any, at: float
) -> None:
    """Store "this account is not that customer"; unlink it if it was linked to them."""
    cid = check_id("customer_id", customer_id)
    plat = _PLATFORM_NAMES[parse_channel(platform)]
    uid = check_id("user_id", user_id)
    if store.get_customer(cid) is None:
        raise NotFound(f"customer {cid!r} does not exist")
    with store.transaction():
        account = store.get_account(plat, uid)
        if account is not None and account.customer_id == cid:
            store.delete_account(plat, uid)
        store.add_not_same(cid, plat, uid)
        store.append_audit(make_audit(at, "not_same", cid, plat, uid, "reviewer decision"))
