"""IAM policy conditions and wildcards, as AWS evaluates them: small pure functions.

moto's conditions (moto/iam/policy_conditions.py) see only sts:ExternalId, from trust
policies; for identity policies no key is set and a condition on an absent key holds, so every
condition passed. Here every
operator of the IAM reference is evaluated against a request context (condition key -> one value
or a list of values, keys compared case-insensitively):

- String(Not)Equals, String(Not)EqualsIgnoreCase, String(Not)Like;
- Numeric(Not)Equals, NumericLessThan(Equals), NumericGreaterThan(Equals);
- Date(Not)Equals, DateLessThan(Equals), DateGreaterThan(Equals) (ISO 8601 or epoch seconds);
- Bool, BinaryEquals, IpAddress, NotIpAddress, Arn(Not)Equals, Arn(Not)Like (segment by segment);
- Null (true: the key is absent);
- the `...IfExists` suffix (an absent key satisfies the condition) and the `ForAnyValue:` and
  `ForAllValues:` set qualifiers;
- policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${*}`, `${?}`, `${$}`, and a
  default as in `${aws:username, 'none'}`) in condition values, and (policy.py) in Resource.

AWS rules kept: every operator block and every key in it must hold (AND); the values listed for
one key are alternatives (OR); a key absent from the request makes a positive operator false and a
negated one (StringNotEquals, NotIpAddress, ...) true; ForAllValues is true for an absent key,
ForAnyValue false. An operator IAM does not know makes the condition false (AWS would have
refused the policy when it was written), so an Allow using it allows nothing.
"""

from __future__ import annotations

import base64
import functools
import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

ContextValue = str | Sequence[str]
Context = Mapping[str, ContextValue]

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_SPECIAL = {"*": "*", "?": "?", "$": "$"}


def listed(value: Any) -> list[Any]:
    """A policy element's value as a list (IAM allows a single value or a list)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def text(value: Any) -> str:
    """A JSON policy value as IAM reads it: booleans lowercase, numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def lower_keys(context: Context) -> dict[str, list[str]]:
    """The context with lowercase keys and every value as a list."""
    return {k.lower(): ([v] if isinstance(v, str) else list(v)) for k, v in context.items()}


@functools.lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def wildcard(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's `*` (any run of characters, `/` and `:` included) and `?` (one character) match."""
    if pattern == "*":
        return True
    return _glob(pattern, ignore_case).fullmatch(value) is not None


def substitute(template: str, keys: Mapping[str, list[str]]) -> str | None:
    """`template` with its policy variables replaced; None when a variable has no value and no
    default (AWS then treats the element as not matching)."""
    if "${" not in template:
        return template
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        name, _, default = match.group(1).partition(",")
        name = name.strip()
        if name in _SPECIAL:
            return _SPECIAL[name]
        values = keys.get(name.lower())
        if values and len(values) == 1:
            return values[0]
        if default.strip():
            return default.strip().strip("'")
        missing = True
        return ""

    result = _VARIABLE.sub(replace, template)
    return None if missing else result


def arn_like(pattern: str, value: str) -> bool:
    """ArnLike: the six colon-separated segments are matched one by one, the last keeping its colons."""
    wanted = pattern.split(":", 5)
    actual = value.split(":", 5)
    if len(wanted) != 6 or len(actual) != 6:
        return wildcard(pattern, value)
    return all(wildcard(w, a) for w, a in zip(wanted, actual, strict=True))


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _date(value: str) -> datetime | None:
    number = _number(value)
    if number is not None:
        return datetime.fromtimestamp(number, UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _ip(expected: str, actual: str) -> bool:
    try:
        return ipaddress.ip_address(actual) in ipaddress.ip_network(expected, strict=False)
    except ValueError:
        return False


def _compare(parse: Callable[[str], Any], test: Callable[[Any, Any], bool]) -> Callable[[str, str], bool]:
    def check(expected: str, actual: str) -> bool:
        e, a = parse(expected), parse(actual)
        return e is not None and a is not None and bool(test(a, e))

    return check


# operator (without Not/IfExists/qualifier) -> does `actual` match one `expected` value
_MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda e, a: e == a,
    "StringEqualsIgnoreCase": lambda e, a: e.lower() == a.lower(),
    "StringLike": lambda e, a: wildcard(e, a),
    "NumericEquals": _compare(_number, lambda a, e: a == e),
    "NumericLessThan": _compare(_number, lambda a, e: a < e),
    "NumericLessThanEquals": _compare(_number, lambda a, e: a <= e),
    "NumericGreaterThan": _compare(_number, lambda a, e: a > e),
    "NumericGreaterThanEquals": _compare(_number, lambda a, e: a >= e),
    "DateEquals": _compare(_date, lambda a, e: a == e),
    "DateLessThan": _compare(_date, lambda a, e: a < e),
    "DateLessThanEquals": _compare(_date, lambda a, e: a <= e),
    "DateGreaterThan": _compare(_date, lambda a, e: a > e),
    "DateGreaterThanEquals": _compare(_date, lambda a, e: a >= e),
    "Bool": lambda e, a: e.lower() == a.lower(),
    "BinaryEquals": lambda e, a: base64.b64decode(e) == base64.b64decode(a),
    "IpAddress": _ip,
    "ArnEquals": lambda e, a: e == a,
    "ArnLike": arn_like,
}
# Negated operators and the positive operator they negate.
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def split_operator(operator: str) -> tuple[str | None, str, bool]:
    """(set qualifier or None, base operator, IfExists) of a condition operator."""
    qualifier = None
    for prefix in ("ForAnyValue:", "ForAllValues:"):
        if operator.lower().startswith(prefix.lower()):
            qualifier, operator = prefix[:-1], operator[len(prefix) :]
    if_exists = operator.endswith("IfExists")
    return qualifier, operator.removesuffix("IfExists"), if_exists


def _one_matches(base: str, expected: Iterable[str], actual: str) -> bool | None:
    """Whether `actual` matches any expected value under `base` (negations applied); None if unknown."""
    positive = _NEGATED.get(base, base)
    matcher = _MATCHERS.get(positive)
    if matcher is None:
        return None
    hit = any(matcher(e, actual) for e in expected)
    return not hit if positive != base else hit


def key_holds(
    operator: str, expected_values: Sequence[Any], actual: list[str] | None, keys: Mapping[str, list[str]]
) -> bool:
    """One operator/key pair of a Condition block against the request's values for that key."""
    qualifier, base, if_exists = split_operator(operator)
    if base == "Null":
        wants_absent = any(text(v).lower() == "true" for v in expected_values)
        return (actual is None) == wants_absent
    expected = [s for s in (substitute(text(v), keys) for v in expected_values) if s is not None]
    if not actual:
        if qualifier == "ForAllValues":
            return True
        if qualifier == "ForAnyValue":
            return False
        return if_exists or base in _NEGATED
    results = [_one_matches(base, expected, value) for value in actual]
    if any(r is None for r in results):
        return False
    if qualifier == "ForAllValues":
        return all(results)
    if qualifier == "ForAnyValue" or base not in _NEGATED:
        return any(results)
    return all(results)  # a negated operator on a multi-valued key: no value may match


def holds(condition: Mapping[str, Mapping[str, Any]], keys: Mapping[str, list[str]]) -> bool:
    """Whether a statement's whole Condition element holds for the context `keys` (lower_keys())."""
    for operator, tests in condition.items():
        for key, expected in tests.items():
            if not key_holds(operator, listed(expected), keys.get(key.lower()), keys):
                return False
    return True
