"""The subset of Apache Velocity that Genesys Cloud Data Action templates use.

Supported, in request URL templates, header values, request templates and success
templates:

* references ``$input.x``, ``${input.x}``, quiet forms ``$!input.x`` and ``$!{input.x}``,
  dotted paths of any depth (``$input.user.id``);
* the escape tool: ``$esc.jsonString(ARG)`` and ``$esc.url(ARG)``, also braced
  (``${esc.jsonString(ARG)}``) or quiet, where ``ARG`` is a reference or a quoted literal;
* ``\\$`` for a literal dollar sign.

Rendering is a single pass: a substituted value is never scanned again, so a handle such
as ``${input.x}`` or ``#set`` sent by a user stays plain text. As in Velocity, an undefined
reference in the loud form renders as its own source text and in the quiet form as
nothing. Anything else (``#if``, ``#set``) is left as literal text; Genesys templates for
this project do not need it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

__all__ = ["MISSING", "json_string", "lookup", "render", "url_escape"]

_PATH = r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*"
_REF = rf"\$!?(?:\{{{_PATH}\}}|{_PATH})"
_LITERAL = r"\"(?:[^\"\\]|\\.)*\"|'[^']*'"
_ARG = rf"\s*(?P<arg>{_REF}|{_LITERAL})\s*"
_TOKEN = re.compile(
    r"(?P<escaped>\\\$)"
    rf"|\$(?P<quiet>!?)(?P<open>\{{?)esc\.(?P<tool>jsonString|url)\({_ARG}\)(?P<close>\}}?)"
    rf"|\$(?P<rquiet>!?)(?:\{{(?P<braced>{_PATH})\}}|(?P<bare>{_PATH}))"
)


class _Missing:
    """Sentinel for a reference that resolves to nothing."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def lookup(context: Mapping[str, Any], path: str) -> Any:
    """Resolve a dotted ``path`` in ``context``; :data:`MISSING` when any step is absent."""
    value: Any = context
    for part in path.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return MISSING
    return value


def to_text(value: Any) -> str:
    """Render a resolved value the way a Data Action template shows it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def json_string(text: str) -> str:
    """``$esc.jsonString``: escape ``text`` for use inside a JSON string (no quotes added)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def url_escape(text: str) -> str:
    """``$esc.url``: form-encode ``text`` in UTF-8 like Java's ``URLEncoder``."""
    return quote_plus(text, safe="*", encoding="utf-8")


def _argument(context: Mapping[str, Any], arg: str) -> Any:
    if arg[0] in "\"'":
        body = arg[1:-1]
        return json.loads(f'"{body}"') if arg[0] == '"' else body
    path = arg.lstrip("$!").strip("{}")
    return lookup(context, path)


def render(template: str, context: Mapping[str, Any]) -> str:
    """Render ``template`` against ``context`` in one pass.

    Args:
        template: Velocity source text.
        context: top-level names (``input``, ``credentials``, translation map keys).

    Returns:
        The rendered text. Substituted values are inserted verbatim and never re-parsed.
    """

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        if match["tool"]:
            if bool(match["open"]) != bool(match["close"]):
                return match[0]
            value = _argument(context, match["arg"])
            if value is MISSING or value is None:
                quiet = match["quiet"] or match["arg"].startswith("$!")
                return "" if quiet else match[0]
            text = to_text(value)
            return json_string(text) if match["tool"] == "jsonString" else url_escape(text)
        path = match["braced"] or match["bare"]
        value = lookup(context, path)
        if value is MISSING or value is None:
            return "" if match["rquiet"] else match[0]
        return to_text(value)

    return _TOKEN.sub(substitute, template)
