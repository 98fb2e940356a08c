"""The in-memory :class:`StoreBackend`: compact, fast to query and fast to clone.

Built for a million linked accounts in well under 1.5 KB each:

* values are frozen slotted dataclasses, shared rather than copied;
* indexes are flat dicts per platform whose values are a user id string, or a tuple of
  them when several accounts share a key (no per-account dicts or sets);
* key strings are shared with the handle when equal (see
  :func:`~simulator.identity.keys.handle_keys`), so most index entries cost a slot only;
* :meth:`InMemoryStore.clone` copies dicts of immutable values, so it is a few shallow
  copies (a 10,000-customer CRM clones in about a millisecond);
* :meth:`InMemoryStore.transaction` keeps an undo log of the dict writes, so rollback
  costs as much as the block wrote, not as much as the store holds.
"""

from __future__ import annotations

from typing import Any

from simulator.errors import StoreError
from simulator.identity.handles import Platform
from simulator.identity.keys import handle_keys
from simulator.identity.store import Account, AuditEntry, Customer, Lead, StoreBackend

_MISSING: Any = object()
_Index = dict[str, "str | tuple[str, ...]"]
_PLATFORMS: tuple[str, ...] = tuple(p.value for p in Platform)
_PER_PLATFORM = frozenset(
    {"_accounts", "_handles", "_skeletons", "_loose", "_lead_users", "_lead_handles"}
)


