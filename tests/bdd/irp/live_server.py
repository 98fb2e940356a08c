"""Start the reference IRP on loopback for the suite's HTTP pass.

A real uvicorn server in a child process on ``127.0.0.1`` and a free port, with a
temporary SQLite file, fixtures enabled and a random bearer token, started with the
service's own :func:`simulator.service.live.spawn_server`.
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class LiveService:
    """Where an IRP listens and the token it expects."""

    url: str
    token: str


@contextlib.contextmanager
def reference_service(workdir: Path) -> Iterator[LiveService]:
    """Run the reference IRP (fixtures enabled) for the duration of the block.

    Args:
        workdir: a temporary folder for the SQLite file.

    Yields:
        The service's base URL and bearer token.
    """
    from simulator.service.live import spawn_server

    token = secrets.token_urlsafe(24)
    process, url = spawn_server(str(workdir / "irp.sqlite"), token=token, enable_fixtures=True)
    try:
        yield LiveService(url, token)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
