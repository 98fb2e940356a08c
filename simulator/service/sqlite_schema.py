"""Schema of the SQLite identity store, and its background WAL checkpointer."""

from __future__ import annotations

import sqlite3
import threading

__all__ = ["SCHEMA", "Checkpointer"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    customer_id TEXT PRIMARY KEY, name TEXT NOT NULL, tier TEXT NOT NULL,
    emails TEXT NOT NULL, preferences TEXT NOT NULL,
    last_interaction REAL, profile_updated_at REAL);
CREATE TABLE IF NOT EXISTS customer_emails (
    email TEXT NOT NULL, customer_id TEXT NOT NULL REFERENCES customers(customer_id),
    PRIMARY KEY (email, customer_id));
CREATE INDEX IF NOT EXISTS customer_emails_customer ON customer_emails (customer_id);
CREATE TABLE IF NOT EXISTS accounts (
    platform TEXT NOT NULL, user_id TEXT NOT NULL, handle TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(customer_id),
    method TEXT NOT NULL, confidence REAL NOT NULL, linked_at REAL, history TEXT NOT NULL,
    skeleton TEXT NOT NULL, loose TEXT NOT NULL,
    UNIQUE (platform, user_id));
CREATE INDEX IF NOT EXISTS accounts_handle ON accounts (platform, handle);
CREATE INDEX IF NOT EXISTS accounts_skeleton ON accounts (platform, skeleton);
CREATE INDEX IF NOT EXISTS accounts_loose ON accounts (platform, loose);
CREATE INDEX IF NOT EXISTS accounts_customer ON accounts (customer_id);
CREATE TABLE IF NOT EXISTS leads (
    lead_id TEXT PRIMARY KEY, platform TEXT NOT NULL, handle TEXT NOT NULL, user_id TEXT,
    email TEXT, created_at REAL NOT NULL, messages INTEGER NOT NULL,
    needs_review INTEGER NOT NULL, candidates TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS leads_user ON leads (platform, user_id);
CREATE INDEX IF NOT EXISTS leads_email ON leads (email);
CREATE INDEX IF NOT EXISTS leads_handle ON leads (platform, handle);
CREATE TABLE IF NOT EXISTS not_same (
    customer_id TEXT NOT NULL, platform TEXT NOT NULL, user_id TEXT NOT NULL,
    PRIMARY KEY (customer_id, platform, user_id));
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, action TEXT NOT NULL,
    customer_id TEXT, platform TEXT, user_id TEXT, detail TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""


class Checkpointer:
    """Folds the WAL into the database file from a background thread.

    Keeps checkpoint ``fsync`` calls off the request path: with automatic checkpoints,
    the commit that crosses the threshold pays for them.
    """

    def __init__(self, path: str, interval_s: float) -> None:
        self._path = path
        self._interval_s = max(0.05, float(interval_s))
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=1000")
            while not self._stopped.wait(self._interval_s):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            return
        finally:
            conn.close()

    def stop(self) -> None:
        """Stop checkpointing and wait for the thread."""
        self._stopped.set()
        self._thread.join(timeout=5)
