"""Execute a Genesys Cloud Data Action definition the way an Architect ``callData`` node does.

A definition is the JSON that Genesys Cloud exports for a custom web-services action::

    {"name": ..., "config": {
        "request": {"requestUrlTemplate", "requestType", "headers", "requestTemplate",
                    "timeoutSeconds"?},
        "response": {"translationMap", "translationMapDefaults", "successTemplate"}},
     "contract": {...}}

Templates are rendered with the Velocity subset of :mod:`simulator.service.velocity`;
translation-map values are JSONPath expressions evaluated with ``jsonpath-ng`` and, as in
Genesys, inserted into the success template as JSON text (strings keep their quotes).
The outcome is one of ``success`` / ``failure`` / ``timeout``, the three exits of the
``callData`` node; a failure never raises.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import requests
from jsonpath_ng.ext import parse as jsonpath_parse

from simulator.errors import InvalidInput
from simulator.service import velocity

__all__ = ["DataAction", "DataActionResult", "Outcome"]

Outcome = Literal["success", "failure", "timeout"]
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
_DEFAULT_TIMEOUT_S = 60


@dataclass(frozen=True, slots=True)
class DataActionResult:
    """What the ``callData`` node sees after one execution.

    Attributes:
        outcome: ``success``, ``failure`` or ``timeout`` (the node's three exits).
        outputs: the success template parsed as a JSON object (empty unless success).
        status_code: HTTP status of the response, when one arrived.
        error: short reason for a failure or timeout, else ``None``.
        elapsed_s: wall time of the HTTP exchange and translation.
    """

    outcome: Outcome
    outputs: dict[str, Any] = field(default_factory=dict)
    status_code: int | None = None
    error: str | None = None
    elapsed_s: float = 0.0


@dataclass(frozen=True, slots=True)
class DataAction:
    """A validated Data Action definition, ready to execute.

    Build one with :meth:`from_definition` or :meth:`load`.
    """

    name: str
    url_template: str
    method: str
    headers: dict[str, str]
    request_template: str
    translation_map: dict[str, str]
    translation_defaults: dict[str, str]
    success_template: str
    timeout_s: float
    required_inputs: tuple[str, ...] = ()
    output_types: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> DataAction:
        """Read an exported definition from a JSON file."""
        try:
            definition = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InvalidInput(str(path), exc.msg, "a Data Action definition in JSON") from exc
        return cls.from_definition(definition)

    @classmethod
    def from_definition(cls, definition: Mapping[str, Any]) -> DataAction:
        """Validate an exported definition.

        Raises:
            InvalidInput: a field is missing or has the wrong type; the message names it.
        """
        if not isinstance(definition, Mapping):
            raise InvalidInput("definition", definition, "a JSON object")
        config = _mapping(definition.get("config"), "config")
        request = _mapping(config.get("request"), "config.request")
        response = _mapping(config.get("response", {}), "config.response")
        url = _text(request.get("requestUrlTemplate"), "config.request.requestUrlTemplate")
        method = _text(request.get("requestType", "GET"), "config.request.requestType").upper()
        if method not in _METHODS:
            raise InvalidInput("config.request.requestType", method, ", ".join(_METHODS))
        timeout = request.get("timeoutSeconds", definition.get("timeoutSeconds"))
        timeout = _DEFAULT_TIMEOUT_S if timeout is None else timeout
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, int | float)
            or not (1 <= timeout <= 60)
        ):
            raise InvalidInput("config.request.timeoutSeconds", timeout, "a number from 1 to 60")
        translation = _str_map(response.get("translationMap", {}), "config.response.translationMap")
        for key, expression in translation.items():
            try:
                jsonpath_parse(expression)
            except Exception as exc:  # jsonpath-ng raises several types
                raise InvalidInput(
                    f"config.response.translationMap.{key}", expression, "a JSONPath expression"
                ) from exc
        return cls(
            name=str(definition.get("name", "data action")),
            url_template=url,
            method=method,
            headers=_str_map(request.get("headers", {}), "config.request.headers"),
            request_template=_text(
                request.get("requestTemplate", "${input.rawRequest}"),
                "config.request.requestTemplate",
            ),
            translation_map=translation,
            translation_defaults=_str_map(
                response.get("translationMapDefaults", {}),
                "config.response.translationMapDefaults",
            ),
            success_template=_text(
                response.get("successTemplate", "${rawResult}"), "config.response.successTemplate"
            ),
            timeout_s=float(timeout),
            **_contract(definition.get("contract")),
        )

    def render_request(
        self, inputs: Mapping[str, Any], credentials: Mapping[str, Any] | None = None
    ) -> tuple[str, dict[str, str], str]:
        """Render URL, headers and body for ``inputs`` without sending anything."""
        context = {
            "input": {**inputs, "rawRequest": json.dumps(dict(inputs), ensure_ascii=False)},
            "credentials": dict(credentials or {}),
        }
        url = velocity.render(self.url_template, context)
        headers = {name: velocity.render(value, context) for name, value in self.headers.items()}
        body = velocity.render(self.request_template, context)
        return url, headers, body

    def execute(
        self,
        inputs: Mapping[str, Any],
        *,
        credentials: Mapping[str, Any] | None = None,
        session: requests.Session | None = None,
        timeout_s: float | None = None,
    ) -> DataActionResult:
        """Run the action once and report the ``callData`` outcome.

        Args:
            inputs: the action's input contract values (``handle``, ``channel``...).
            credentials: values for ``${credentials.x}`` references.
            session: a ``requests`` session to reuse connections.
            timeout_s: override the definition's ``timeoutSeconds`` (still capped at 60).

        Returns:
            The outcome; transport errors, non-2xx statuses, malformed JSON and missing
            translation values are failures, a slow endpoint is a timeout.
        """
        started = time.perf_counter()
        missing = [name for name in self.required_inputs if inputs.get(name) in (None, "")]
        if missing:
            return DataActionResult("failure", error=f"input.{missing[0]}: required input missing")
        limit = min(timeout_s or self.timeout_s, 60.0)
        url, headers, body = self.render_request(inputs, credentials)
        sender = session or requests
        try:
            response = sender.request(
                self.method,
                url,
                headers=headers,
                data=body.encode("utf-8") if self.method not in ("GET", "HEAD") else None,
                timeout=(limit, limit),
            )
        except requests.Timeout as exc:
            return DataActionResult(
                "timeout",
                error=f"timeout: {type(exc).__name__}",
                elapsed_s=time.perf_counter() - started,
            )
        except requests.RequestException as exc:
            return DataActionResult(
                "failure",
                error=f"transport: {type(exc).__name__}",
                elapsed_s=time.perf_counter() - started,
            )
        elapsed = time.perf_counter() - started
        if elapsed > limit:
            return DataActionResult(
                "timeout",
                status_code=response.status_code,
                error="timeout: response after the limit",
                elapsed_s=elapsed,
            )
        if not 200 <= response.status_code < 300:
            return DataActionResult(
                "failure",
                status_code=response.status_code,
                error=f"http status {response.status_code}",
                elapsed_s=elapsed,
            )
        return self._translate(response, elapsed)

    def _translate(self, response: requests.Response, elapsed: float) -> DataActionResult:
        status = response.status_code
        raw = response.text
        try:
            document = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            return DataActionResult(
                "failure", status_code=status, error="malformed JSON in response", elapsed_s=elapsed
            )
        context: dict[str, Any] = {"rawResult": raw}
        for key, expression in self.translation_map.items():
            matches = [m.value for m in jsonpath_parse(expression).find(document)]
            value = matches[0] if len(matches) == 1 else (matches or None)
            if value is not None:
                context[key] = _JsonText(json.dumps(value, ensure_ascii=False))
            elif key in self.translation_defaults:
                context[key] = _JsonText(self.translation_defaults[key])
            elif matches:
                context[key] = _JsonText("null")
            else:
                return DataActionResult(
                    "failure",
                    status_code=status,
                    error=f"translationMap.{key}: no value at {expression}",
                    elapsed_s=elapsed,
                )
        rendered = velocity.render(self.success_template, context)
        try:
            outputs = json.loads(rendered)
        except json.JSONDecodeError:
            return DataActionResult(
                "failure",
                status_code=status,
                error="successTemplate did not render valid JSON",
                elapsed_s=elapsed,
            )
        if not isinstance(outputs, dict):
            return DataActionResult(
                "failure",
                status_code=status,
                error="successTemplate must render a JSON object",
                elapsed_s=elapsed,
            )
        mismatch = _contract_mismatch(outputs, self.output_types)
        if mismatch is not None:
            return DataActionResult(
                "failure", status_code=status, error=mismatch, elapsed_s=elapsed
            )
        return DataActionResult("success", outputs=outputs, status_code=status, elapsed_s=elapsed)


class _JsonText(str):
    """A translation-map value already encoded as JSON text."""


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(name, value, "a JSON object")
    return value


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(name, value, "a string")
    return value


def _str_map(value: Any, name: str) -> dict[str, str]:
    mapping = _mapping(value, name)
    for key, item in mapping.items():
        if not isinstance(item, str):
            raise InvalidInput(f"{name}.{key}", item, "a string")
    return dict(mapping)


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}


def _contract(contract: Any) -> dict[str, Any]:
    """Required inputs and output property types from the action's ``contract``."""
    if not isinstance(contract, Mapping):
        return {}
    inputs = contract.get("input", {}).get("inputSchema", {})
    outputs = contract.get("output", {}).get("successSchema", {})
    required = tuple(str(name) for name in inputs.get("required", ()))
    types = {
        str(name): str(spec["type"])
        for name, spec in outputs.get("properties", {}).items()
        if isinstance(spec, Mapping) and spec.get("type") in _JSON_TYPES
    }
    return {"required_inputs": required, "output_types": types}


def _contract_mismatch(outputs: Mapping[str, Any], types: Mapping[str, str]) -> str | None:
    """Why ``outputs`` break the success schema, or ``None``; absent properties are allowed."""
    for name, kind in types.items():
        if name not in outputs:
            continue
        value = outputs[name]
        wrong_bool = isinstance(value, bool) and kind in ("number", "integer")
        if wrong_bool or not isinstance(value, _JSON_TYPES[kind]):
            return f"output {name}: {type(value).__name__} where the contract says {kind}"
    return None
