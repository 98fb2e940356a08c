"""The Genesys Data Action client: templates, translation and the three callData exits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import responses

from simulator.errors import InvalidInput
from simulator.service import velocity
from simulator.service.data_action import DataAction

ROOT = Path(__file__).resolve().parents[3]
ACTION_FILE = ROOT / "scenarios" / "data_actions" / "resolve_identity.json"
BASE = "http://irp.test"
CREDS = {"baseUrl": BASE, "token": "secret-token"}
RESOLVED = {
    "resolved": True,
    "customer_id": "CRM_1",
    "profile_data": {"name": "John Doe", "tier": "Platinum"},
    "confidence": 1.0,
    "review": False,
    "method": "user_id",
}


@pytest.fixture
def action() -> DataAction:
    return DataAction.load(ACTION_FILE)


def test_velocity_forms_and_quiet_references() -> None:
    ctx = {"input": {"a": "x", "n": 3, "b": True}}
    assert velocity.render("$input.a ${input.n} $!{input.b}.", ctx) == "x 3 true."
    assert velocity.render("$input.missing|$!{input.missing}|$!input.missing", ctx) == (
        "$input.missing||"
    )
    assert velocity.render(r"\$input.a costs $5", ctx) == "$input.a costs $5"


def test_velocity_escape_tool() -> None:
    ctx = {"input": {"h": 'a"b\\c\n', "q": "a b&c/é"}}
    assert velocity.render("$esc.jsonString(${input.h})", ctx) == 'a\\"b\\\\c\\n'
    assert velocity.render("${esc.url($input.q)}", ctx) == "a+b%26c%2F%C3%A9"
    assert velocity.render("$esc.jsonString($!{input.none})", ctx) == ""


def test_substituted_values_are_never_reparsed() -> None:
    ctx = {"input": {"h": "${input.secret} #set($x = 1) <b>"}, "secret": "no"}
    assert velocity.render("[$input.h]", ctx) == "[${input.secret} #set($x = 1) <b>]"


@responses.activate
def test_success_translates_the_answer(action: DataAction) -> None:
    responses.post(f"{BASE}/api/v1/resolve", json=RESOLVED)
    result = action.execute({"handle": "@john_doe", "channel": "twitter"}, credentials=CREDS)
    assert result.outcome == "success"
    assert result.outputs == {
        "resolved": True,
        "customerId": "CRM_1",
        "tier": "Platinum",
        "name": "John Doe",
        "confidence": 1.0,
        "review": False,
        "method": "user_id",
    }
    sent = responses.calls[0].request
    assert sent.headers["Authorization"] == "Bearer secret-token"
    assert json.loads(sent.body or b"") == {
        "handle": "@john_doe",
        "channel": "twitter",
        "user_id": "",
    }


@responses.activate
def test_defaults_fill_an_unresolved_answer(action: DataAction) -> None:
    responses.post(f"{BASE}/api/v1/resolve", json={"resolved": False, "customer_id": None})
    result = action.execute({"handle": "nobody", "channel": "x"}, credentials=CREDS)
    assert result.outcome == "success"
    assert result.outputs["customerId"] == ""
    assert result.outputs["tier"] == "Guest"


@responses.activate
def test_handle_with_quotes_stays_valid_json(action: DataAction) -> None:
    responses.post(f"{BASE}/api/v1/resolve", json=RESOLVED)
    handle = 'jo"hn\\", "channel": "linkedin'
    result = action.execute({"handle": handle, "channel": "twitter"}, credentials=CREDS)
    assert result.outcome == "success"
    body = json.loads(responses.calls[0].request.body or b"")
    assert body["handle"] == handle
    assert body["channel"] == "twitter"


@responses.activate
def test_timeout_exit(action: DataAction) -> None:
    responses.post(f"{BASE}/api/v1/resolve", body=requests.ReadTimeout("slow"))
    result = action.execute({"handle": "a", "channel": "x"}, credentials=CREDS)
    assert result.outcome == "timeout"
    assert result.outputs == {}


@responses.activate
def test_server_error_is_failure(action: DataAction) -> None:
    responses.post(f"{BASE}/api/v1/resolve", status=503, json={"detail": "down"})
    result = action.execute({"handle": "a", "channel": "x"}, credentials=CREDS)
    assert (result.outcome, result.status_code) == ("failure", 503)


@responses.activate
def test_malformed_json_is_failure(action: DataAction) -> None:
    responses.post(f"{BASE}/api/v1/resolve", body="{not json", content_type="application/json")
    result = action.execute({"handle": "a", "channel": "x"}, credentials=CREDS)
    assert result.outcome == "failure"
    assert result.error == "malformed JSON in response"


@responses.activate
def test_connection_error_is_failure(action: DataAction) -> None:
    responses.post(f"{BASE}/api/v1/resolve", body=requests.ConnectionError("refused"))
    result = action.execute({"handle": "a", "channel": "x"}, credentials=CREDS)
    assert result.outcome == "failure"


@responses.activate
def test_missing_value_without_default_is_failure() -> None:
    action = DataAction.from_definition(
        {
            "config": {
                "request": {"requestUrlTemplate": f"{BASE}/x/$esc.url($input.id)"},
                "response": {"translationMap": {"v": "$.v"}, "successTemplate": '{"v": ${v}}'},
            }
        }
    )
    with responses.RequestsMock() as mock:
        mock.get(f"{BASE}/x/a+b", json={"other": 1})
        result = action.execute({"id": "a b"})
    assert result.outcome == "failure"
    assert "translationMap.v" in (result.error or "")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"timeoutSeconds": 0}, "config.request.timeoutSeconds"),
        ({"timeoutSeconds": 61}, "config.request.timeoutSeconds"),
        ({"requestType": "FETCH"}, "config.request.requestType"),
        ({"requestUrlTemplate": 5}, "config.request.requestUrlTemplate"),
    ],
)
def test_bad_definition_names_the_field(patch: dict[str, object], field: str) -> None:
    definition = json.loads(ACTION_FILE.read_text())
    definition["config"]["request"].update(patch)
    with pytest.raises(InvalidInput) as info:
        DataAction.from_definition(definition)
    assert info.value.field == field


def test_missing_required_input_fails_without_a_call(action: DataAction) -> None:
    with responses.RequestsMock() as mock:
        result = action.execute({"channel": "x"}, credentials=CREDS)
        assert len(mock.calls) == 0
    assert result.outcome == "failure"
    assert result.error == "input.handle: required input missing"


@responses.activate
def test_output_breaking_the_contract_is_failure(action: DataAction) -> None:
    responses.post(f"{BASE}/api/v1/resolve", json={**RESOLVED, "resolved": "yes"})
    result = action.execute({"handle": "a", "channel": "x"}, credentials=CREDS)
    assert result.outcome == "failure"
    assert "output resolved" in (result.error or "")
