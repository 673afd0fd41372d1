"""The one layer that reads moto's stores for the authorizer: who an access key belongs to, the
policies that apply to them, resource policies, and the lookups resources.py needs.

The administrator: every client of the local stack signs with the fake credentials of
tooling.aws_env (access key "testing", secret "testing", session token "testing"). In enforcing
mode that key belongs to the IAM user ADMIN_USER, whose inline policy allows everything, so
Terraform, the demo and the tests run unchanged. moto would take any request carrying a session
token for a role session and reject the key; here the administrator's key is accepted with the
fake session token or without one. The user is created at server start and again whenever it is
missing (after `/moto-api/reset`).
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from moto.athena.models import athena_backends
from moto.core.utils import utcnow
from moto.iam.models import AccessKey, IAMBackend, ManagedPolicy, iam_backends
from moto.kms.models import kms_backends
from moto.s3.models import s3_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends
from moto.sts.models import sts_backends

from tooling import aws_env
from tooling.emulator.iam.policy import Document, Principal, ResourcePolicy
from tooling.emulator.iam.resources import Check

ADMIN_USER = "emulator-admin"
ADMIN_POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
ADMIN_KEY_ID = aws_env.ACCESS_KEY_ID
ADMIN_SECRET = aws_env.SECRET_ACCESS_KEY
ADMIN_SESSION_TOKEN = "testing"  # what tooling.aws_env.fake_env() sends  # noqa: S105
PARTITION = "aws"

_admin_lock = threading.Lock()


def _iam(account: str = aws_env.ACCOUNT_ID) -> IAMBackend:
    return iam_backends[account][PARTITION]


def ensure_admin() -> None:
    """Create the administrator (user, Allow * policy, the fake access key) if it is missing."""
    backend = _iam()
    if ADMIN_KEY_ID in backend.access_keys and ADMIN_USER in backend.users:
        return
    with _admin_lock:
        if ADMIN_USER not in backend.users:
            backend.create_user(region_name=aws_env.REGION, user_name=ADMIN_USER, path="/", tags=[])
        user = backend.users[ADMIN_USER]
        user.put_policy("AdministratorAccess", ADMIN_POLICY)
        if ADMIN_KEY_ID not in backend.access_keys:
            key = AccessKey(ADMIN_USER, prefix="AKIA", account_id=backend.account_id)  # type: ignore[abstract]
            key.access_key_id, key.secret_access_key = ADMIN_KEY_ID, ADMIN_SECRET
            user.access_keys.append(key)
            backend.access_keys[ADMIN_KEY_ID] = key


@dataclass(frozen=True)
class Identity:
    """An access key's owner: the principal, the secret to check signatures with, and the session
    token the request must carry (None: none allowed; "" for the administrator: any)."""

    principal: Principal
    secret: str
    session_token: str | None
    expired: bool = False
    active: bool = True


def _managed_document(policy: ManagedPolicy) -> str:
    for version in policy.versions:
        if getattr(version, "is_default", False):
            return str(version.document)
    return str(policy.versions[0].document) if policy.versions else "{}"


def _managed(backend: IAMBackend, arn: str | None) -> Document | None:
    if not arn:
        return None
    policy = backend.managed_policies.get(arn)
    return _managed_document(policy) if policy is not None else None


def _backends() -> Iterator[tuple[str, IAMBackend]]:
    for account, partitions in list(iam_backends.items()):
        backend = dict.get(partitions, PARTITION)
        if backend is not None:
            yield account, backend


def user_identity(backend: IAMBackend, user_name: str, key: AccessKey) -> Identity:
    user = backend.users[user_name]
    documents: list[Document] = [
        *user.policies.values(),
        *(_managed_document(p) for p in user.managed_policies.values()),
    ]
    for group in backend.get_groups_for_user(user_name):
        documents += [*group.policies.values(), *(_managed_document(p) for p in group.managed_policies.values())]
    keys = {
        "aws:username": user.name,
        "aws:userid": user.id,
        "aws:PrincipalArn": user.arn,
        "aws:PrincipalAccount": backend.account_id,
        "aws:PrincipalType": "User",
    }
    principal = Principal(user.arn, backend.account_id, "User", (user.arn,), tuple(documents), keys=keys)
    token = "" if key.access_key_id == ADMIN_KEY_ID else None
    return Identity(principal, key.secret_access_key, token, active=key.status == "Active")


def role_principal(account: str, role_arn: str, session_name: str, session_policy: str | None = None) -> Principal:
    """A session of `role_arn`: the role's inline and attached policies, its permissions boundary,
    and the session policy if any (an empty session when the role does not exist)."""
    backend = _iam(account)
    session_arn = f"arn:aws:sts::{account}:assumed-role/{role_arn.split('/')[-1]}/{session_name}"
    documents: list[Document] = []
    boundary = None
    keys = {
        "aws:PrincipalArn": role_arn,
        "aws:PrincipalAccount": account,
        "aws:PrincipalType": "AssumedRole",
        "aws:userid": f"{role_arn}:{session_name}",
    }
    try:
        role = backend.get_role_by_arn(role_arn)
    except Exception:  # moto's NotFoundException: the role was deleted, the session keeps nothing
        role = None
    if role is not None:
        documents = [*role.policies.values(), *(_managed_document(p) for p in role.managed_policies.values())]
        boundary = _managed(backend, role.permissions_boundary_arn)
        keys["aws:userid"] = f"{role.id}:{session_name}"
        for tag in role.tags or []:
            keys[f"aws:PrincipalTag/{tag['Key']}"] = tag["Value"]
    session = (session_policy,) if session_policy else ()
    return Principal(
        session_arn, account, "AssumedRole", (session_arn, role_arn), tuple(documents), boundary, session, keys
    )


def role_session_identity(account: str, assumed: Any) -> Identity:
    principal = role_principal(account, assumed.role_arn, assumed.session_name, assumed.policy)
    return Identity(principal, assumed.secret_access_key, assumed.session_token, expired=assumed.expiration < utcnow())


def identity_of(access_key_id: str) -> Identity | None:
    """Who owns an access key (administrator, IAM user, or role session); None if nobody does."""
    if access_key_id == ADMIN_KEY_ID:
        ensure_admin()
    for account, partitions in list(sts_backends.items()):
        sts = dict.get(partitions, PARTITION)
        for assumed in list(sts.assumed_roles if sts is not None else []):
            if assumed.access_key_id == access_key_id:
                return role_session_identity(account, assumed)
    for _, backend in _backends():
        key = backend.access_keys.get(access_key_id)
        if key is not None and key.user_name and key.user_name in backend.users:
            return user_identity(backend, key.user_name, key)
    return None


def anonymous(account: str = aws_env.ACCOUNT_ID) -> Principal:
    return Principal("anonymous", account, "Anonymous", keys={"aws:PrincipalType": "Anonymous"})


# ------------------------------------------------------------------------- resource policies


def _bucket(name: str) -> Any:
    for partitions in list(s3_backends.values()):
        backend = dict.get(partitions, PARTITION)
        bucket = backend.buckets.get(name) if backend is not None else None
        if bucket is not None:
            return bucket
    return None


def resource_policy(check: Check) -> ResourcePolicy | None:
    """The resource's own policy for this check: bucket, queue, topic, key or trust policy."""
    arn = check.resource
    parts = arn.split(":", 5)
    if len(parts) != 6 or arn == "*":
        return None
    service, region, account, resource = parts[2], parts[3], parts[4], parts[5]
    try:
        if service == "s3" and check.action.startswith("s3:"):
            bucket = _bucket(resource.split("/", 1)[0])
            policy = bucket.policy if bucket is not None else None
            return ResourcePolicy(policy.decode() if isinstance(policy, bytes) else policy)
        if service == "sqs" and check.action.startswith("sqs:"):
            queue = sqs_backends[account][region].queues.get(resource)
            return ResourcePolicy(queue.policy if queue is not None else None)
        if service == "sns" and check.action.startswith("sns:"):
            topic = sns_backends[account][region].topics.get(arn)
            return ResourcePolicy(topic.policy if topic is not None else None)
        if service == "kms" and check.action.startswith("kms:") and resource.startswith("key/"):
            key = kms_backends[account][region].keys.get(resource[4:])
            return ResourcePolicy(key.policy, required=True) if key is not None else None
        if service == "iam" and check.action in ("sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"):
            role = _iam(account).get_role_by_arn(arn)
            return ResourcePolicy(role.assume_role_policy_document, required=True)
    except Exception:
        return None
    return None


