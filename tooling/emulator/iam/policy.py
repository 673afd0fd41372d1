"""IAM's decision for one principal, one action and one resource: small and pure.

moto (moto/iam/access_control.py) matches an identity policy's Action against the request but
checks every action except S3's against the resource "*" (so a policy naming resources allows
nothing), in effect ignores Condition in identity policies (no request key is set and a condition
on an absent key holds; where a key is set, a failed condition turns an Allow into a Deny),
matches actions case-sensitively, and knows neither NotResource, permissions boundaries, session
policies nor resource-based policies. Here is AWS's evaluation logic for a principal in
the resource's own account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):

1. an explicit Deny in any policy that applies (identity, permissions boundary, session, resource
   policy) denies;
2. a resource-based policy (bucket, queue, topic policy) that allows this principal by name
   allows, even without an identity policy;
3. otherwise an identity-based policy must allow, and so must the permissions boundary and the
   session policy when the principal has them;
4. for a KMS key and for sts:AssumeRole the resource policy (key policy, trust policy) is
   required: it must allow the principal by name, or allow the account (`arn:aws:iam::<id>:root`,
   which delegates to IAM) and then step 3 must allow too.

A statement applies when its Action/NotAction matches (case-insensitively), its
Resource/NotResource matches (case-sensitively, with policy variables), its
Principal/NotPrincipal matches (resource policies) and its Condition holds (conditions.py).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from tooling.emulator.iam.conditions import Context, holds, listed, lower_keys, substitute, wildcard

Document = str | Mapping[str, Any]


def load(document: Document) -> dict[str, Any]:
    """A policy document as IAM stores it (JSON, possibly URL-encoded) or already parsed."""
    if isinstance(document, Mapping):
        return dict(document)
    try:
        loaded = json.loads(document)
    except ValueError:
        loaded = json.loads(urllib.parse.unquote(document))
    return dict(loaded) if isinstance(loaded, dict) else {}


def statements(document: Document) -> list[Mapping[str, Any]]:
    return [s for s in listed(load(document).get("Statement")) if isinstance(s, Mapping)]


@dataclass(frozen=True)
class Principal:
    """Who makes a request and the policies IAM evaluates for them.

    `names` are the ARNs a resource policy may name to mean this principal (an IAM user's ARN; for
    a role session, the session ARN and the role ARN). `keys` are the principal's global condition
    keys (aws:username, aws:PrincipalArn, ...).
    """

    arn: str
    account: str
    kind: str  # "User", "AssumedRole", "Anonymous"
    names: tuple[str, ...] = ()
    policies: tuple[Document, ...] = ()
    boundary: Document | None = None
    session_policies: tuple[Document, ...] = ()
    keys: Mapping[str, str] = field(default_factory=dict)

    @property
    def anonymous(self) -> bool:
        return self.kind == "Anonymous"


class Match(Enum):
    NONE = 0
    ACCOUNT = 1  # the statement names the principal's account: it delegates to IAM
    DIRECT = 2  # the statement names this principal (or everyone)


def principal_match(element: Any, principal: Principal) -> Match:
    """How a resource policy's Principal element names `principal`."""
    if element == "*":
        return Match.DIRECT
    if not isinstance(element, Mapping):
        return Match.NONE
    best = Match.NONE
    for name in (text for text in listed(element.get("AWS")) if isinstance(text, str)):
        if name == "*" or name in principal.names:
            return Match.DIRECT
        if not principal.anonymous and name in (principal.account, f"arn:aws:iam::{principal.account}:root"):
            best = Match.ACCOUNT
    return best


def _matches_any(patterns: Iterable[Any], value: str, keys: Mapping[str, list[str]], *, ignore_case: bool) -> bool:
    for pattern in patterns:
        expanded = substitute(str(pattern), keys)
        if expanded is not None and wildcard(expanded, value, ignore_case=ignore_case):
            return True
    return False


def statement_applies(statement: Mapping[str, Any], action: str, resource: str, keys: Mapping[str, list[str]]) -> bool:
    """Action, Resource and Condition of one statement (Principal is the caller's business)."""
    if "NotAction" in statement:
        if _matches_any(listed(statement["NotAction"]), action, keys, ignore_case=True):
            return False
    elif not _matches_any(listed(statement.get("Action")), action, keys, ignore_case=True):
        return False
    if "NotResource" in statement:
        if _matches_any(listed(statement["NotResource"]), resource, keys, ignore_case=False):
            return False
    elif "Resource" in statement and not _matches_any(listed(statement["Resource"]), resource, keys, ignore_case=False):
        return False
    return holds(statement.get("Condition") or {}, keys)


