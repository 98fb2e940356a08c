"""Run the reference IRP: token loading and the blocking ``serve`` entry point."""

from __future__ import annotations

import os
from pathlib import Path

from simulator.errors import HandlesimError

__all__ = ["TOKEN_ENV", "MissingToken", "load_token", "serve"]

TOKEN_ENV = "HANDLESIM_TOKEN"


class MissingToken(HandlesimError):
    """No bearer token configured and ``--insecure-no-auth`` not given."""


def load_token(token_file: str | None, insecure_no_auth: bool) -> str | None:
    """Find the bearer token the service requires.

    A ``token_file`` wins over the ``HANDLESIM_TOKEN`` environment variable. The token
    itself never appears in a message or log.

    Args:
        token_file: path of a file whose first line is the token, or ``None``.
        insecure_no_auth: allow running without any token (local experiments only).

    Returns:
        The token, or ``None`` when running without authentication.

    Raises:
        MissingToken: no token is configured (or the file is empty/unreadable) and
            ``insecure_no_auth`` is false.
    """
    if token_file:
        try:
            lines = Path(token_file).read_text(encoding="utf-8").strip().splitlines()
            token = lines[0].strip() if lines else ""
        except OSError as exc:
            raise MissingToken(
                f"--token-file: cannot read {token_file!r} ({exc.strerror}); "
                "expected a readable file holding the bearer token"
            ) from exc
        if not token:
            raise MissingToken(f"--token-file: {token_file!r} is empty; expected a bearer token")
        return token
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:
        return token
    if insecure_no_auth:
        return None
    raise MissingToken(
        f"no bearer token: set {TOKEN_ENV} or pass --token-file FILE "
        "(or --insecure-no-auth for local experiments only)"
    )


def serve(*, host: str, port: int, db_path: str, token: str | None, enable_fixtures: bool) -> None:
    """Serve the IRP over HTTP until interrupted (blocking).

    Args:
        host: interface to bind (``127.0.0.1`` by default in the CLI).
        port: TCP port.
        db_path: SQLite file of the identity store (created when missing).
        token: bearer token clients must send, or ``None`` for no authentication.
        enable_fixtures: expose ``POST /api/v1/fixtures`` for test data.
    """
    import uvicorn

    from simulator.service.app import create_app
    from simulator.service.sqlite_store import SQLiteStore

    store = SQLiteStore(db_path, checkpoint_interval_s=1.0)
    try:
        app = create_app(store=store, token=token, enable_fixtures=enable_fixtures)
        uvicorn.run(
            app,
            host=host,
            port=port,
            access_log=False,
            log_level="warning",
            server_header=False,
            timeout_graceful_shutdown=5,
        )
    finally:
        store.close()
