"""Whether a role lets EventBridge Scheduler act: IAM policy evaluation for one principal.

moto evaluates policies only for signed requests when told to authorize, and its condition support
is StringEquals alone, so a schedule's execution role (trust policy with aws:SourceArn and
aws:SourceAccount conditions, an identity policy allowing lambda:InvokeFunction) could not be
checked with it. This is IAM's rule for one principal and its policies, small and pure:
an explicit Deny wins; otherwise some Allow must match the action, the resource, the principal
(trust policies) and every condition.

Conditions: String(Not)Equals, String(Not)EqualsIgnoreCase, String(Not)Like, Arn(Not)Equals,
Arn(Not)Like and Bool, each also with IfExists. A statement with any other operator is taken as
not applying (an Allow then allows nothing, which shows as a denial rather than a silent pass).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

Document = str | Mapping[str, Any]


def load(document: Document) -> dict[str, Any]:
    """A policy document as IAM stores it (JSON, possibly URL-encoded) or already parsed."""
    if isinstance(document, Mapping):
        return dict(document)
    try:
        loaded = json.loads(document)
    except ValueError:
        loaded = json.loads(urllib.parse.unquote(document))
    return dict(loaded)


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _wildcard(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def _matches_any(patterns: Iterable[str], value: str, *, ignore_case: bool = False) -> bool:
    return any(_wildcard(p, value, ignore_case=ignore_case) for p in patterns)


def _operator_holds(operator: str, expected: list[str], actual: str) -> bool | None:
    """Whether one condition operator holds for a present key; None for an unknown operator."""
    positive = operator.replace("Not", "", 1) if operator.startswith(("StringNot", "ArnNot")) else operator
    if positive in ("StringEquals", "ArnEquals"):
        hit = actual in expected
    elif positive == "StringEqualsIgnoreCase":
        hit = actual.lower() in (e.lower() for e in expected)
    elif positive in ("StringLike", "ArnLike"):
        hit = _matches_any(expected, actual)
    elif positive == "Bool":
        hit = actual.lower() in (e.lower() for e in expected)
    else:
        return None
    return (not hit) if positive != operator else hit


def conditions_hold(conditions: Mapping[str, Mapping[str, Any]], context: Mapping[str, str]) -> bool | None:
    """Whether every condition holds in `context`; None when an operator is not supported."""
    keys = {k.lower(): v for k, v in context.items()}
    for operator, tests in conditions.items():
        base = operator.removesuffix("IfExists")
        for key, expected in tests.items():
            actual = keys.get(key.lower())
            if actual is None:
                if operator.endswith("IfExists") or "Not" in base:
                    continue
                return False
            holds = _operator_holds(base, [str(e) for e in _listed(expected)], actual)
            if holds is None:
                return None
            if not holds:
                return False
    return True


def _principal_matches(principal: Any, service: str | None) -> bool:
    if service is None:
        return principal is None
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    return service in _listed(principal.get("Service")) or "*" in _listed(principal.get("AWS"))


def statement_applies(
    statement: Mapping[str, Any], action: str, resource: str, service: str | None, context: Mapping[str, str]
) -> bool:
    if "NotAction" in statement:
        if _matches_any(_listed(statement["NotAction"]), action, ignore_case=True):
            return False
    elif not _matches_any(_listed(statement.get("Action")), action, ignore_case=True):
        return False
    if "NotResource" in statement:
        if _matches_any(_listed(statement["NotResource"]), resource):
            return False
    elif "Resource" in statement and not _matches_any(_listed(statement["Resource"]), resource):
        return False
    if service is not None and not _principal_matches(statement.get("Principal"), service):
        return False
    return conditions_hold(statement.get("Condition") or {}, context) is True


def allows(
    documents: Iterable[Document],
    action: str,
    resource: str,
    *,
    service: str | None = None,
    context: Mapping[str, str] | None = None,
) -> bool:
    """IAM's decision for `action` on `resource` under `documents`.

    `service` is the calling service principal for a trust (resource) policy, None for identity
    policies; `context` holds condition keys such as aws:SourceArn.
    """
    allowed = False
    for document in documents:
        for statement in _listed(load(document).get("Statement")):
            if not statement_applies(statement, action, resource, service, context or {}):
                continue
            if statement.get("Effect") == "Deny":
                return False
            if statement.get("Effect") == "Allow":
                allowed = True
    return allowed
