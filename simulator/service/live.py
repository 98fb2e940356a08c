"""Run the service on loopback for tests, BDD live mode and benchmarks.

:class:`ThreadedServer` serves an app in a background thread on a socket bound to a free
port of ``127.0.0.1``; :func:`spawn_server` starts ``serve`` in a child process (so a test
can ``SIGKILL`` it), passing the token through the environment, never the command line.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from types import TracebackType
from typing import Any

__all__ = ["ThreadedServer", "free_port", "spawn_server", "wait_healthy"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_healthy(base_url: str, *, timeout_s: float = 15.0) -> None:
    """Poll ``/healthz`` until it answers 200.

    Raises:
        TimeoutError: the service did not come up in time.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{base_url} did not become healthy within {timeout_s} s")


class ThreadedServer:
    """An ASGI app served by uvicorn in a daemon thread; use as a context manager.

    Attributes:
        base_url: ``http://127.0.0.1:PORT`` once started.
    """

    def __init__(self, app: Any) -> None:
        import uvicorn

        # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted sockets only then;
        # without it Nagle and delayed ACKs add ~40 ms to every answer.
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        port = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> ThreadedServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise TimeoutError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


_CHILD = (
    "import sys\n"
    "from simulator.service.server import load_token, serve\n"
    "serve(host='127.0.0.1', port=int(sys.argv[1]), db_path=sys.argv[2],\n"
    "      token=load_token(None, False), enable_fixtures=sys.argv[3] == '1')\n"
)


def spawn_server(
    db_path: str, *, token: str, enable_fixtures: bool = True, timeout_s: float = 20.0
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``serve`` in a child process on a free loopback port and wait until healthy.

    Returns:
        The child process and its base URL. The caller stops it (``terminate``/``kill``).
    """
    port = free_port()
    env = {**os.environ, "HANDLESIM_TOKEN": token}
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(port), db_path, "1" if enable_fixtures else "0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            wait_healthy(base_url, timeout_s=timeout_s)
        except TimeoutError:
            child.kill()
            child.wait(timeout=5)
            errors.seek(0)
            text = errors.read().decode(errors="replace")[-2000:]
            raise TimeoutError(f"service did not start: {text}") from None
    return child, base_url
