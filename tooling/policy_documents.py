"""IAM policy documents in a line each, for the tests and benchmarks that create principals on the
emulator: `document(allow("s3:GetObject", arn), deny(...))`, `trust("lambda.amazonaws.com")`.

The module's own policies are written in HCL; nothing here builds them.
"""

from __future__ import annotations

import json
from typing import Any

VERSION = "2012-10-17"


def statement(effect: str, actions: str | list[str], resources: str | list[str], **condition: Any) -> dict[str, Any]:
    """One statement; keyword arguments are condition operators, e.g. StringEquals={...}."""
    made: dict[str, Any] = {"Effect": effect, "Action": actions, "Resource": resources}
    if condition:
        made["Condition"] = condition
    return made


def allow(actions: str | list[str], resources: str | list[str], **condition: Any) -> dict[str, Any]:
    return statement("Allow", actions, resources, **condition)


def deny(actions: str | list[str], resources: str | list[str], **condition: Any) -> dict[str, Any]:
    return statement("Deny", actions, resources, **condition)


def document(*statements: dict[str, Any]) -> str:
    """A policy document (JSON) holding `statements`."""
    return json.dumps({"Version": VERSION, "Statement": list(statements)})


def trust(service: str, **condition: Any) -> str:
    """A role trust policy: `service` (e.g. "glue.amazonaws.com") may assume the role."""
    assume: dict[str, Any] = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if condition:
        assume["Condition"] = condition
    return document(assume)


ADMINISTRATOR = document(allow("*", "*"))
