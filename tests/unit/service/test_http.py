"""The reference IRP over real HTTP on loopback, backed by a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from simulator.identity.store import Customer
from simulator.service.app import create_app
from simulator.service.data_action import DataAction
from simulator.service.live import ThreadedServer
from simulator.service.server import MissingToken, load_token
from simulator.service.sqlite_store import SQLiteStore
from tests.unit.service.conftest import JOHN, TOKEN, Live

ROOT = Path(__file__).resolve().parents[3]


def test_resolve_by_user_id_answers_the_seed_contract(live: Live) -> None:
    answer = live.post(
        "/api/v1/resolve", {"handle": "@John_Doe", "channel": "twitter", "user_id": "123456789"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["resolved"] is True
    assert body["customer_id"] == "CRM_987654321"
    assert body["profile_data"]["tier"] == "Platinum"
    assert body["profile_data"]["preferences"]["language"] == "en-US"
    assert body["social_graph"]["twitter_id"] == "123456789"
    assert 0.85 <= body["confidence"] <= 1
    assert body["review"] is False
    assert isinstance(body["reasons"], list)


def test_homoglyph_is_never_merged(live: Live) -> None:
    body = live.post(
        "/api/v1/resolve", {"handle": "@j0hn_doe", "channel": "twitter", "user_id": "42"}
    ).json()
    assert body["resolved"] is False
    assert body["customer_id"] is None


def test_blank_optional_fields_from_genesys_are_absent(live: Live) -> None:
    answer = live.post(
        "/api/v1/resolve",
        {"handle": "john_doe", "channel": "x", "user_id": "", "email": "", "extra": 1},
    )
    assert answer.status_code == 200, answer.text


def test_authentication_is_required(live: Live) -> None:
    url = live.base + "/api/v1/resolve"
    body = {"handle": "john_doe", "channel": "twitter"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        answer = requests.post(url, json=body, headers=headers, timeout=5)
        assert answer.status_code == 401
        assert answer.json()["field"] == "Authorization"
        assert TOKEN not in answer.text
    assert requests.get(live.base + "/healthz", timeout=5).json()["status"] == "ok"


def test_openapi_lists_every_endpoint(live: Live) -> None:
    document = requests.get(live.base + "/openapi.json", timeout=5).json()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    paths = document["paths"]
    for path in (
        "/api/v1/resolve",
        "/api/v1/leads",
        "/api/v1/customers/{customer_id}",
        "/api/v1/links",
        "/api/v1/not-same",
        "/api/v1/bot-check",
        "/api/v1/fixtures",
        "/healthz",
    ):
        assert path in paths


def test_bad_inputs_name_the_field(live: Live) -> None:
    cases = [
        ({"handle": "john_doe", "channel": "myspace"}, "channel"),
        ({"handle": "john_doe", "channel": "twitter", "user_id": 123456789}, "user_id"),
        ({"channel": "twitter"}, "handle"),
        ({"handle": "x" * 5000, "channel": "twitter"}, "handle"),
        ({"handle": "john\x00doe", "channel": "twitter"}, "handle"),
        ({"handle": ["john"], "channel": "twitter"}, "handle"),
    ]
    for body, field in cases:
        answer = live.post("/api/v1/resolve", body)
        assert answer.status_code in (400, 422), (body, answer.text)
        error = answer.json()
        assert error["field"] == field, (body, error)
        assert error["allowed"] and error["error"]
        assert "Traceback" not in answer.text


def test_malformed_json_is_400(live: Live) -> None:
    answer = live.http.post(
        live.base + "/api/v1/resolve",
        data=b'{"handle": "a",',
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "body"


def test_oversized_bodies_are_413(live: Live) -> None:
    big = json.dumps({"handle": "a", "channel": "x", "pad": "z" * 200_000}).encode()
    answer = live.http.post(live.base + "/api/v1/resolve", data=big, timeout=5)
    assert answer.status_code == 413
    assert answer.json()["field"] == "body"
    chunked = live.http.post(
        live.base + "/api/v1/resolve", data=iter([big[:50_000], big[50_000:]]), timeout=5
    )
    assert chunked.status_code == 413


def test_handles_are_data_not_markup(live: Live) -> None:
    handle = "<script>alert(1)</script>${input.x}"
    answer = live.post("/api/v1/resolve", {"handle": handle, "channel": "twitter"})
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.json()["field"] == "handle"


def test_rate_limit_per_user_id(live: Live) -> None:
    body = {"handle": "john_doe", "channel": "twitter", "user_id": "123456789"}
    for _ in range(100):
        assert live.post("/api/v1/resolve", body).status_code == 200
    refused = live.post("/api/v1/resolve", body)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["field"] == "user_id"
    other = live.post("/api/v1/resolve", {**body, "user_id": "555", "handle": "someone"})
    assert other.status_code == 200
    live.clock.now += 61
    assert live.post("/api/v1/resolve", body).status_code == 200


def test_leads_are_deduplicated_and_readable(live: Live) -> None:
    body = {"handle": "new_person", "channel": "twitter", "user_id": "777"}
    first = live.post("/api/v1/leads", body)
    assert first.status_code == 201, first.text
    lead_id = first.json()["lead_id"]
    again = live.post("/api/v1/leads", {**body, "handle": "new_person2"})
    assert again.status_code == 200
    assert again.json() == {**first.json(), "action": "existing"}
    stored = live.get(f"/api/v1/leads/{lead_id}").json()
    assert stored["user_id"] == "777"
    assert live.get("/api/v1/leads/LEAD-404").status_code == 404


def test_email_match_attaches_instead_of_a_lead(live: Live) -> None:
    body = {"handle": "jd_insta", "channel": "instagram", "user_id": "888"}
    answer = live.post("/api/v1/leads", {**body, "email": "John@Example.com"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["action"] == "attached"
    assert answer.json()["customer_id"] == JOHN["customer_id"]


def test_links_and_not_same(live: Live) -> None:
    link = {"customer_id": "CRM_2", "platform": "twitter", "user_id": "31", "handle": "jane_r"}
    created = live.post("/api/v1/links", link)
    assert created.status_code == 201, created.text
    customer = live.get("/api/v1/customers/CRM_2").json()
    assert {"platform": "twitter", "user_id": "31", "handle": "jane_r"} in [
        {k: a[k] for k in ("platform", "user_id", "handle")} for a in customer["accounts"]
    ]
    stolen = live.post("/api/v1/links", {**link, "customer_id": JOHN["customer_id"]})
    assert stolen.status_code == 409
    assert live.post("/api/v1/links", {**link, "customer_id": "NOPE"}).status_code == 404
    decision = {"customer_id": JOHN["customer_id"], "platform": "twitter", "user_id": "99"}
    assert live.post("/api/v1/not-same", decision).status_code == 201
    refused = live.post("/api/v1/links", {**decision, "handle": "johnny"})
    assert refused.status_code == 409
    assert live.get("/api/v1/customers/NOPE").status_code == 404


def test_bot_check(live: Live) -> None:
    young = live.post(
        "/api/v1/bot-check",
        {
            "user_id": "1",
            "message": "FREE followers here",
            "account_created_at": "2025-12-30T00:00:00Z",
        },
    ).json()
    assert young == {"bot": True, "reasons": ["spam_keywords", "new_account"]}
    human = live.post(
        "/api/v1/bot-check",
        {"user_id": "1", "message": "my order is late", "account_created_at": 1_600_000_000},
    ).json()
    assert human == {"bot": False, "reasons": []}
    bad = live.post("/api/v1/bot-check", {"user_id": "1", "account_created_at": "yesterday"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "account_created_at"


def test_fixture_errors_name_the_field(live: Live) -> None:
    broken = {**JOHN, "customer_id": "C9", "accounts": [{"platform": "myspace", "user_id": "1"}]}
    answer = live.post("/api/v1/fixtures", {"customers": [broken]})
    assert answer.status_code == 422
    assert answer.json()["field"] == "customers.0.accounts.0.handle"
    account = {"platform": "myspace", "user_id": "1", "handle": "x"}
    answer = live.post("/api/v1/fixtures", {"customers": [{**broken, "accounts": [account]}]})
    assert answer.status_code == 422
    assert answer.json()["field"] == "customers.0.accounts.0.platform"
    assert "twitter" in answer.json()["allowed"]
    assert live.get("/api/v1/customers/C9").status_code == 404
    bad_link = {"customer_id": "CRM_2", "platform": "myspace", "user_id": "1", "handle": "x"}
    assert live.post("/api/v1/links", bad_link).json()["field"] == "platform"


def test_internal_errors_reveal_nothing(tmp_path: Path) -> None:
    class Broken(SQLiteStore):
        def get_customer(self, customer_id: str) -> Customer | None:
            raise RuntimeError("secret internals /etc/passwd")

    store = Broken(tmp_path / "broken.db")
    app = create_app(store=store, token=None, enable_fixtures=False)
    with ThreadedServer(app) as server:
        answer = requests.get(server.base_url + "/api/v1/customers/C1", timeout=5)
        assert answer.status_code == 500
        assert answer.json() == {
            "field": "server",
            "error": "internal error",
            "allowed": "retry later",
        }
        assert "secret" not in answer.text and "Traceback" not in answer.text
        assert (
            requests.post(server.base_url + "/api/v1/fixtures", json={}, timeout=5).status_code
            == 404
        )
    store.close()


def test_token_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDLESIM_TOKEN", raising=False)
    with pytest.raises(MissingToken, match="HANDLESIM_TOKEN"):
        load_token(None, False)
    assert load_token(None, True) is None
    monkeypatch.setenv("HANDLESIM_TOKEN", "from-env")
    assert load_token(None, False) == "from-env"
    secret = tmp_path / "token"
    secret.write_text("from-file\n")
    assert load_token(str(secret), False) == "from-file"
    secret.write_text("")
    with pytest.raises(MissingToken) as info:
        load_token(str(secret), False)
    assert "from-file" not in str(info.value)
    with pytest.raises(MissingToken):
        load_token(str(tmp_path / "missing"), True)


def test_shipped_data_action_calls_the_reference_service(live: Live) -> None:
    action = DataAction.load(ROOT / "scenarios" / "data_actions" / "resolve_identity.json")
    credentials = {"baseUrl": live.base, "token": TOKEN}
    hit = action.execute(
        {"handle": "@john_doe", "channel": "twitter", "user_id": "123456789"},
        credentials=credentials,
    )
    assert hit.outcome == "success", hit.error
    assert hit.outputs["customerId"] == "CRM_987654321"
    assert hit.outputs["tier"] == "Platinum"
    quoted = action.execute({"handle": 'jo"hn', "channel": "twitter"}, credentials=credentials)
    assert (quoted.outcome, quoted.status_code) == ("failure", 422)
    guest = action.execute({"handle": "nobody_here", "channel": "x"}, credentials=credentials)
    assert guest.outcome == "success"
    assert (guest.outputs["resolved"], guest.outputs["tier"]) == (False, "Guest")
    denied = action.execute({"handle": "a", "channel": "x"}, credentials={"baseUrl": live.base})
    assert (denied.outcome, denied.status_code) == ("failure", 401)
