"""The reference IRP over HTTP: routes around the one :class:`~simulator.identity.Resolver`.

Routes are ``async`` and call the resolver directly: resolving is sub-millisecond work on an
indexed store, so the event loop serializes requests without a thread pool, and every
request that writes runs inside one store transaction (all of it is stored, or none).
Bodies are JSON only (``application/json``, ``nosniff``), so a handle is never markup.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from simulator import __version__
from simulator.errors import InvalidInput, InvalidRequest, NotFound
from simulator.identity.cache import ProfileCache
from simulator.identity.guard import BotGuard, RateLimiter
from simulator.identity.resolver import Resolver
from simulator.identity.store import StoreBackend
from simulator.service import schemas
from simulator.service.guards import (
    BearerAuth,
    BodySizeLimit,
    SecurityHeaders,
    error_body,
    install_error_handlers,
)
from simulator.service.views import customer_view, lead_outcome_view, lead_view

__all__ = ["MAX_BODY_BYTES", "MAX_FIXTURE_BYTES", "create_app"]

_log = logging.getLogger("simulator.service")
MAX_BODY_BYTES = 64 * 1024
MAX_FIXTURE_BYTES = 64 * 1024 * 1024
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": schemas.ErrorBody} for status in (400, 401, 404, 409, 413, 422, 429, 500)
}
_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={**_HEADERS, **(headers or {})})


def to_posix(value: str | float | None, field: str) -> float | None:
    """An ISO 8601 date-time (``Z`` allowed) or POSIX seconds, as POSIX seconds."""
    if value is None or isinstance(value, int | float):
        return None if value is None else float(value)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidRequest(field, value, "an ISO 8601 date-time or POSIX seconds") from exc
    if parsed.tzinfo is None:
        raise InvalidRequest(field, value, "an ISO 8601 date-time with a time zone")
    return parsed.timestamp()


class _State:
    """What the routes share: store, resolver, guards and the clock."""

    def __init__(self, store: StoreBackend, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock
        self.bot_guard = BotGuard()
        self.limiter, self.resolver = self.fresh()

    def fresh(self) -> tuple[RateLimiter, Resolver]:
        """A new rate limiter and resolver (with an empty profile cache)."""
        cache = ProfileCache(ttl_s=300.0)
        return RateLimiter(limit=100, window_s=60), Resolver(
            self.store, clock=self.clock, cache=cache
        )

    def rate_limited(self, request: schemas.ResolveRequest) -> JSONResponse | None:
        """A 429 answer when this sender is over its per-minute budget, else ``None``."""
        key = request.user_id or f"{request.channel}:{request.handle.strip().lower()}"
        now = self.clock()
        if self.limiter.allow(key, now):
            return None
        wait = self.limiter.retry_after(key, now)
        seconds = max(1, math.ceil(wait))
        _log.warning("rate limited (security review): sender %r", key)
        body = error_body(
            "user_id",
            "rate limit exceeded for this user id",
            f"at most {self.limiter.limit} requests per {self.limiter.window_s:g} s",
            retry_after_seconds=seconds,
            reasons=["rate_limited"],
        )
        return _json(body, 429, {"Retry-After": str(seconds)})


def _resolve_input(request: schemas.ResolveRequest) -> dict[str, str]:
    return {key: value for key, value in request.model_dump().items() if value is not None}


def _build_router(state: _State, enable_fixtures: bool) -> APIRouter:
    router = APIRouter(prefix="/api/v1", responses=_ERRORS)

    @router.post("/resolve", response_model=schemas.ResolveAnswer, tags=["identity"])
    async def resolve(request: schemas.ResolveRequest) -> JSONResponse:
        """Resolve a social identity to a customer (the seed's contract, plus evidence)."""
        if (refused := state.rate_limited(request)) is not None:
            return refused
        with state.store.transaction():
            answer = state.resolver.resolve(_resolve_input(request))
        return _json(answer.to_dict())

    @router.post("/leads", response_model=schemas.LeadAnswer, tags=["identity"])
    async def capture_lead(request: schemas.ResolveRequest) -> JSONResponse:
        """Create a deduplicated lead for an unresolved sender (201 when a new lead).

        ``action`` is ``created``, ``existing`` (this sender already has a lead),
        ``attached`` (an email matched a customer: the account became an alias) or
        ``known_customer`` (the sender resolves to a customer: no lead).
        """
        if (refused := state.rate_limited(request)) is not None:
            return refused
        data = _resolve_input(request)
        with state.store.transaction():
            answer = state.resolver.resolve(data)
            if answer.resolved:
                action = "attached" if answer.method == "email" else "known_customer"
                body = {
                    "action": action,
                    "lead_id": None,
                    "customer_id": answer.customer_id,
                    "needs_review": False,
                }
            else:
                body = lead_outcome_view(state.resolver.capture_lead(data, answer))
        return _json(body, 201 if body["action"] == "created" else 200)

    @router.get("/leads/{lead_id}", tags=["identity"])
    async def get_lead(lead_id: str) -> JSONResponse:
        """One lead as stored."""
        lead = state.store.get_lead(lead_id)
        if lead is None:
            raise NotFound(f"lead {lead_id!r} not found")
        return _json(lead_view(lead))

    @router.get("/customers/{customer_id}", tags=["identity"])
    async def get_customer(customer_id: str) -> JSONResponse:
        """A customer with every linked account (the identity graph around it)."""
        customer = state.store.get_customer(customer_id)
        if customer is None:
            raise NotFound(f"customer {customer_id!r} not found")
        return _json(customer_view(customer, state.store.accounts_of(customer_id)))

    @router.post("/links", tags=["review"])
    async def link(request: schemas.LinkRequest) -> JSONResponse:
        """Confirm a review: link the account to the customer (409 if linked elsewhere)."""
        with _fields(), state.store.transaction():
            state.resolver.link_confirmed(
                request.customer_id, request.platform, request.user_id, request.handle
            )
        customer = state.store.get_customer(request.customer_id)
        if customer is None:
            raise NotFound(f"customer {request.customer_id!r} not found")
        return _json(customer_view(customer, state.store.accounts_of(request.customer_id)), 201)

    @router.post("/not-same", tags=["review"])
    async def not_same(request: schemas.NotSameRequest) -> JSONResponse:
        """Store "this account is not that customer"; later answers respect it."""
        with _fields(), state.store.transaction():
            state.resolver.mark_not_same(request.customer_id, request.platform, request.user_id)
        return _json({"stored": True, **request.model_dump()}, 201)

    @router.post("/bot-check", response_model=schemas.BotVerdictAnswer, tags=["guards"])
    async def bot_check(request: schemas.BotCheckRequest) -> JSONResponse:
        """Bot indicators: known bot id, spam keywords, account younger than 7 days."""
        created = to_posix(request.account_created_at, "account_created_at")
        verdict = state.bot_guard.check(
            user_id=request.user_id,
            message=request.message,
            account_created_at=created,
            now=state.clock(),
        )
        return _json({"bot": verdict.is_bot, "reasons": list(verdict.reasons)})

    if enable_fixtures:

        @router.post("/fixtures", tags=["testing"])
        async def load_fixtures(request: schemas.FixturesRequest) -> JSONResponse:
            """Load test customers and accounts (enabled by ``--enable-fixtures`` only)."""
            with state.store.transaction():
                if request.reset:
                    clear = getattr(state.store, "clear", None)
                    if clear is None:
                        raise InvalidRequest("reset", True, "false: this store cannot reset")
                    clear()
                for index, item in enumerate(request.customers):
                    _load_customer(state.store, item, f"customers.{index}")
            state.limiter, state.resolver = state.fresh()
            accounts = sum(len(c.accounts) for c in request.customers)
            return _json({"customers": len(request.customers), "accounts": accounts}, 201)

    return router


@contextmanager
def _fields(prefix: str = "") -> Iterator[None]:
    """Re-raise the resolver's input errors with this request's field names.

    The resolver calls a platform ``channel``; link, not-same and fixture bodies call it
    ``platform``. ``prefix`` locates the item inside a fixture body.
    """
    try:
        yield
    except InvalidInput as exc:
        name = "platform" if exc.field == "channel" else exc.field
        if not prefix and name == exc.field:
            raise
        raise type(exc)(f"{prefix}{name}", exc.value, exc.allowed) from exc


def _load_customer(store: StoreBackend, item: schemas.FixtureCustomer, where: str) -> None:
    with _fields(f"{where}."):
        store.add_customer(
            item.customer_id,
            name=item.name,
            tier=item.tier,
            emails=item.emails,
            preferences={str(k): str(v) for k, v in item.preferences.items()},
            profile_updated_at=to_posix(item.profile_updated_at, "profile_updated_at"),
        )
    for index, account in enumerate(item.accounts):
        with _fields(f"{where}.accounts.{index}."):
            store.link_account(item.customer_id, account.platform, account.user_id, account.handle)


def _document_bearer_auth(app: FastAPI, *, enabled: bool) -> None:
    """Declare the bearer scheme in the OpenAPI document (``/healthz`` stays open)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        if enabled:
            components = schema.setdefault("components", {})
            components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
            schema["security"] = [{"bearer": []}]
            for operation in schema["paths"].get("/healthz", {}).values():
                operation["security"] = []
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    *,
    store: StoreBackend,
    token: str | None,
    enable_fixtures: bool,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """Build the service around ``store``.

    Args:
        store: the identity store (a :class:`SQLiteStore` when served).
        token: bearer token clients must send; ``None`` disables authentication.
        enable_fixtures: expose ``POST /api/v1/fixtures``.
        clock: POSIX seconds, injected so tests control rate windows and ages.

    Returns:
        The ASGI application (FastAPI), with its OpenAPI document at ``/openapi.json``.
    """
    state = _State(store, clock)
    app = FastAPI(
        title="Handlesim reference IRP",
        version=__version__,
        description="Social-handle identity resolution for contact centres.",
    )
    app.state.irp = state
    install_error_handlers(app)
    app.include_router(_build_router(state, enable_fixtures))

    @app.get("/healthz", response_model=schemas.Health, tags=["ops"])
    async def healthz() -> JSONResponse:
        """Liveness and store size (no authentication)."""
        return _json({"status": "ok", "customers": store.customer_count()})

    _document_bearer_auth(app, enabled=token is not None)
    app.add_middleware(BearerAuth, token=token)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        BodySizeLimit, limit=MAX_BODY_BYTES, overrides={"/api/v1/fixtures": MAX_FIXTURE_BYTES}
    )
    return app
