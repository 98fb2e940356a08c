"""The HTTP target: any IRP speaking the ``/api/v1`` contract, reached with ``httpx``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from tests.bdd.irp.base import CustomerFixture, IRPDriver, Reply, Unsupported

_TIMEOUT_S = 10.0


class HttpIRP(IRPDriver):
    """Drives an IRP over HTTP.

    Args:
        base_url: the IRP's base URL (``http://127.0.0.1:8080``); paths are ``/api/v1/...``.
        token: bearer token, or ``None`` for an IRP without authentication.
    """

    name = "http"

    def __init__(self, base_url: str, token: str | None = None) -> None:
        super().__init__()
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.base_url = base_url.rstrip("/")
        self._labels: dict[str, str] = {}
        self.client = httpx.Client(base_url=self.base_url, headers=headers, timeout=_TIMEOUT_S)

    def unique_label(self, label: str) -> str:
        """Suffix ``label`` once per driver, so earlier rate-limit windows cannot leak in."""
        return self._labels.setdefault(label, f"{label}-{uuid.uuid4().hex[:8]}")

    def _post(self, path: str, payload: Any) -> Reply:
        # ensure_ascii keeps lone surrogates sendable (as \ud800 escapes) for the bad-input tests
        content = json.dumps(payload, ensure_ascii=True).encode("ascii")
        response = self.client.post(
            path, content=content, headers={"Content-Type": "application/json"}
        )
        return _reply(response)

    # --- data arrangement -------------------------------------------------------------------

    def load_customers(self, customers: Sequence[CustomerFixture], *, reset: bool) -> None:
        """Load customers through ``POST /api/v1/fixtures``.

        Raises:
            Unsupported: the IRP has no (enabled) fixture endpoint.
        """
        payload = {"reset": reset, "customers": [c.to_json() for c in customers]}
        reply = self._post("/api/v1/fixtures", payload)
        if reply.status == 401:
            raise AssertionError(
                f"the IRP at {self.base_url} refused the bearer token (401): "
                "check --irp-token or HANDLESIM_TOKEN"
            )
        if reply.status in (403, 404, 405, 501):
            raise Unsupported(
                f"the IRP at {self.base_url} has no usable fixture-loading endpoint "
                f"(POST /api/v1/fixtures answered {reply.status}); scenarios that arrange "
                "customers need it (reference service: handlesim serve --enable-fixtures)"
            )
        if not reply.ok:
            raise AssertionError(f"loading fixtures failed: {reply.status} {reply.body}")

    # --- the contract -----------------------------------------------------------------------

    def resolve(self, request: Mapping[str, Any]) -> Reply:
        """``POST /api/v1/resolve``."""
        self.resolve_calls += 1
        return self._post("/api/v1/resolve", dict(request))

    def capture_lead(self, request: Mapping[str, Any]) -> Reply:
        """``POST /api/v1/leads``."""
        return self._post("/api/v1/leads", dict(request))

    def customer(self, customer_id: str) -> Reply:
        """``GET /api/v1/customers/{id}``."""
        return _reply(self.client.get(f"/api/v1/customers/{quote(customer_id, safe='')}"))

    def link(self, customer_id: str, platform: str, user_id: str, handle: str) -> Reply:
        """``POST /api/v1/links``."""
        payload = {
            "customer_id": customer_id,
            "platform": platform,
            "user_id": user_id,
            "handle": handle,
        }
        return self._post("/api/v1/links", payload)

    def not_same(self, customer_id: str, platform: str, user_id: str) -> Reply:
        """``POST /api/v1/not-same``."""
        payload = {"customer_id": customer_id, "platform": platform, "user_id": user_id}
        return self._post("/api/v1/not-same", payload)

    def bot_check(self, user_id: str, message: str, account_created_at: float) -> Reply:
        """``POST /api/v1/bot-check``."""
        payload = {"user_id": user_id, "message": message, "account_created_at": account_created_at}
        return self._post("/api/v1/bot-check", payload)

    def configure(self, **settings: Any) -> None:
        """Settings live on the server."""
        names = ", ".join(sorted(settings))
        raise Unsupported(
            f"{names} is part of the IRP's own configuration; a live IRP cannot be "
            "reconfigured by the suite (runs in-process only)"
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()


def _reply(response: httpx.Response) -> Reply:
    try:
        body: Any = response.json()
    except ValueError:
        body = {"raw": response.text}
    return Reply(response.status_code, body, dict(response.headers))
