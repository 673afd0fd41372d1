"""The IAM authorizer's pure parts: conditions, policy evaluation, and what each call is authorized
as; and the in-process `authorize()` the emulator's engines ask."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tooling.emulator.iam import conditions, policy, resources
from tooling.emulator.iam.policy import Principal, ResourcePolicy
from tooling.emulator.iam.resources import Call, Check, NoLookups, S3Request
from tooling.policy_documents import document

ACCOUNT = "123456789012"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
GLUE = f"arn:aws:glue:us-east-1:{ACCOUNT}"


def keys(**values: Any) -> dict[str, list[str]]:
    return conditions.lower_keys({k.replace("__", ":"): v for k, v in values.items()})


@pytest.mark.parametrize(
    ("operator", "expected", "context", "holds"),
    [
        ("StringEquals", "a", {"k": "a"}, True),
        ("StringEquals", "a", {"k": "A"}, False),
        ("StringEquals", ["x", "a"], {"k": "a"}, True),
        ("StringEquals", "a", {}, False),
        ("StringNotEquals", "a", {"k": "b"}, True),
        ("StringNotEquals", "a", {}, True),  # a negated operator holds for an absent key
        ("StringEqualsIfExists", "a", {}, True),
        ("StringEqualsIfExists", "a", {"k": "b"}, False),
        ("StringEqualsIgnoreCase", "ABC", {"k": "abc"}, True),
        ("StringLike", "data/*", {"k": "data/x/y.csv"}, True),
        ("StringLike", "data/?", {"k": "data/xy"}, False),
        ("StringNotLike", "data/*", {"k": "private/x"}, True),
        ("NumericLessThan", "10", {"k": "9"}, True),
        ("NumericGreaterThanEquals", "10", {"k": "9"}, False),
        ("NumericEquals", "10", {"k": "ten"}, False),
        ("DateLessThan", "2030-01-01T00:00:00Z", {"k": "2029-12-31T23:59:59Z"}, True),
        ("DateGreaterThan", "2030-01-01T00:00:00Z", {"k": "1893456000"}, False),  # epoch 2030-01-01 itself
        ("Bool", True, {"k": "true"}, True),
        ("Bool", "false", {"k": "true"}, False),
        ("IpAddress", "127.0.0.0/8", {"k": "127.0.0.1"}, True),
        ("NotIpAddress", "10.0.0.0/8", {"k": "127.0.0.1"}, True),
        ("ArnLike", "arn:aws:s3:::bucket/*", {"k": "arn:aws:s3:::bucket/a/b"}, True),
        ("ArnLike", "arn:aws:sqs:*:123456789012:q-*", {"k": "arn:aws:sqs:eu-west-1:123456789012:q-1"}, True),
        ("ArnEquals", "arn:aws:sqs:us-east-1:123456789012:q", {"k": "arn:aws:sqs:us-east-1:123456789012:r"}, False),
        ("ArnNotLike", "arn:aws:events:*:*:rule/a", {"k": "arn:aws:events:us-east-1:1:rule/b"}, True),
        ("Null", "true", {}, True),
        ("Null", "false", {}, False),
        ("Null", "false", {"k": "x"}, True),
        ("ForAnyValue:StringEquals", ["a", "b"], {"k": ["c", "b"]}, True),
        ("ForAnyValue:StringEquals", ["a"], {}, False),
        ("ForAllValues:StringEquals", ["a", "b"], {"k": ["a", "c"]}, False),
        ("ForAllValues:StringEquals", ["a", "b"], {}, True),
        ("StringEquals", "${aws:username}", {"k": "alice", "aws:username": "alice"}, True),
        ("StringEquals", "${aws:username, 'nobody'}", {"k": "nobody"}, True),
        ("MadeUpOperator", "a", {"k": "a"}, False),
    ],
)
def test_a_condition_operator_holds_as_iam_evaluates_it(
    operator: str, expected: Any, context: dict[str, Any], holds: bool
) -> None:
    assert conditions.holds({operator: {"k": expected}}, conditions.lower_keys(context)) is holds


def test_condition_keys_are_compared_without_case_and_every_block_must_hold() -> None:
    condition = {"StringEquals": {"S3:Prefix": "data/"}, "Bool": {"aws:SecureTransport": "true"}}

    assert conditions.holds(condition, keys(s3__prefix="data/", aws__SecureTransport="true"))
    assert not conditions.holds(condition, keys(s3__prefix="data/", aws__SecureTransport="false"))


def principal(
    *statements: dict[str, Any],
    boundary: list[dict[str, Any]] | None = None,
    session: list[dict[str, Any]] | None = None,
) -> Principal:
    return Principal(
        USER,
        ACCOUNT,
        "User",
        (USER,),
        (document(*statements),),
        document(*boundary) if boundary is not None else None,
        (document(*session),) if session is not None else (),
        {"aws:username": "alice"},
    )


def allows(
    who: Principal,
    action: str,
    resource: str,
    context: dict[str, Any] | None = None,
    resource_policy: ResourcePolicy | None = None,
) -> bool:
    return policy.decide(who, action, resource, context, resource_policy).allowed


TABLE = f"{GLUE}:table/sales/orders"


def test_actions_match_without_case_and_resources_with_wildcards() -> None:
    alice = principal({"Effect": "Allow", "Action": "Glue:get*", "Resource": f"{GLUE}:table/sales/*"})

    assert allows(alice, "glue:GetTable", TABLE)
    assert not allows(alice, "glue:DeleteTable", TABLE)
    assert not allows(alice, "glue:GetTable", f"{GLUE}:table/hr/salaries")
    assert not allows(alice, "glue:GetTable", "*")  # moto checked everything against "*"


def test_an_explicit_deny_wins_and_not_action_and_not_resource_invert_the_match() -> None:
    alice = principal(
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "glue:*", "NotResource": f"{GLUE}:table/sales/*"},
    )

    assert allows(alice, "glue:GetTable", TABLE)
    assert not allows(alice, "glue:GetTable", f"{GLUE}:table/hr/salaries")
    assert not allows(alice, "iam:ListUsers", "*")
    decision = policy.decide(alice, "glue:GetTable", f"{GLUE}:table/hr/salaries")
    assert decision.message(USER).endswith("with an explicit deny in an identity-based policy")


def test_an_allow_whose_condition_fails_only_fails_to_allow() -> None:
    alice = principal(
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::b",
            "Condition": {"StringLike": {"s3:prefix": "data/*"}},
        },
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::b",
            "Condition": {"StringEquals": {"s3:prefix": ""}},
        },
    )

    assert allows(alice, "s3:ListBucket", "arn:aws:s3:::b", {"s3:prefix": "data/x"})
    assert allows(alice, "s3:ListBucket", "arn:aws:s3:::b", {"s3:prefix": ""})
    assert not allows(alice, "s3:ListBucket", "arn:aws:s3:::b", {"s3:prefix": "private/"})


def test_policy_variables_in_a_resource_name_the_caller() -> None:
    alice = principal({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"})

    assert allows(alice, "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt")
    assert not allows(alice, "s3:GetObject", "arn:aws:s3:::home/bob/notes.txt")


def test_a_permissions_boundary_and_a_session_policy_both_limit_what_the_identity_allows() -> None:
    everything = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    glue_only = [{"Effect": "Allow", "Action": "glue:*", "Resource": "*"}]

    assert not allows(principal(everything, boundary=glue_only), "s3:GetObject", "arn:aws:s3:::b/k")
    assert allows(principal(everything, boundary=glue_only), "glue:GetTable", TABLE)
    assert not allows(principal(everything, session=glue_only), "s3:GetObject", "arn:aws:s3:::b/k")
    assert not allows(
        principal({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, session=glue_only), "glue:GetTable", TABLE
    )


def resource_policy(
    principal_element: Any, effect: str = "Allow", required: bool = False, **extra: Any
) -> ResourcePolicy:
    return ResourcePolicy(
        document({"Effect": effect, "Principal": principal_element, "Action": "*", "Resource": "*", **extra}), required
    )


def test_a_resource_policy_naming_the_principal_allows_without_an_identity_policy() -> None:
    nobody = principal()

    assert allows(nobody, "s3:GetObject", "arn:aws:s3:::b/k", resource_policy=resource_policy({"AWS": USER}))
    assert allows(nobody, "s3:GetObject", "arn:aws:s3:::b/k", resource_policy=resource_policy("*"))
    assert not allows(
        nobody,
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        resource_policy=resource_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
    )
    assert not allows(
        principal({"Effect": "Allow", "Action": "*", "Resource": "*"}),
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        resource_policy=resource_policy({"AWS": "*"}, "Deny"),
    )


def test_a_deny_with_not_principal_spares_only_the_principals_it_names() -> None:
    admin = principal({"Effect": "Allow", "Action": "*", "Resource": "*"})
    sparing_alice = ResourcePolicy(
        document({"Effect": "Deny", "NotPrincipal": {"AWS": USER}, "Action": "*", "Resource": "*"})
    )
    sparing_bob = ResourcePolicy(
        document({"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::1:user/bob"}, "Action": "*", "Resource": "*"})
    )

    assert allows(admin, "s3:GetObject", "arn:aws:s3:::b/k", resource_policy=sparing_alice)
    assert not allows(admin, "s3:GetObject", "arn:aws:s3:::b/k", resource_policy=sparing_bob)


def test_a_key_policy_is_required_directly_or_by_delegating_to_the_account() -> None:
    admin = principal({"Effect": "Allow", "Action": "*", "Resource": "*"})
    nobody = principal()
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"

    assert allows(admin, "kms:Decrypt", key, resource_policy=resource_policy({"AWS": ACCOUNT}, required=True))
    assert not allows(nobody, "kms:Decrypt", key, resource_policy=resource_policy({"AWS": ACCOUNT}, required=True))
    assert allows(nobody, "kms:Decrypt", key, resource_policy=resource_policy({"AWS": USER}, required=True))
    denied = policy.decide(
        admin, "kms:Decrypt", key, None, resource_policy({"AWS": "arn:aws:iam::1:role/other"}, required=True)
    )
    assert not denied.allowed
    assert denied.reason == "no resource-based policy allows"


def call(service: str, operation: str, path: str = "/", query: dict[str, str] | None = None, **params: Any) -> Call:
    return Call(service, operation, "us-east-1", ACCOUNT, params, path, query or {})


def checked(service: str, operation: str, lookups: Any = None, **kwargs: Any) -> list[tuple[str, str]]:
    found = resources.checks_for(call(service, operation, **kwargs), lookups or NoLookups())
    return [(c.action, c.resource) for c in found]


@pytest.mark.parametrize(
    ("service", "operation", "kwargs", "expected"),
    [
        (
            "glue",
            "GetTable",
            {"DatabaseName": "Sales", "Name": "Orders"},
            [
                ("glue:GetTable", f"{GLUE}:catalog"),
                ("glue:GetTable", f"{GLUE}:database/sales"),
                ("glue:GetTable", f"{GLUE}:table/sales/orders"),
            ],
        ),
        (
            "glue",
            "CreateTable",
            {"DatabaseName": "sales", "TableInput": {"Name": "t"}},
            [
                ("glue:CreateTable", f"{GLUE}:catalog"),
                ("glue:CreateTable", f"{GLUE}:database/sales"),
                ("glue:CreateTable", f"{GLUE}:table/sales/t"),
            ],
        ),
        (
            "glue",
            "BatchGetPartition",
            {"DatabaseName": "sales", "TableName": "t"},
            [
                ("glue:BatchGetPartition", f"{GLUE}:catalog"),
                ("glue:BatchGetPartition", f"{GLUE}:database/sales"),
                ("glue:BatchGetPartition", f"{GLUE}:table/sales/t"),
            ],
        ),
        (
            "glue",
            "GetTables",
            {"DatabaseName": "sales"},
            [
                ("glue:GetTables", f"{GLUE}:catalog"),
                ("glue:GetTables", f"{GLUE}:database/sales"),
                ("glue:GetTables", f"{GLUE}:table/sales/*"),
            ],
        ),
        (
            "glue",
            "GetDatabases",
            {},
            [("glue:GetDatabases", f"{GLUE}:catalog"), ("glue:GetDatabases", f"{GLUE}:database/*")],
        ),
        (
            "glue",
            "GetTable",
            {"CatalogId": "111122223333", "DatabaseName": "d", "Name": "t"},
            [
                ("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:catalog"),
                ("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:database/d"),
                ("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:table/d/t"),
            ],
        ),
        ("glue", "StartCrawler", {"Name": "c"}, [("glue:StartCrawler", f"{GLUE}:crawler/c")]),
        ("glue", "ListCrawls", {"CrawlerName": "c"}, [("glue:ListCrawls", f"{GLUE}:crawler/c")]),
        ("glue", "GetCrawlerMetrics", {"CrawlerNameList": ["c"]}, [("glue:GetCrawlerMetrics", "*")]),
        (
            "glue",
            "CreateCrawler",
            {"Name": "c", "Role": "crawler-role"},
            [
                ("glue:CreateCrawler", f"{GLUE}:crawler/c"),
                ("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/crawler-role"),
            ],
        ),
        (
            "athena",
            "StartQueryExecution",
            {"WorkGroup": "wg"},
            [("athena:StartQueryExecution", f"arn:aws:athena:us-east-1:{ACCOUNT}:workgroup/wg")],
        ),
        (
            "athena",
            "ListQueryExecutions",
            {},
            [("athena:ListQueryExecutions", f"arn:aws:athena:us-east-1:{ACCOUNT}:workgroup/primary")],
        ),
        (
            "lambda",
            "Invoke",
            {"path": "/2015-03-31/functions/fn/invocations"},
            [("lambda:InvokeFunction", f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn")],
        ),
        (
            "lambda",
            "Invoke",
            {"path": "/2015-03-31/functions/fn/invocations", "query": {"Qualifier": "live"}},
            [("lambda:InvokeFunction", f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn:live")],
        ),
        (
            "lambda",
            "Invoke",
            {"path": f"/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A{ACCOUNT}%3Afunction%3Afn/invocations"},
            [("lambda:InvokeFunction", f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn")],
        ),
        (
            "lambda",
            "CreateFunction",
            {"path": "/2015-03-31/functions", "FunctionName": "fn", "Role": "arn:aws:iam::1:role/r"},
            [
                ("lambda:CreateFunction", f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn"),
                ("iam:PassRole", "arn:aws:iam::1:role/r"),
            ],
        ),
        (
            "sqs",
            "SendMessageBatch",
            {"QueueUrl": f"http://127.0.0.1:5000/{ACCOUNT}/q"},
            [("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{ACCOUNT}:q")],
        ),
        ("sqs", "GetQueueUrl", {"QueueName": "q"}, [("sqs:GetQueueUrl", f"arn:aws:sqs:us-east-1:{ACCOUNT}:q")]),
        ("sqs", "ListQueues", {}, [("sqs:ListQueues", "*")]),
        (
            "sns",
            "Unsubscribe",
            {"SubscriptionArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:t:1234"},
            [("sns:Unsubscribe", f"arn:aws:sns:us-east-1:{ACCOUNT}:t")],
        ),
        (
            "sns",
            "PublishBatch",
            {"TopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:t"},
            [("sns:Publish", f"arn:aws:sns:us-east-1:{ACCOUNT}:t")],
        ),
        ("kms", "Encrypt", {"KeyId": "alias/data"}, [("kms:Encrypt", f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/data")]),
        ("kms", "Decrypt", {"KeyId": "1234"}, [("kms:Decrypt", f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234")]),
        (
            "logs",
            "PutLogEvents",
            {"logGroupName": "/aws/lambda/fn", "logStreamName": "s"},
            [("logs:PutLogEvents", f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/fn:log-stream:s")],
        ),
        (
            "logs",
            "FilterLogEvents",
            {"logGroupName": "/aws/lambda/fn"},
            [("logs:FilterLogEvents", f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/fn:log-stream:")],
        ),
        ("lakeformation", "GetDataAccess", {"TableArn": TABLE}, [("lakeformation:GetDataAccess", "*")]),
        (
            "sts",
            "AssumeRole",
            {"RoleArn": "arn:aws:iam::1:role/r", "RoleSessionName": "s"},
            [("sts:AssumeRole", "arn:aws:iam::1:role/r")],
        ),
        ("iam", "PutRolePolicy", {"RoleName": "r"}, [("iam:PutRolePolicy", f"arn:aws:iam::{ACCOUNT}:role/r")]),
        (
            "scheduler",
            "CreateSchedule",
            {"path": "/schedules/s", "Target": {"RoleArn": "arn:aws:iam::1:role/r"}},
            [
                ("scheduler:CreateSchedule", f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/default/s"),
                ("iam:PassRole", "arn:aws:iam::1:role/r"),
            ],
        ),
        ("textract", "DetectDocumentText", {}, [("textract:DetectDocumentText", "*")]),
    ],
)
def test_a_call_is_authorized_as_its_iam_action_on_its_resources(
    service: str, operation: str, kwargs: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    path, query = kwargs.pop("path", "/"), kwargs.pop("query", None)
    assert checked(service, operation, path=path, query=query, **kwargs) == expected


class KnownLookups(NoLookups):
    """An execution in workgroup "finance", a KMS key behind alias/data, a bucket encrypted by default."""

    def athena_execution_workgroup(self, account: str, region: str, execution_id: str) -> str | None:
        return "finance" if execution_id == "e1" else None

    def kms_key_arn(self, account: str, region: str, key_id: str) -> str | None:
        known = f"arn:aws:kms:{region}:{account}:key/k1"
        return known if key_id in ("alias/data", "k1", known) else None

    def s3_bucket_kms_key(self, bucket: str) -> str | None:
        return "alias/data" if bucket == "encrypted" else None

    def s3_object_kms_key(self, bucket: str, key: str) -> str | None:
        return "k1" if bucket == "encrypted" else None


def test_lookups_name_an_executions_workgroup_and_an_aliases_key() -> None:
    lookups = KnownLookups()

    assert checked("athena", "GetQueryResults", lookups, QueryExecutionId="e1") == [
        ("athena:GetQueryResults", f"arn:aws:athena:us-east-1:{ACCOUNT}:workgroup/finance")
    ]
    assert checked("athena", "BatchGetQueryExecution", lookups, QueryExecutionIds=["e1", "e1"]) == [
        ("athena:BatchGetQueryExecution", f"arn:aws:athena:us-east-1:{ACCOUNT}:workgroup/finance")
    ]
    assert checked("kms", "GenerateDataKey", lookups, KeyId="alias/data") == [
        ("kms:GenerateDataKey", f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1")
    ]


@pytest.mark.parametrize(
    ("method", "has_key", "query", "action"),
    [
        ("GET", False, {}, "ListBucket"),
        ("GET", False, {"list-type": "2", "prefix": "data/"}, "ListBucket"),
        ("HEAD", False, {}, "ListBucket"),
        ("GET", False, {"publicAccessBlock": ""}, "GetBucketPublicAccessBlock"),
        ("PUT", False, {"encryption": ""}, "PutEncryptionConfiguration"),
        ("GET", False, {"policyStatus": ""}, "GetBucketPolicyStatus"),
        ("DELETE", False, {"lifecycle": ""}, "PutLifecycleConfiguration"),
        ("PUT", False, {}, "CreateBucket"),
        ("GET", True, {}, "GetObject"),
        ("HEAD", True, {}, "GetObject"),
        ("GET", True, {"versionId": "v"}, "GetObjectVersion"),
        ("DELETE", True, {"tagging": ""}, "DeleteObjectTagging"),
        ("DELETE", True, {"uploadId": "u"}, "AbortMultipartUpload"),
        ("POST", True, {"uploads": ""}, "PutObject"),
        ("POST", True, {"select": "", "select-type": "2"}, "GetObject"),
    ],
)
def test_an_s3_request_is_named_by_its_iam_action(
    method: str, has_key: bool, query: dict[str, str], action: str
) -> None:
    assert resources.s3_action(method, has_key, query) == action


def s3(
    method: str,
    bucket: str,
    key: str | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> list[Check]:
    request = S3Request(method, bucket, key, query or {}, headers or {}, "us-east-1", ACCOUNT, body)
    return resources.s3_checks(request, KnownLookups())


def test_s3_condition_keys_come_from_the_request() -> None:
    listing = s3("GET", "b", query={"list-type": "2", "prefix": "data/", "delimiter": "/"})[0]
    upload = s3("PUT", "b", "k", headers={"x-amz-server-side-encryption": "AES256"})[0]

    assert listing.context["s3:prefix"] == "data/"
    assert listing.context["s3:delimiter"] == "/"
    assert upload.context["s3:x-amz-server-side-encryption"] == "AES256"
    assert "s3:prefix" not in s3("GET", "b")[0].context


def test_sse_kms_writes_and_reads_need_the_key_through_s3() -> None:
    by_default = s3("PUT", "encrypted", "k")
    by_header = s3(
        "PUT",
        "plain",
        "k",
        headers={"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": "k1"},
    )
    aws_managed = s3("PUT", "plain", "k", headers={"x-amz-server-side-encryption": "aws:kms"})
    read = s3("GET", "encrypted", "k")
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1"

    assert [(c.action, c.resource) for c in by_default] == [
        ("s3:PutObject", "arn:aws:s3:::encrypted/k"),
        ("kms:GenerateDataKey", key),
    ]
    assert by_header[1].context["kms:ViaService"] == "s3.us-east-1.amazonaws.com"
    assert [c.action for c in aws_managed] == ["s3:PutObject"]
    assert [(c.action, c.resource) for c in read] == [
        ("s3:GetObject", "arn:aws:s3:::encrypted/k"),
        ("kms:Decrypt", key),
    ]
    assert [c.action for c in s3("PUT", "plain", "k")] == ["s3:PutObject"]


def test_a_copy_reads_its_source_and_a_multi_delete_deletes_each_key() -> None:
    copy = s3("PUT", "b", "dest", headers={"x-amz-copy-source": "/encrypted/src%20file"})
    deleted = s3(
        "POST",
        "b",
        query={"delete": ""},
        body=b"<Delete><Object><Key>a</Key></Object><Object><Key>b/c</Key></Object></Delete>",
    )

    assert [(c.action, c.resource) for c in copy] == [
        ("s3:PutObject", "arn:aws:s3:::b/dest"),
        ("s3:GetObject", "arn:aws:s3:::encrypted/src file"),
        ("kms:Decrypt", f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1"),
    ]
    assert [(c.action, c.resource) for c in deleted] == [
        ("s3:DeleteObject", "arn:aws:s3:::b/a"),
        ("s3:DeleteObject", "arn:aws:s3:::b/b/c"),
    ]


def test_authorize_answers_for_an_access_key_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.iam.models import iam_backends

    from tooling.emulator import iam

    backend = iam_backends[ACCOUNT]["aws"]
    name = f"engine-reader-{uuid.uuid4().hex[:8]}"
    backend.create_user(region_name="us-east-1", user_name=name)
    backend.put_user_policy(
        name,
        "read",
        document(
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/data/*"},
            {
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:::lake",
                "Condition": {"StringLike": {"s3:prefix": "data/*"}},
            },
            {"Effect": "Allow", "Action": "glue:GetTable", "Resource": iam.glue_table_arns("Sales", "Orders")},
        ),
    )
    key = backend.create_access_key(name).access_key_id
    monkeypatch.setenv(iam.SETTING, iam.ENFORCE)

    assert iam.authorize(key, "s3:GetObject", [iam.s3_object_arn("lake", "data/x.csv")])
    assert not iam.authorize(
        key, "s3:GetObject", [iam.s3_object_arn("lake", "data/x.csv"), iam.s3_object_arn("lake", "private/y.csv")]
    )
    assert iam.authorize(key, "s3:ListBucket", iam.s3_bucket_arn("lake"), {"s3:prefix": "data/2024/"})
    assert not iam.authorize(key, "s3:ListBucket", iam.s3_bucket_arn("lake"), {"s3:prefix": "private/"})
    assert iam.authorize(key, "glue:GetTable", iam.glue_table_arns("sales", "orders"))
    assert not iam.authorize(key, "glue:GetTable", iam.glue_table_arns("sales", "customers"))
    assert not iam.authorize("AKIANOBODYNOBODY0000", "s3:GetObject", [iam.s3_object_arn("lake", "data/x.csv")])
    denial = iam.decide(key, "athena:StartQueryExecution", iam.athena_workgroup_arn("primary"))
    assert denial.message(iam.principal_arn(key)) == (
        f"User: arn:aws:iam::{ACCOUNT}:user/{name} is not authorized to perform: athena:StartQueryExecution on "
        f"resource: arn:aws:athena:us-east-1:{ACCOUNT}:workgroup/primary because no identity-based policy allows "
        "the athena:StartQueryExecution action"
    )

    monkeypatch.delenv(iam.SETTING)
    assert iam.authorize("AKIANOBODYNOBODY0000", "s3:GetObject", "arn:aws:s3:::lake/private/y.csv")


def test_decide_s3_makes_the_checks_s3_would_make_for_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.iam.models import iam_backends
    from moto.kms.models import kms_backends
    from moto.s3.models import s3_backends

    from tooling.emulator import iam

    bucket = f"engine-lake-{uuid.uuid4().hex[:8]}"
    s3 = s3_backends[ACCOUNT]["aws"]
    s3.create_bucket(bucket, "us-east-1")
    key_arn = kms_backends[ACCOUNT]["us-east-1"].create_key(None, "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT", "", None).arn
    s3.put_object(bucket, "data/plain.csv", b"a")
    s3.put_object(bucket, "data/sealed.csv", b"b", encryption="aws:kms", kms_key_id=key_arn)
    backend = iam_backends[ACCOUNT]["aws"]
    name = f"engine-s3-{uuid.uuid4().hex[:8]}"
    backend.create_user(region_name="us-east-1", user_name=name)
    backend.put_user_policy(
        name,
        "read",
        document(
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::{bucket}/*"},
            {
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": f"arn:aws:s3:::{bucket}",
                "Condition": {"StringLike": {"s3:prefix": "data/*"}},
            },
        ),
    )
    key = backend.create_access_key(name).access_key_id
    monkeypatch.setenv(iam.SETTING, iam.ENFORCE)

    assert iam.decide_s3(key, "GET", bucket, "data/plain.csv").allowed
    sealed = iam.decide_s3(key, "GET", bucket, "data/sealed.csv")
    assert (sealed.allowed, sealed.action, sealed.resource) == (False, "kms:Decrypt", key_arn)
    assert iam.decide_s3(key, "GET", bucket, query={"list-type": "2", "prefix": "data/"}).allowed
    assert not iam.decide_s3(key, "GET", bucket, query={"list-type": "2"}).allowed
    written = iam.decide_s3(
        key,
        "PUT",
        bucket,
        "results/q.csv",
        headers={"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": key_arn},
    )
    assert (written.allowed, written.action) == (False, "kms:GenerateDataKey")


def test_a_role_arn_asks_as_a_session_of_that_role(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.iam.models import iam_backends

    from tooling.emulator import iam

    backend = iam_backends[ACCOUNT]["aws"]
    name = f"engine-crawler-{uuid.uuid4().hex[:8]}"
    role = backend.create_role(
        name,
        document({"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}),
        "/",
        None,
        "",
        [],
        None,
    )
    backend.put_role_policy(
        name, "read", document({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/data/*"})
    )
    monkeypatch.setenv(iam.SETTING, iam.ENFORCE)

    assert iam.authorize(role.arn, "s3:GetObject", iam.s3_object_arn("lake", "data/x.csv"))
    assert not iam.authorize(role.arn, "s3:GetObject", iam.s3_object_arn("lake", "private/x.csv"))
    assert iam.principal_arn(role.arn) == f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/emulator"
    assert not iam.authorize(f"arn:aws:iam::{ACCOUNT}:role/no-such-role", "s3:GetObject", "*")