# ---------------------------------------------------------------------------------- lookups


class MotoLookups:
    """resources.Lookups over moto's backends; S3 objects are looked up in `account`."""

    def __init__(self, account: str) -> None:
        self.account = account

    def athena_execution_workgroup(self, account: str, region: str, execution_id: str) -> str | None:
        """The workgroup of a query the local Athena engine runs (athena/queries.py), else of moto's."""
        from tooling.emulator.athena import queries

        backend = athena_backends[account][region]
        run = queries.runs(backend).get(execution_id)
        if run is not None:
            return str(run.workgroup)
        execution = backend.executions.get(execution_id)
        workgroup = getattr(execution, "workgroup", None)
        return str(getattr(workgroup, "name", workgroup)) if workgroup else None

    def athena_named_query_workgroup(self, account: str, region: str, query_id: str) -> str | None:
        query = athena_backends[account][region].named_queries.get(query_id)
        workgroup = getattr(query, "workgroup", None)
        return str(getattr(workgroup, "name", workgroup)) if workgroup else None

    def kms_key_arn(self, account: str, region: str, key_id: str) -> str | None:
        backend = kms_backends[account][region]
        name = backend.get_alias_name(key_id)
        if name.startswith("alias/"):
            found = next((k for k in backend.keys.values() if name in k.aliases), None)
        else:
            found = backend.keys.get(backend.get_key_id(name))
        return str(found.arn) if found is not None else None

    def kms_key_of_ciphertext(self, account: str, region: str, ciphertext: str) -> str | None:
        from moto.kms.utils import _deserialize_ciphertext_blob

        try:
            key_id = _deserialize_ciphertext_blob(base64.b64decode(ciphertext)).key_id
        except Exception:
            return None
        return self.kms_key_arn(account, region, key_id)

    def iam_arn(self, account: str, kind: str, name: str) -> str | None:
        backend = _iam(account)
        try:
            if kind == "role":
                return str(backend.get_role(name).arn)
            if kind == "user":
                return str(backend.get_user(name).arn)
            if kind == "group":
                return str(backend.get_group(name).arn)
            if kind == "instance-profile":
                return str(backend.get_instance_profile(name).arn)
        except Exception:
            return None
        return None

    def s3_object_kms_key(self, bucket: str, key: str) -> str | None:
        found = _bucket(bucket)
        obj = found.keys.get(key) if found is not None else None
        if obj is None or not str(obj.encryption or "").startswith("aws:kms"):
            return None
        return str(obj.kms_key_id or "alias/aws/s3")

    def s3_bucket_kms_key(self, bucket: str) -> str | None:
        found = _bucket(bucket)
        rule = ((found.encryption or {}).get("Rule") or {}) if found is not None else {}
        default = rule.get("ApplyServerSideEncryptionByDefault") or {}
        if not str(default.get("SSEAlgorithm", "")).startswith("aws:kms"):
            return None
        return str(default.get("KMSMasterKeyID") or "alias/aws/s3")

    def s3_upload_kms_key(self, bucket: str, upload_id: str) -> str | None:
        found = _bucket(bucket)
        upload = found.multiparts.get(upload_id) if found is not None else None
        if upload is not None and upload.kms_key_id:
            return str(upload.kms_key_id)
        if upload is not None and str(getattr(upload, "sse_encryption", "") or "").startswith("aws:kms"):
            return "alias/aws/s3"
        return self.s3_bucket_kms_key(bucket)