@dataclass(frozen=True)
class Effects:
    """What a set of policies says about one request: any Deny, any Allow (by principal match)."""

    deny: bool = False
    allow: bool = False
    allow_account: bool = False


def identity_effects(
    documents: Iterable[Document], action: str, resource: str, keys: Mapping[str, list[str]]
) -> Effects:
    deny = allow = False
    for document in documents:
        for statement in statements(document):
            if statement_applies(statement, action, resource, keys):
                effect = statement.get("Effect")
                deny = deny or effect == "Deny"
                allow = allow or effect == "Allow"
    return Effects(deny, allow)


def resource_effects(
    document: Document | None, principal: Principal, action: str, resource: str, keys: Mapping[str, list[str]]
) -> Effects:
    if document is None:
        return Effects()
    deny = allow = allow_account = False
    for statement in statements(document):
        if "NotPrincipal" in statement:
            named = principal_match(statement["NotPrincipal"], principal) is not Match.NONE
            match = Match.NONE if named else Match.DIRECT
        else:
            match = principal_match(statement.get("Principal"), principal)
        if match is Match.NONE or not statement_applies(statement, action, resource, keys):
            continue
        if statement.get("Effect") == "Deny":
            deny = True
        elif statement.get("Effect") == "Allow":
            allow = allow or match is Match.DIRECT
            allow_account = allow_account or match is Match.ACCOUNT
    return Effects(deny, allow, allow_account)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    action: str
    resource: str
    reason: str  # how AWS words it after "because" / "with", e.g. "no identity-based policy allows"

    def message(self, principal_arn: str) -> str:
        """AWS's AccessDenied message for this decision."""
        tail = (
            f"with {self.reason}"
            if self.reason.startswith("an explicit")
            else f"because {self.reason} the {self.action} action"
        )
        return f"User: {principal_arn} is not authorized to perform: {self.action} on resource: {self.resource} {tail}"


@dataclass(frozen=True)
class ResourcePolicy:
    """A resource's own policy; `required` for KMS key policies and role trust policies."""

    document: Document | None
    required: bool = False


def decide(
    principal: Principal,
    action: str,
    resource: str,
    context: Context | None = None,
    resource_policy: ResourcePolicy | None = None,
) -> Decision:
    """IAM's decision for `principal` doing `action` on `resource` (same-account evaluation)."""
    keys = lower_keys({**principal.keys, **(context or {})})
    policy = resource_policy or ResourcePolicy(None)
    identity = identity_effects(principal.policies, action, resource, keys)
    boundary = identity_effects([principal.boundary], action, resource, keys) if principal.boundary else None
    session = (
        identity_effects(principal.session_policies, action, resource, keys) if principal.session_policies else None
    )
    owner = resource_effects(policy.document, principal, action, resource, keys)

    def verdict(allowed: bool, reason: str = "allowed") -> Decision:
        return Decision(allowed, action, resource, reason)

    if identity.deny:
        return verdict(False, "an explicit deny in an identity-based policy")
    if owner.deny:
        return verdict(False, "an explicit deny in a resource-based policy")
    if boundary is not None and boundary.deny:
        return verdict(False, "an explicit deny in a permissions boundary")
    if session is not None and session.deny:
        return verdict(False, "an explicit deny in a session policy")
    if owner.allow:
        return verdict(True)
    if policy.required and not owner.allow_account:
        return verdict(False, "no resource-based policy allows")
    if not identity.allow:
        return verdict(False, "no identity-based policy allows")
    if boundary is not None and not boundary.allow:
        return verdict(False, "no permissions boundary allows")
    if session is not None and not session.allow:
        return verdict(False, "no session policy allows")
    return verdict(True)


def decide_all(
    principal: Principal, checks: Sequence[tuple[str, str, Context, ResourcePolicy | None]]
) -> Decision | None:
    """The first denial among (action, resource, context, resource policy) checks; None if all are allowed."""
    for action, resource, context, resource_policy in checks:
        decision = decide(principal, action, resource, context, resource_policy)
        if not decision.allowed:
            return decision
    return None
