"""Authorization for the emulator's own engines: "may the caller do A on R?".

An engine that works on moto's stores in-process on behalf of a caller (the local Athena engine
reading table data and writing results, as AWS does with the caller's identity) asks here, with the
access key of the request that started the work; an engine that acts as a service role (a Glue
crawler reading its targets as its role) asks with the role's ARN instead:

    from tooling.emulator import iam

    key = iam.current_access_key()          # in the thread handling the request (e.g. StartQueryExecution)
    ...
    if not iam.authorize(key, "s3:GetObject", [iam.s3_object_arn(bucket, k)]):
        ...fail the query with iam.decide(...).message(...)

`who` below is an access key id (the administrator's, an IAM user's, a role session's) or a role
ARN (`arn:aws:iam::<account>:role/<name>`: a session of that role, as the service assuming it
would have).

- `authorize(who, action, resource_arns, context=None) -> bool`: True when every
  resource is allowed (True for everything when enforcement is off, so callers need no switch);
  `context` adds request condition keys, e.g. {"s3:prefix": "data/"} for s3:ListBucket.
- `decide(...) -> Decision`: the same, with the first denial's reason and AWS's message
  (`decision.message(principal_arn)`); `principal_arn(who)` names the caller.
- `current_access_key()`: the access key of the request being handled in this thread (set by the
  authorizer once a request is authenticated; None when enforcement is off or nothing is signed).
- `enforcing()`: whether EMULATOR_IAM=enforce is set for this server.
- `decide_s3(who, method, bucket, key=None, query=None, headers=None) -> Decision`: every
  check S3 itself would make for that request by the caller, e.g. ("GET", bucket, key) for reading
  an object (s3:GetObject, and kms:Decrypt through S3 when the object is SSE-KMS), ("GET", bucket,
  query={"list-type": "2", "prefix": p}) for listing (s3:ListBucket with s3:prefix), ("PUT",
  bucket, key, headers={"x-amz-server-side-encryption": "aws:kms"}) for writing a result
  (s3:PutObject with its condition keys, kms:GenerateDataKey for the bucket's or the named key).
- ARN helpers: `s3_object_arn`, `s3_bucket_arn`, `glue_table_arns` (catalog, database, table: all
  three must be allowed), `athena_workgroup_arn`.

An unknown access key is denied everything; a role ARN that names no role has no policies.
Resource policies (bucket, queue, topic, key, trust) take part exactly as for requests over the
wire.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from contextvars import ContextVar

from tooling import aws_env
from tooling.emulator.iam import moto_state
from tooling.emulator.iam.conditions import ContextValue
from tooling.emulator.iam.policy import Decision, Principal, decide_all
from tooling.emulator.iam.resources import Check, S3Request, s3_checks

SETTING = "EMULATOR_IAM"
ENFORCE = "enforce"
_current_key: ContextVar[str | None] = ContextVar("iam_current_access_key", default=None)


def enforcing() -> bool:
    """Whether this emulator authorizes requests (EMULATOR_IAM=enforce in its environment)."""
    return os.environ.get(SETTING, "").strip().lower() == ENFORCE


def current_access_key() -> str | None:
    """The access key of the request this thread is handling, once authenticated."""
    return _current_key.get()


def set_current_access_key(access_key_id: str | None) -> None:
    _current_key.set(access_key_id)


def evaluate(principal: Principal, checks: Sequence[Check]) -> Decision | None:
    """The first denial among `checks` for `principal` (resource policies looked up); None: allowed."""
    return decide_all(principal, [(c.action, c.resource, c.context, moto_state.resource_policy(c)) for c in checks])


def principal_of(who: str | None) -> Principal | None:
    """The principal behind an access key id, or a session of the role a role ARN names."""
    if who and who.startswith("arn:") and ":role/" in who:
        return moto_state.role_principal(who.split(":")[4], who, "emulator")
    identity = moto_state.identity_of(who) if who else None
    return identity.principal if identity is not None and identity.active and not identity.expired else None


def principal_arn(who: str | None) -> str:
    principal = principal_of(who)
    return principal.arn if principal is not None else "anonymous"


def decide(
    who: str | None, action: str, resource_arns: str | Sequence[str], context: Mapping[str, ContextValue] | None = None
) -> Decision:
    """IAM's decision for `who` (access key id or role ARN) doing `action` on every resource."""
    resources = [resource_arns] if isinstance(resource_arns, str) else list(resource_arns)
    first = resources[0] if resources else "*"
    if not enforcing():
        return Decision(True, action, first, "allowed")
    principal = principal_of(who)
    if principal is None:
        return Decision(False, action, first, "the access key is unknown, so no policy allows")
    denial = evaluate(principal, [Check(action, r, dict(context or {})) for r in resources or ["*"]])
    return denial or Decision(True, action, first, "allowed")


def authorize(
    who: str | None, action: str, resource_arns: str | Sequence[str], context: Mapping[str, ContextValue] | None = None
) -> bool:
    """Whether `who` (access key id or role ARN) may do `action` on every one of `resource_arns`."""
    return decide(who, action, resource_arns, context).allowed


def s3_bucket_arn(bucket: str) -> str:
    return f"arn:aws:s3:::{bucket}"


def s3_object_arn(bucket: str, key: str) -> str:
    return f"arn:aws:s3:::{bucket}/{key}"


def glue_table_arns(
    database: str, table: str, region: str = aws_env.REGION, account: str = aws_env.ACCOUNT_ID
) -> list[str]:
    """The catalog, database and table ARNs a Glue table action needs (names lowercased as Glue does)."""
    base, database, table = f"arn:aws:glue:{region}:{account}", database.lower(), table.lower()
    return [f"{base}:catalog", f"{base}:database/{database}", f"{base}:table/{database}/{table}"]


def athena_workgroup_arn(workgroup: str, region: str = aws_env.REGION, account: str = aws_env.ACCOUNT_ID) -> str:
    return f"arn:aws:athena:{region}:{account}:workgroup/{workgroup}"


def decide_s3(
    who: str | None,
    method: str,
    bucket: str,
    key: str | None = None,
    query: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    region: str = aws_env.REGION,
    account: str = aws_env.ACCOUNT_ID,
) -> Decision:
    """IAM's decision for the S3 request the caller would make (the same checks as over the wire)."""
    request = S3Request(
        method, bucket, key, dict(query or {}), {k.lower(): v for k, v in (headers or {}).items()}, region, account
    )
    checks = s3_checks(request, moto_state.MotoLookups(account))
    first = checks[0] if checks else Check("s3:GetObject", s3_bucket_arn(bucket))
    if not enforcing():
        return Decision(True, first.action, first.resource, "allowed")
    principal = principal_of(who)
    if principal is None:
        return Decision(False, first.action, first.resource, "the access key is unknown, so no policy allows")
    return evaluate(principal, checks) or Decision(True, first.action, first.resource, "allowed")