def _ids(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


class InMemoryStore(StoreBackend):
    """Identity graph held in plain dicts; the implementation behind ``IdentityStore``."""

    def __init__(self) -> None:
        self._customers: dict[str, Customer] = {}
        self._emails: _Index = {}
        self._accounts: dict[str, dict[str, Account]] = {p: {} for p in _PLATFORMS}
        self._handles: dict[str, _Index] = {p: {} for p in _PLATFORMS}
        self._skeletons: dict[str, _Index] = {p: {} for p in _PLATFORMS}
        self._loose: dict[str, _Index] = {p: {} for p in _PLATFORMS}
        self._by_customer: dict[str, tuple[Account, ...]] = {}
        self._leads: dict[str, Lead] = {}
        self._lead_users: dict[str, dict[str, str]] = {p: {} for p in _PLATFORMS}
        self._lead_handles: dict[str, dict[str, str]] = {p: {} for p in _PLATFORMS}
        self._lead_emails: dict[str, str] = {}
        self._not_same: dict[tuple[str, str, str], bool] = {}
        self._audit: list[AuditEntry] = []
        self._undo: list[tuple[dict[Any, Any], Any, Any]] | None = None

    # -- write primitives with undo ----------------------------------------------------

    def _put(self, table: dict[Any, Any], key: Any, value: Any) -> None:
        undo = self._undo
        if undo is not None:
            undo.append((table, key, table.get(key, _MISSING)))
        table[key] = value

    def _del(self, table: dict[Any, Any], key: Any) -> None:
        if key not in table:
            return
        if self._undo is not None:
            self._undo.append((table, key, table[key]))
        del table[key]

    # The two index writers below log their own undo entry (not through _put): they run
    # six times per handle change, and one call less each is a tenth of its cost.

    def _index_add(self, table: _Index, key: str, user_id: str) -> None:
        current = table.get(key, _MISSING)
        if current is _MISSING:
            value: str | tuple[str, ...] = user_id
        elif isinstance(current, str):
            if current == user_id:
                return
            value = (current, user_id)
        elif user_id in current:
            return
        else:
            value = (*current, user_id)
        undo = self._undo
        if undo is not None:
            undo.append((table, key, current))
        table[key] = value

    def _index_remove(self, table: _Index, key: str, user_id: str) -> None:
        current = table.get(key, _MISSING)
        if current is _MISSING or (isinstance(current, str) and current != user_id):
            return  # the key does not name this account: nothing to write
        undo = self._undo
        if undo is not None:
            undo.append((table, key, current))
        if current == user_id:  # the common case: the key named this account only
            del table[key]
            return
        rest = tuple([uid for uid in current if uid != user_id])
        if not rest:
            del table[key]
        else:
            table[key] = rest[0] if len(rest) == 1 else rest

    def transaction(self) -> _Transaction:
        """All-or-nothing block; nested blocks join the outer one."""
        return _Transaction(self)

    def _rollback(self, audit_length: int) -> None:
        assert self._undo is not None
        for table, key, old in reversed(self._undo):
            if old is _MISSING:
                table.pop(key, None)
            else:
                table[key] = old
        del self._audit[audit_length:]

    def clone(self) -> InMemoryStore:
        """An independent copy (shallow copies of dicts of immutable values)."""
        if self._undo is not None:
            raise StoreError("cannot clone a store inside a transaction")
        twin = InMemoryStore.__new__(InMemoryStore)
        for name, value in vars(self).items():
            if name in _PER_PLATFORM:
                setattr(twin, name, {k: v.copy() for k, v in value.items()})
            elif isinstance(value, dict | list):
                setattr(twin, name, value.copy())
            else:
                setattr(twin, name, value)
        return twin

    # -- customers ---------------------------------------------------------------------

    def get_customer(self, customer_id: str) -> Customer | None:
        return self._customers.get(customer_id)

    def put_customer(self, customer: Customer) -> None:
        old = self._customers.get(customer.customer_id)
        cid = customer.customer_id
        if old is not None:
            for email in old.emails:
                if email not in customer.emails:
                    self._index_remove(self._emails, email, cid)
        for email in customer.emails:
            self._index_add(self._emails, email, cid)
        self._put(self._customers, cid, customer)

    def customer_ids_by_email(self, email: str) -> tuple[str, ...]:
        return _ids(self._emails.get(email))

    def customer_count(self) -> int:
        return len(self._customers)

    # -- accounts ----------------------------------------------------------------------

    def get_account(self, platform: str, user_id: str) -> Account | None:
        return self._accounts[platform].get(user_id)

    def _unindex(self, platform: str, user_id: str, handle: str) -> None:
        sk, loose = handle_keys(handle)
        self._index_remove(self._handles[platform], handle, user_id)
        self._index_remove(self._skeletons[platform], sk, user_id)
        self._index_remove(self._loose[platform], loose, user_id)

    def _index(self, platform: str, user_id: str, handle: str) -> None:
        sk, loose = handle_keys(handle)
        self._index_add(self._handles[platform], handle, user_id)
        self._index_add(self._skeletons[platform], sk, user_id)
        self._index_add(self._loose[platform], loose, user_id)

    def put_account(self, account: Account) -> None:
        platform, user_id, handle = account.platform, account.user_id, account.handle
        cid = account.customer_id
        table = self._accounts[platform]
        old = table.get(user_id)
        linked = self._by_customer.get(cid, ())
        if old is None:
            self._index(platform, user_id, handle)
            linked = (*linked, account)
        else:
            if old.customer_id != cid:
                raise StoreError(f"account {platform}:{user_id} belongs to {old.customer_id}")
            if old.handle != handle:
                self._unindex(platform, user_id, old.handle)
                self._index(platform, user_id, handle)
            linked = tuple([account if a is old else a for a in linked])
        self._put(table, user_id, account)
        self._put(self._by_customer, cid, linked)

    def delete_account(self, platform: str, user_id: str) -> None:
        old = self._accounts[platform].get(user_id)
        if old is None:
            return
        self._unindex(platform, user_id, old.handle)
        self._del(self._accounts[platform], user_id)
        rest = tuple(a for a in self._by_customer.get(old.customer_id, ()) if a is not old)
        self._put(self._by_customer, old.customer_id, rest)

    def accounts_of(self, customer_id: str) -> tuple[Account, ...]:
        return self._by_customer.get(customer_id, ())

    def _lookup(self, platform: str, found: str | tuple[str, ...]) -> tuple[Account, ...]:
        """The accounts an index entry names (most name one)."""
        table = self._accounts[platform]
        if isinstance(found, str):
            return (table[found],)
        return tuple(table[uid] for uid in found)

    # The three lookups below answer a miss (the common case) without calling _lookup.

    def accounts_by_handle(self, platform: str, handle: str) -> tuple[Account, ...]:
        found = self._handles[platform].get(handle)
        return () if found is None else self._lookup(platform, found)

    def accounts_by_skeleton(self, platform: str, skeleton: str) -> tuple[Account, ...]:
        found = self._skeletons[platform].get(skeleton)
        return () if found is None else self._lookup(platform, found)

    def accounts_by_loose_key(self, platform: str, loose: str) -> tuple[Account, ...]:
        found = self._loose[platform].get(loose)
        return () if found is None else self._lookup(platform, found)

    def account_count(self) -> int:
        return sum(len(table) for table in self._accounts.values())

    # -- leads -------------------------------------------------------------------------

    def get_lead(self, lead_id: str) -> Lead | None:
        return self._leads.get(lead_id)

    def put_lead(self, lead: Lead) -> None:
        lead_id, platform = lead.lead_id, lead.platform
        writes: list[tuple[dict[str, Any], str, Any]] = [(self._leads, lead_id, lead)]
        writes.append((self._lead_handles[platform], lead.handle, lead_id))
        if lead.user_id is not None:
            writes.append((self._lead_users[platform], lead.user_id, lead_id))
        if lead.email is not None:
            writes.append((self._lead_emails, lead.email, lead_id))
        undo = self._undo
        for table, key, value in writes:  # _put in line: one call instead of four
            if undo is not None:
                undo.append((table, key, table.get(key, _MISSING)))
            table[key] = value

    # The three lookups below read the two dicts themselves (no helper call).

    def lead_by_user(self, platform: str, user_id: str) -> Lead | None:
        lead_id = self._lead_users[platform].get(user_id)
        return None if lead_id is None else self._leads.get(lead_id)

    def lead_by_email(self, email: str) -> Lead | None:
        lead_id = self._lead_emails.get(email)
        return None if lead_id is None else self._leads.get(lead_id)

    def lead_by_handle(self, platform: str, handle: str) -> Lead | None:
        lead_id = self._lead_handles[platform].get(handle)
        return None if lead_id is None else self._leads.get(lead_id)

    def lead_count(self) -> int:
        return len(self._leads)

    # -- decisions and audit -----------------------------------------------------------

    def add_not_same(self, customer_id: str, platform: str, user_id: str) -> None:
        self._put(self._not_same, (customer_id, platform, user_id), True)

    def is_not_same(self, customer_id: str, platform: str, user_id: str) -> bool:
        return (customer_id, platform, user_id) in self._not_same

    def append_audit(self, entry: AuditEntry) -> None:
        self._audit.append(entry)

    def audit_log(self) -> tuple[AuditEntry, ...]:
        return tuple(self._audit)


class _Transaction:
    """The context manager of :meth:`InMemoryStore.transaction` (a class: on the hot path
    it costs a third of a generator-based ``contextmanager``)."""

    __slots__ = ("_audit_length", "_outer", "_store")

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._outer = False
        self._audit_length = 0

    def __enter__(self) -> None:
        store = self._store
        if store._undo is None:  # nested blocks join the outer one
            self._outer = True
            store._undo = []
            self._audit_length = len(store._audit)

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if not self._outer:
            return
        store = self._store
        try:
            if exc_type is not None:
                store._rollback(self._audit_length)
        finally:
            store._undo = None


#: The in-memory implementation is the default identity store.
IdentityStore = InMemoryStore
