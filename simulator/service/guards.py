"""What stands between a client and the routes: auth, body size, error bodies.

* Bearer authentication with a constant-time comparison; the token is never logged or
  echoed. ``/healthz`` and the OpenAPI document stay open.
* A request-size limit enforced on the bytes actually received (a lying or missing
  ``Content-Length`` does not get past it): 413 with a JSON body.
* Error handlers that turn every bad input into ``{"field", "error", "allowed"}`` and every
  unexpected exception into a bare 500, never a stack trace.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from simulator.errors import ConflictError, InvalidInput, NotFound, StoreError

__all__ = ["BearerAuth", "BodySizeLimit", "SecurityHeaders", "error_body", "install_error_handlers"]

_log = logging.getLogger("simulator.service")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

OPEN_PATHS = frozenset({"/healthz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})
SECURITY_HEADERS = [
    (b"content-type", b"application/json"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]


def error_body(field: str, error: str, allowed: str, **extra: Any) -> dict[str, Any]:
    """The one error shape of the service."""
    return {"field": field, "error": error, "allowed": allowed, **extra}


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: Any = ()) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                *SECURITY_HEADERS,
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class BearerAuth:
    """ASGI middleware: ``Authorization: Bearer <token>`` on every non-open path."""

    def __init__(self, app: ASGIApp, *, token: str | None) -> None:
        self.app = app
        self._expected = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._expected is None or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        supplied = b""
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                scheme, _, credentials = value.partition(b" ")
                if scheme.lower() == b"bearer":
                    supplied = credentials.strip()
                break
        if not hmac.compare_digest(supplied, self._expected):
            body = error_body("Authorization", "missing or wrong bearer token", "Bearer <token>")
            await _send_json(send, 401, body, [(b"www-authenticate", b"Bearer")])
            return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware: ``nosniff`` and ``no-store`` on every response, errors included.

    Also adds ``Server-Timing: app;dur=<ms>``, the time spent inside the application,
    so load tests can tell server time from network and client time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", ())}
                extra = [(n, v) for n, v in SECURITY_HEADERS[1:] if n not in names]
                spent = f"app;dur={(time.perf_counter() - started) * 1000:.3f}".encode()
                message["headers"] = [
                    *message.get("headers", ()),
                    *extra,
                    (b"server-timing", spent),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(StarletteHTTPException):
    """Raised from ``receive``; FastAPI passes HTTP exceptions through body parsing."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"{limit} bytes")


class BodySizeLimit:
    """ASGI middleware: refuse bodies larger than ``limit`` bytes with 413.

    Args:
        app: the wrapped application.
        limit: default maximum body size.
        overrides: larger limits for given path prefixes (the fixture loader).
    """

    def __init__(
        self, app: ASGIApp, *, limit: int, overrides: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.overrides = overrides or {}

    def _limit_for(self, path: str) -> int:
        for prefix, limit in self.overrides.items():
            if path.startswith(prefix):
                return limit
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope["path"])
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await self._refuse(send, limit)
                return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        body = error_body("body", "request body too large", f"at most {limit} bytes")
        await _send_json(send, 413, body)


def _field_of(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "path", "query", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _allowed_of(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "a value (this field is required)"
    if kind in ("string_type", "string_sub_type"):
        return "a string"
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items"
    if kind == "literal_error":
        return f"one of {ctx.get('expected')}"
    if kind in ("bool_type", "bool_parsing"):
        return "true or false"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        return {"list_type": "a JSON array"}.get(kind, "a JSON object")
    return str(error.get("msg", "a valid value"))


def validation_body(errors: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    """Map pydantic errors to the error shape; the first error leads, all are listed."""
    items = []
    for e in errors:
        field = _field_of(tuple(e.get("loc", ())))
        items.append(error_body(field, f"{field}: {e.get('msg', 'invalid')}", _allowed_of(e)))
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, error_body("body", "malformed JSON", "a JSON object")
    if not items:
        return 422, error_body("body", "invalid request", "a JSON object")
    return 422, {**items[0], "errors": items}


def install_error_handlers(app: FastAPI) -> None:
    """Register the JSON error handlers on ``app``."""

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        status, body = validation_body(list(exc.errors()))
        return JSONResponse(body, status_code=status)

    async def on_invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidInput)
        return JSONResponse(exc.to_dict(), status_code=422)

    async def on_not_found(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body("id", str(exc), "an existing identifier"), status_code=404)

    async def on_conflict(request: Request, exc: Exception) -> JSONResponse:
        body = error_body("customer_id", str(exc), "a link that keeps one customer per account")
        return JSONResponse(body, status_code=409)

    async def on_store(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body("store", str(exc), "a consistent change"), status_code=409)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 413:
            body = error_body("body", "request body too large", f"at most {exc.detail}")
        else:
            body = error_body("path", str(exc.detail), "see /openapi.json")
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        _log.error("internal error on %s: %s", request.url.path, type(exc).__name__)
        body = error_body("server", "internal error", "retry later")
        return JSONResponse(body, status_code=500)

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(InvalidInput, on_invalid)
    app.add_exception_handler(NotFound, on_not_found)
    app.add_exception_handler(ConflictError, on_conflict)
    app.add_exception_handler(StoreError, on_store)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
