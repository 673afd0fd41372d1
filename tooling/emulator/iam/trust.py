"""Whether an AWS service may assume a role: the role's trust policy, as STS evaluates it when a
service (glue.amazonaws.com for a crawler, lambda.amazonaws.com for a function) asks for a session.

Services assume a role with their service principal, not with an IAM identity, so the evaluation
of policy.py (which names principals by ARN) does not answer it. Here a trust policy statement
applies to the service when its Principal is "*" or names the service under "Service" (a list or
a single value), or when it has a NotPrincipal that does not name the service; its Action must
match sts:AssumeRole and its Condition must hold for the keys the service sends (Glue and Lambda
send aws:SourceAccount and aws:SourceArn, which "confused deputy" conditions test). As for any
policy, an applying Deny wins and otherwise an applying Allow is needed.

`service_may_assume(document, service, context)` is the pure part; `role_trusts(role_arn,
service, context)` reads the role's trust policy from moto (False for a role that does not exist:
nothing can assume it); `service_can_assume(...)` is the question engines ask: always True when
enforcement is off, so callers need no switch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tooling.emulator.iam import api
from tooling.emulator.iam.conditions import Context, listed, lower_keys
from tooling.emulator.iam.policy import Document, statement_applies, statements

ASSUME_ROLE = "sts:AssumeRole"


def names_service(element: Any, service: str) -> bool:
    """Whether a Principal element names `service` (or everyone)."""
    if element == "*":
        return True
    if not isinstance(element, Mapping):
        return False
    return service in listed(element.get("Service")) or "*" in listed(element.get("AWS"))


def service_may_assume(document: Document, service: str, context: Context | None = None) -> bool:
    """Whether the trust policy `document` lets `service` assume the role."""
    keys = lower_keys(dict(context or {}))
    allowed = False
    for statement in statements(document):
        if "NotPrincipal" in statement:
            if names_service(statement["NotPrincipal"], service):
                continue
        elif not names_service(statement.get("Principal"), service):
            continue
        if not statement_applies(statement, ASSUME_ROLE, "*", keys):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def trust_policy(role_arn: str) -> str | None:
    """The trust policy of the role `role_arn` names, None if there is no such role."""
    from moto.iam.models import iam_backends

    parts = role_arn.split(":")
    if len(parts) < 6 or ":role/" not in role_arn:
        return None
    try:
        role = iam_backends[parts[4]]["aws"].get_role_by_arn(role_arn)
    except Exception:  # moto's NotFoundException
        return None
    document = role.assume_role_policy_document
    return str(document) if document is not None else None


def role_trusts(role_arn: str, service: str, context: Context | None = None) -> bool:
    """Whether `service` may assume the role `role_arn` (an existing role whose trust policy allows it)."""
    document = trust_policy(role_arn)
    return document is not None and service_may_assume(document, service, context)


def service_can_assume(role_arn: str, service: str, context: Context | None = None) -> bool:
    """`role_trusts` when EMULATOR_IAM=enforce, True otherwise."""
    return not api.enforcing() or role_trusts(role_arn, service, context)
