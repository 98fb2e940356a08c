"""A SQLite :class:`~simulator.identity.store.StoreBackend` for the HTTP IRP.

One file, WAL journal. Every primitive is one statement or runs inside
:meth:`SQLiteStore.transaction`, and the service wraps each request that writes in one
transaction, so a crash (even ``SIGKILL``) mid-request leaves either all of a merge, link,
handle change or lead, or none of it. The audit log is append-only: triggers refuse any
``UPDATE`` or ``DELETE`` of it, including during a fixture reset.

Durability: ``synchronous=NORMAL`` (the default here) survives a killed process with every
committed transaction; pass ``synchronous="FULL"`` to survive power loss as well.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any

from simulator.errors import StoreError
from simulator.identity.keys import handle_keys
from simulator.identity.store import Account, AuditEntry, Customer, HandleChange, Lead, StoreBackend
from simulator.service.sqlite_schema import SCHEMA, Checkpointer

__all__ = ["SQLiteStore"]

_ACCOUNT_COLUMNS = "platform, user_id, handle, customer_id, method, confidence, linked_at, history"
_LEAD_COLUMNS = (
    "lead_id, platform, handle, user_id, email, created_at, messages, needs_review, candidates"
)


def _account(row: tuple[Any, ...]) -> Account:
    history = tuple(HandleChange(handle, until) for handle, until in json.loads(row[7]))
    return Account(row[0], row[1], row[2], row[3], row[4], row[5], row[6], history)


def _lead(row: tuple[Any, ...]) -> Lead:
    return Lead(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        bool(row[7]),
        tuple(json.loads(row[8])),
    )


class SQLiteStore(StoreBackend):
    """The identity graph in one SQLite file.

    Args:
        path: database file (created with its schema when missing); ``":memory:"`` works.
        synchronous: SQLite ``synchronous`` pragma, ``NORMAL`` or ``FULL``.
        checkpoint_interval_s: when set, checkpoint the WAL from a background thread at
            this interval instead of during commits (the service uses 1 s).

    The store is safe to share between threads: one connection, guarded by a re-entrant
    lock that a transaction holds from ``BEGIN`` to ``COMMIT``.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        synchronous: str = "NORMAL",
        checkpoint_interval_s: float | None = None,
    ) -> None:
        if synchronous.upper() not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous: {synchronous!r}; expected NORMAL or FULL")
        self.path = str(path)
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, cached_statements=256
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(f"PRAGMA synchronous={synchronous.upper()}")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.executescript(SCHEMA)
        self._checkpointer: Checkpointer | None = None
        if checkpoint_interval_s is not None and self.path != ":memory:":
            self._conn.execute("PRAGMA wal_autocheckpoint=0")
            self._checkpointer = Checkpointer(self.path, checkpoint_interval_s)

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL back into the file)."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing block; nested use joins the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._conn.execute("ROLLBACK")
                raise
            self._depth = 0
            self._conn.execute("COMMIT")

    def clear(self) -> None:
        """Remove every customer, account, lead and decision; the audit log stays."""
        with self.transaction():
            for table in ("not_same", "leads", "accounts", "customer_emails", "customers"):
                self._conn.execute(f"DELETE FROM {table}")

    def _one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
            return row

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _count(self, table: str) -> int:
        row = self._one(f"SELECT COUNT(*) FROM {table}", ())
        return int(row[0]) if row else 0

    # -- customers ---------------------------------------------------------------------

    def get_customer(self, customer_id: str) -> Customer | None:
        """The customer with this id, or ``None``."""
        row = self._one(
            "SELECT customer_id, name, tier, emails, preferences, last_interaction,"
            " profile_updated_at FROM customers WHERE customer_id = ?",
            (customer_id,),
        )
        if row is None:
            return None
        preferences = MappingProxyType(json.loads(row[4]))
        return Customer(
            row[0], row[1], row[2], tuple(json.loads(row[3])), preferences, row[5], row[6]
        )

    def put_customer(self, customer: Customer) -> None:
        """Insert or replace a customer and its email index rows."""
        emails = list(dict.fromkeys(customer.emails))
        with self.transaction():
            self._conn.execute(
                "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (customer_id)"
                " DO UPDATE SET name = excluded.name, tier = excluded.tier,"
                " emails = excluded.emails, preferences = excluded.preferences,"
                " last_interaction = excluded.last_interaction,"
                " profile_updated_at = excluded.profile_updated_at",
                (
                    customer.customer_id,
                    customer.name,
                    customer.tier,
                    json.dumps(emails),
                    json.dumps(dict(customer.preferences)),
                    customer.last_interaction,
                    customer.profile_updated_at,
                ),
            )
            held = {
                row[0]
                for row in self._all(
                    "SELECT email FROM customer_emails WHERE customer_id = ?",
                    (customer.customer_id,),
                )
            }
            for email in held - set(emails):
                self._conn.execute(
                    "DELETE FROM customer_emails WHERE email = ? AND customer_id = ?",
                    (email, customer.customer_id),
                )
            self._conn.executemany(
                "INSERT OR IGNORE INTO customer_emails VALUES (?, ?)",
                [(email, customer.customer_id) for email in emails],
            )

    def customer_ids_by_email(self, email: str) -> tuple[str, ...]:
        """Ids of the customers holding this email, in insertion order."""
        rows = self._all(
            "SELECT customer_id FROM customer_emails WHERE email = ? ORDER BY rowid", (email,)
        )
        return tuple(row[0] for row in rows)

    def customer_count(self) -> int:
        """How many customers the store holds."""
        return self._count("customers")

    # -- accounts ----------------------------------------------------------------------

    def get_account(self, platform: str, user_id: str) -> Account | None:
        """The account ``(platform, user_id)``, or ``None``."""
        row = self._one(
            f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE platform = ? AND user_id = ?",
            (platform, user_id),
        )
        return _account(row) if row else None

    def put_account(self, account: Account) -> None:
        """Insert or replace an account; its index keys are derived here."""
        skeleton, loose = handle_keys(account.handle)
        history = json.dumps([[change.handle, change.until] for change in account.history])
        with self._lock:
            owner = self._one(
                "SELECT customer_id FROM accounts WHERE platform = ? AND user_id = ?",
                (account.platform, account.user_id),
            )
            if owner is not None and owner[0] != account.customer_id:
                raise StoreError(
                    f"account {account.platform}:{account.user_id} belongs to {owner[0]}"
                )
            self._conn.execute(
                f"INSERT INTO accounts ({_ACCOUNT_COLUMNS}, skeleton, loose)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, user_id)"
                " DO UPDATE SET handle = excluded.handle, customer_id = excluded.customer_id,"
                " method = excluded.method, confidence = excluded.confidence,"
                " linked_at = excluded.linked_at, history = excluded.history,"
                " skeleton = excluded.skeleton, loose = excluded.loose",
                (
                    account.platform,
                    account.user_id,
                    account.handle,
                    account.customer_id,
                    account.method,
                    account.confidence,
                    account.linked_at,
                    history,
                    skeleton,
                    loose,
                ),
            )

    def delete_account(self, platform: str, user_id: str) -> None:
        """Unlink the account; no-op if absent."""
        with self._lock:
            self._conn.execute(
                "DELETE FROM accounts WHERE platform = ? AND user_id = ?", (platform, user_id)
            )

    def _accounts(self, where: str, params: tuple[Any, ...]) -> tuple[Account, ...]:
        rows = self._all(
            f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE {where} ORDER BY rowid", params
        )
        return tuple(_account(row) for row in rows)

    def accounts_of(self, customer_id: str) -> tuple[Account, ...]:
        """Every account linked to the customer, in link order."""
        return self._accounts("customer_id = ?", (customer_id,))

    def accounts_by_handle(self, platform: str, handle: str) -> tuple[Account, ...]:
        """Accounts on ``platform`` whose normalized handle is ``handle``."""
        return self._accounts("platform = ? AND handle = ?", (platform, handle))

    def accounts_by_skeleton(self, platform: str, skeleton: str) -> tuple[Account, ...]:
        """Accounts on ``platform`` whose handle has this skeleton."""
        return self._accounts("platform = ? AND skeleton = ?", (platform, skeleton))

    def accounts_by_loose_key(self, platform: str, loose: str) -> tuple[Account, ...]:
        """Accounts on ``platform`` whose handle has this loose ASCII key."""
        return self._accounts("platform = ? AND loose = ?", (platform, loose))

    def account_count(self) -> int:
        """How many accounts are linked."""
        return self._count("accounts")

    # -- leads -------------------------------------------------------------------------

    def get_lead(self, lead_id: str) -> Lead | None:
        """The lead with this id, or ``None``."""
        row = self._one(f"SELECT {_LEAD_COLUMNS} FROM leads WHERE lead_id = ?", (lead_id,))
        return _lead(row) if row else None

    def put_lead(self, lead: Lead) -> None:
        """Insert or replace a lead."""
        with self._lock:
            self._conn.execute(
                f"INSERT INTO leads ({_LEAD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (lead_id) DO UPDATE SET platform = excluded.platform,"
                " handle = excluded.handle, user_id = excluded.user_id, email = excluded.email,"
                " created_at = excluded.created_at, messages = excluded.messages,"
                " needs_review = excluded.needs_review, candidates = excluded.candidates",
                (
                    lead.lead_id,
                    lead.platform,
                    lead.handle,
                    lead.user_id,
                    lead.email,
                    lead.created_at,
                    lead.messages,
                    int(lead.needs_review),
                    json.dumps(list(lead.candidates)),
                ),
            )

    def _lead_where(self, where: str, params: tuple[Any, ...]) -> Lead | None:
        row = self._one(
            f"SELECT {_LEAD_COLUMNS} FROM leads WHERE {where} ORDER BY rowid LIMIT 1", params
        )
        return _lead(row) if row else None

    def lead_by_user(self, platform: str, user_id: str) -> Lead | None:
        """The lead created for this platform user id, or ``None``."""
        return self._lead_where("platform = ? AND user_id = ?", (platform, user_id))

    def lead_by_email(self, email: str) -> Lead | None:
        """The lead holding this email, or ``None``."""
        return self._lead_where("email = ?", (email,))

    def lead_by_handle(self, platform: str, handle: str) -> Lead | None:
        """The lead for this normalized handle on ``platform``, or ``None``."""
        return self._lead_where("platform = ? AND handle = ?", (platform, handle))

    def lead_count(self) -> int:
        """How many leads exist."""
        return self._count("leads")

    def lead_ids(self) -> tuple[str, ...]:
        """Every lead id, in creation order (for checks and benchmarks)."""
        return tuple(row[0] for row in self._all("SELECT lead_id FROM leads ORDER BY rowid"))

    # -- decisions and audit -----------------------------------------------------------

    def add_not_same(self, customer_id: str, platform: str, user_id: str) -> None:
        """Store "account (platform, user_id) is not this customer"."""
        with self._lock:
            self._conn.execute(
                "INSERT OR IGNORE INTO not_same VALUES (?, ?, ?)", (customer_id, platform, user_id)
            )

    def is_not_same(self, customer_id: str, platform: str, user_id: str) -> bool:
        """Whether that decision is stored."""
        return (
            self._one(
                "SELECT 1 FROM not_same WHERE customer_id = ? AND platform = ? AND user_id = ?",
                (customer_id, platform, user_id),
            )
            is not None
        )

    def append_audit(self, entry: AuditEntry) -> None:
        """Append one decision to the audit log."""
        with self._lock:
            self._conn.execute(
                "INSERT INTO audit (at, action, customer_id, platform, user_id, detail)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    entry.at,
                    entry.action,
                    entry.customer_id,
                    entry.platform,
                    entry.user_id,
                    entry.detail,
                ),
            )

    def audit_log(self) -> tuple[AuditEntry, ...]:
        """The whole audit log, oldest first."""
        rows = self._all(
            "SELECT at, action, customer_id, platform, user_id, detail FROM audit ORDER BY seq"
        )
        return tuple(AuditEntry(*row) for row in rows)

    def integrity_problems(self) -> list[str]:
        """Consistency checks used after a crash; an empty list means consistent."""
        problems = [row[0] for row in self._all("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in self._all("PRAGMA foreign_key_check")]
        orphans = self._all(
            "SELECT platform, user_id FROM accounts a WHERE NOT EXISTS"
            " (SELECT 1 FROM customers c WHERE c.customer_id = a.customer_id)"
        )
        problems += [f"account without customer: {row}" for row in orphans]
        return problems
