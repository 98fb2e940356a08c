"""Dotted paths into a scenario document, and pydantic errors as :class:`InvalidScenario`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator._scenario.base import TAGS
from simulator.errors import InvalidScenario


def index_of(node: Any, key: str) -> Any:
    """Step into a dict by key or a list by index or by an element's ``name``."""
    if isinstance(node, dict):
        return key if key in node else None
    if isinstance(node, list):
        if key.isdigit() and int(key) < len(node):
            return int(key)
        for i, item in enumerate(node):
            if isinstance(item, dict) and item.get("name") == key:
                return i
    return None


def path_exists(data: Any, keys: list[str]) -> bool:
    for key in keys:
        step = index_of(data, key)
        if step is None:
            return False
        data = data[step]
    return True


def set_path(data: Any, keys: list[str], value: Any) -> None:
    for depth, key in enumerate(keys):
        step = index_of(data, key)
        if step is None:
            raise InvalidScenario(".".join(keys[: depth + 1]), key, "a dotted path of the file")
        if depth == len(keys) - 1:
            data[step] = value
        else:
            data = data[step]


def translate(err: Mapping[str, Any], data: Any) -> InvalidScenario:
    loc = [str(p) for p in err["loc"] if not (isinstance(p, str) and p in TAGS)]
    ctx = err.get("ctx") or {}
    kind = err["type"]
    value = err.get("input")
    if kind == "unknown_key":
        loc.append(ctx["key"])
        value = value.get(ctx["key"]) if isinstance(value, Mapping) else ctx["key"]
        allowed = ctx["allowed"]
    elif kind == "missing":
        value, allowed = None, "a value (this key is required)"
    elif kind == "union_tag_invalid":
        loc.append("kind")
        value, allowed = ctx.get("tag"), "one of " + str(ctx.get("expected_tags"))
    elif kind == "union_tag_not_found":
        loc.append("kind")
        value, allowed = None, "a kind (the distribution's name)"
    elif "allowed" in ctx:
        if ctx.get("root"):
            loc = []
        if "field" in ctx:
            loc.extend(str(ctx["field"]).split("."))
        value = ctx.get("value", value)
        allowed = str(ctx["allowed"])
    else:
        message = str(err.get("msg", ""))
        allowed = message.removeprefix("Input should be ").removeprefix("Value error, ")
    return InvalidScenario(".".join(loc) or "(top level)", value, allowed)
