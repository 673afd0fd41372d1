"""What an EventBridge target receives: the event as delivered, or Input, InputPath or InputTransformer.

- The event: version, id, detail-type, source, account, time (ISO 8601, second precision), region,
  resources, detail; moto's internal `ingestion-time` is left out.
- Input: the constant text, as given.
- InputPath: the part of the event a JSONPath names (`$`, `$.detail`, `$.resources[0]`: dotted
  names and list indexes).
- InputTransformer: each `<name>` of InputPathsMap, and the reserved `<aws.events.rule-arn>`,
  `<aws.events.rule-name>`, `<aws.events.event.ingestion-time>` and `<aws.events.event.json>`,
  is replaced in InputTemplate. As EventBridge does: inside a JSON string the value goes in as
  text; outside one it goes in as JSON (a string with its quotes); a template that is plain text
  rather than JSON takes every value as text. A path that matches nothing gives null (empty text).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

ORDER = ("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail")
_PATH_PART = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\['([^']+)'\]")
_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.\-]+)>")


def iso(value: Any) -> str:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def as_delivered(event: dict[str, Any]) -> dict[str, Any]:
    """The event as EventBridge hands it to a target."""
    shaped = {k: event[k] for k in ORDER if k in event}
    shaped.update({k: v for k, v in event.items() if k not in ORDER and k != "ingestion-time"})
    if "time" in shaped:
        shaped["time"] = iso(shaped["time"])
    return shaped


def path_value(document: Any, path: str) -> Any:
    """The value a simple JSONPath names in `document`, or None."""
    if not path.startswith("$"):
        raise ValueError(f"not a JSONPath: {path!r}")
    rest, value = path[1:], document
    while rest:
        match = _PATH_PART.match(rest)
        if not match:
            raise ValueError(f"unsupported JSONPath: {path!r}")
        name, index, quoted = match.groups()
        if index is not None:
            value = value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
        else:
            value = value.get(name or quoted) if isinstance(value, dict) else None
        rest = rest[match.end() :]
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _inside_string(template: str, position: int) -> bool:
    inside, escaped = False, False
    for char in template[:position]:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            inside = not inside
    return inside


def apply_template(template: str, values: dict[str, Any]) -> str:
    """InputTemplate with every known placeholder replaced (see the module docstring)."""
    is_json = template.lstrip()[:1] in ("{", "[", '"')

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = values[name]
        if not is_json:
            return _text(value)
        if _inside_string(template, match.start()):
            return json.dumps(_text(value))[1:-1]
        return json.dumps(value)

    return _PLACEHOLDER.sub(replace, template)


def target_input(target: dict[str, Any], event: dict[str, Any], rule_arn: str, rule_name: str) -> str:
    """The text a target receives for a matched, delivered-shape event."""
    if target.get("Input") is not None:
        return str(target["Input"])
    if target.get("InputPath"):
        return json.dumps(path_value(event, str(target["InputPath"])))
    transformer = target.get("InputTransformer")
    if transformer:
        values = {name: path_value(event, path) for name, path in (transformer.get("InputPathsMap") or {}).items()}
        values.update(
            {
                "aws.events.rule-arn": rule_arn,
                "aws.events.rule-name": rule_name,
                "aws.events.event.ingestion-time": event.get("time"),
                "aws.events.event.json": event,
                "aws.events.event": event,
            }
        )
        return apply_template(str(transformer["InputTemplate"]), values)
    return json.dumps(event)


def json_or_text(text: str) -> Any:
    """A Lambda event from a target's text: its JSON value, or the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text
