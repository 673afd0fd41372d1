"""What IAM authorizes for one API call: its action(s), resource ARN(s) and request condition keys.

moto authorizes an API call as `<signing service>:<operation>` on the resource "*" (SQS queues,
STS roles and S3 excepted), so an identity policy that names resources allows nothing, and some
IAM actions are not named like their operation. Here each call becomes the checks AWS makes
(every check must be allowed), from the request's parameters and a few lookups in moto's stores:

- Glue Data Catalog (https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html):
  an action on a table, partition or table version needs the catalog, the database and the table
  ARN; GetTables needs `table/<db>/*`, GetDatabases `database/*`; DeleteDatabase also needs every
  table and function of the database. Database and table names are lowercased, as Glue stores
  them. Crawlers (Get/Start/Stop/Create/Update/DeleteCrawler, ListCrawls, BatchGetCrawlers and the
  crawler schedule calls) need `crawler/<name>`; GetCrawlerMetrics and GetCrawlers have no
  resource-level permission ("*"). CreateCrawler/UpdateCrawler also need iam:PassRole on the role.
- Athena: workgroup ARN from WorkGroup (default "primary"); calls naming a query execution or a
  named query use the workgroup that execution ran in (the local engine's store, athena/queries.py,
  else moto's); BatchGetQueryExecution and
  BatchGetNamedQuery check each one's workgroup; data catalog calls `datacatalog/<name>`.
- Lambda: the function ARN (qualified when a Qualifier is given); `Invoke` is authorized as
  lambda:InvokeFunction; CreateFunction and UpdateFunctionConfiguration with a Role also need
  iam:PassRole; event source mappings `event-source-mapping:<uuid>`.
- SQS: the queue ARN from QueueUrl or QueueName; the Batch calls are authorized as the call they
  batch (SendMessageBatch as sqs:SendMessage, ...), as SQS does.
- SNS: the topic ARN (TopicArn, Name, the topic of a SubscriptionArn, TargetArn); PublishBatch is
  sns:Publish.
- KMS: the key ARN (KeyId as id, ARN, alias name or alias ARN, or the key of a Decrypt's
  ciphertext); alias calls need the alias and the key; kms:EncryptionContext:<k> and
  kms:EncryptionContextKeys condition keys.
- CloudWatch Logs: `log-group:<group>:log-stream:<stream>` for stream calls (PutLogEvents,
  GetLogEvents, Create/DeleteLogStream) and `log-group:<group>:log-stream:` for the group's own
  calls (AWS's AccessDenied messages name that ARN, which is why policies need `log-group:<g>:*`).
- Lake Formation: "*" (no resource-level permissions, GetDataAccess included).
- STS AssumeRole: the role ARN (with its trust policy, see policy.py); IAM: the role, user, group,
  instance profile or policy the call names; EventBridge rules, Scheduler schedules (with
  iam:PassRole for the target role) and CloudWatch alarms by name.
- S3 (s3_checks): moto names some S3 actions after the API operation rather than the IAM action
  (HeadBucket, GetPublicAccessBlock, DeleteObjectTagging as DeleteObject, PUT ?encryption as
  CreateBucket, ...); the IAM action is derived here from the method and sub-resource. Object
  calls use `arn:aws:s3:::<bucket>/<key>`, bucket calls the bucket ARN; CopyObject also needs
  s3:GetObject on the source, DeleteObjects s3:DeleteObject on each key. Condition keys:
  s3:prefix, s3:delimiter, s3:max-keys (listings), s3:x-amz-server-side-encryption,
  s3:x-amz-server-side-encryption-aws-kms-key-id, s3:x-amz-acl, s3:x-amz-copy-source,
  s3:x-amz-storage-class, s3:x-amz-metadata-directive, s3:VersionId, s3:x-amz-content-sha256,
  s3:signatureversion, s3:authType, s3:ResourceAccount. SSE-KMS: writing an object encrypted with
  a customer managed key (by header or by the bucket's default encryption) needs
  kms:GenerateDataKey, reading one (GetObject, a copy source) and completing a multipart upload
  kms:Decrypt, on that key, with kms:ViaService s3.<region>.amazonaws.com and
  kms:EncryptionContext:aws:s3:arn; the AWS managed key (aws/s3, or no key named) is not checked,
  since its key policy lets every principal of the account use it through S3.

Any other call is authorized on "*" as moto did: a policy must allow it with Resource "*".
"""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from tooling.emulator.iam.conditions import ContextValue


@dataclass(frozen=True)
class Check:
    """One authorization IAM makes: `action` on `resource` with extra condition keys."""

    action: str
    resource: str
    context: Mapping[str, ContextValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """One API call as the authorizer sees it. `params` are the JSON body or the query/form values."""

    service: str  # IAM service prefix: glue, athena, lambda, ...
    operation: str  # API operation name: GetTable, Invoke, ...
    region: str
    account: str
    params: Mapping[str, Any] = field(default_factory=dict)
    path: str = "/"
    query: Mapping[str, str] = field(default_factory=dict)

    def param(self, name: str, default: str = "") -> str:
        value = self.params.get(name)
        return default if value is None else str(value)

    def arn(
        self, resource: str, service: str | None = None, *, region: str | None = None, account: str | None = None
    ) -> str:
        return (
            f"arn:aws:{service or self.service}:{self.region if region is None else region}:"
            f"{account or self.account}:{resource}"
        )


class Lookups(Protocol):
    """What resolving a call needs from the emulator's stores (moto_state.py answers it)."""

    def athena_execution_workgroup(self, account: str, region: str, execution_id: str) -> str | None: ...

    def athena_named_query_workgroup(self, account: str, region: str, query_id: str) -> str | None: ...

    def kms_key_arn(self, account: str, region: str, key_id: str) -> str | None: ...

    def kms_key_of_ciphertext(self, account: str, region: str, ciphertext: str) -> str | None: ...

    def iam_arn(self, account: str, kind: str, name: str) -> str | None: ...

    def s3_object_kms_key(self, bucket: str, key: str) -> str | None: ...

    def s3_bucket_kms_key(self, bucket: str) -> str | None: ...

    def s3_upload_kms_key(self, bucket: str, upload_id: str) -> str | None: ...


class NoLookups:
    """Lookups that know nothing (for pure tests): ARNs are built from names alone."""

    def athena_execution_workgroup(self, account: str, region: str, execution_id: str) -> str | None:
        return None

    def athena_named_query_workgroup(self, account: str, region: str, query_id: str) -> str | None:
        return None

    def kms_key_arn(self, account: str, region: str, key_id: str) -> str | None:
        return None

    def kms_key_of_ciphertext(self, account: str, region: str, ciphertext: str) -> str | None:
        return None

    def iam_arn(self, account: str, kind: str, name: str) -> str | None:
        return None

    def s3_object_kms_key(self, bucket: str, key: str) -> str | None:
        return None

    def s3_bucket_kms_key(self, bucket: str) -> str | None:
        return None

    def s3_upload_kms_key(self, bucket: str, upload_id: str) -> str | None:
        return None


# ---------------------------------------------------------------------------------------- Glue

_GLUE_TABLE_BY_NAME = {"GetTable", "DeleteTable"}
_GLUE_TABLE_BY_INPUT = {"CreateTable", "UpdateTable"}
_GLUE_TABLE_BY_TABLE_NAME = {
    "GetPartition",
    "GetPartitions",
    "BatchGetPartition",
    "CreatePartition",
    "BatchCreatePartition",
    "UpdatePartition",
    "BatchUpdatePartition",
    "DeletePartition",
    "BatchDeletePartition",
    "GetTableVersion",
    "GetTableVersions",
    "DeleteTableVersion",
    "BatchDeleteTableVersion",
    "GetPartitionIndexes",
    "CreatePartitionIndex",
    "DeletePartitionIndex",
    "GetColumnStatisticsForTable",
    "UpdateColumnStatisticsForTable",
    "DeleteColumnStatisticsForTable",
    "GetColumnStatisticsForPartition",
    "UpdateColumnStatisticsForPartition",
    "DeleteColumnStatisticsForPartition",
}
_GLUE_CRAWLER_BY_NAME = {"GetCrawler", "StartCrawler", "StopCrawler", "CreateCrawler", "UpdateCrawler", "DeleteCrawler"}
_GLUE_CRAWLER_BY_CRAWLER_NAME = {"ListCrawls", "StartCrawlerSchedule", "StopCrawlerSchedule", "UpdateCrawlerSchedule"}


def _glue_catalog(call: Call) -> tuple[Callable[[str], str], str]:
    account = call.param("CatalogId") or call.account

    def arn(resource: str) -> str:
        return call.arn(resource, "glue", account=account)

    return arn, arn("catalog")


def _role_arn(call: Call, role: str, lookups: Lookups) -> str:
    if role.startswith("arn:"):
        return role
    return lookups.iam_arn(call.account, "role", role) or f"arn:aws:iam::{call.account}:role/{role}"


def _pass_role(call: Call, role: str, service: str, lookups: Lookups) -> list[Check]:
    if not role:
        return []
    return [Check("iam:PassRole", _role_arn(call, role, lookups), {"iam:PassedToService": service})]


def glue_checks(call: Call, lookups: Lookups) -> list[Check]:
    op, action = call.operation, f"glue:{call.operation}"
    arn, catalog = _glue_catalog(call)

    def table(db: str, name: str) -> list[Check]:
        db, name = db.lower(), name.lower()
        return [Check(action, r) for r in (catalog, arn(f"database/{db}"), arn(f"table/{db}/{name}"))]

    database = call.param("DatabaseName")
    if op in _GLUE_TABLE_BY_NAME:
        return table(database, call.param("Name"))
    if op in _GLUE_TABLE_BY_INPUT:
        return table(database, str((call.params.get("TableInput") or {}).get("Name", "")))
    if op in _GLUE_TABLE_BY_TABLE_NAME:
        return table(database, call.param("TableName"))
    if op == "BatchDeleteTable":
        return [c for name in call.params.get("TablesToDelete") or [] for c in table(database, str(name))]
    if op == "GetTables":
        return table(database, "*")
    if op in ("GetDatabase", "UpdateDatabase", "CreateDatabase", "DeleteDatabase"):
        name = (
            call.param("Name")
            if op != "CreateDatabase"
            else str((call.params.get("DatabaseInput") or {}).get("Name", ""))
        ).lower()
        checks = [Check(action, catalog), Check(action, arn(f"database/{name}"))]
        if op == "DeleteDatabase":
            checks += [Check(action, arn(f"table/{name}/*")), Check(action, arn(f"userDefinedFunction/{name}/*"))]
        return checks
    if op == "GetDatabases":
        return [Check(action, catalog), Check(action, arn("database/*"))]
    crawler = (
        call.param("Name")
        if op in _GLUE_CRAWLER_BY_NAME
        else call.param("CrawlerName")
        if op in _GLUE_CRAWLER_BY_CRAWLER_NAME
        else None
    )
    if crawler is not None:
        checks = [Check(action, call.arn(f"crawler/{crawler}", "glue"))]
        if op in ("CreateCrawler", "UpdateCrawler"):
            checks += _pass_role(call, call.param("Role"), "glue.amazonaws.com", lookups)
        return checks
    if op == "BatchGetCrawlers":
        return [Check(action, call.arn(f"crawler/{n}", "glue")) for n in call.params.get("CrawlerNames") or []]
    if op in ("TagResource", "UntagResource", "GetTags"):
        return [Check(action, call.param("ResourceArn"))]
    if op in (
        "GetDataCatalogEncryptionSettings",
        "PutDataCatalogEncryptionSettings",
        "GetResourcePolicy",
        "PutResourcePolicy",
    ):
        return [Check(action, catalog)]
    return [Check(action, "*")]


# -------------------------------------------------------------------------------------- Athena

_ATHENA_BY_WORKGROUP = {
    "StartQueryExecution",
    "ListQueryExecutions",
    "GetWorkGroup",
    "UpdateWorkGroup",
    "DeleteWorkGroup",
    "CreateWorkGroup",
    "ListNamedQueries",
    "CreateNamedQuery",
    "ListPreparedStatements",
    "CreatePreparedStatement",
    "GetPreparedStatement",
    "UpdatePreparedStatement",
    "DeletePreparedStatement",
    "BatchGetPreparedStatement",
}
_ATHENA_BY_EXECUTION = {"GetQueryExecution", "GetQueryResults", "StopQueryExecution", "GetQueryRuntimeStatistics"}
_ATHENA_BY_CATALOG = {
    "GetDataCatalog",
    "UpdateDataCatalog",
    "DeleteDataCatalog",
    "CreateDataCatalog",
    "GetDatabase",
    "ListDatabases",
    "GetTableMetadata",
    "ListTableMetadata",
}


def athena_checks(call: Call, lookups: Lookups) -> list[Check]:
    op, action = call.operation, f"athena:{call.operation}"

    def workgroup(name: str | None) -> Check:
        return Check(action, call.arn(f"workgroup/{name or 'primary'}", "athena"))

    def of_execution(execution_id: str) -> Check:
        return workgroup(lookups.athena_execution_workgroup(call.account, call.region, execution_id))

    def of_named_query(query_id: str) -> Check:
        return workgroup(lookups.athena_named_query_workgroup(call.account, call.region, query_id))

    if op in _ATHENA_BY_WORKGROUP:
        return [workgroup(call.param("WorkGroup") or call.param("Name"))]
    if op in _ATHENA_BY_EXECUTION:
        return [of_execution(call.param("QueryExecutionId"))]
    if op == "BatchGetQueryExecution":
        return _distinct([of_execution(str(i)) for i in call.params.get("QueryExecutionIds") or []])
    if op in ("GetNamedQuery", "DeleteNamedQuery", "UpdateNamedQuery"):
        return [of_named_query(call.param("NamedQueryId"))]
    if op == "BatchGetNamedQuery":
        return _distinct([of_named_query(str(i)) for i in call.params.get("NamedQueryIds") or []])
    if op in _ATHENA_BY_CATALOG:
        name = call.param("Name") if "DataCatalog" in op else call.param("CatalogName")
        return [Check(action, call.arn(f"datacatalog/{name}", "athena"))]
    if op in ("TagResource", "UntagResource", "ListTagsForResource"):
        return [Check(action, call.param("ResourceARN"))]
    return [Check(action, "*")]


def _distinct(checks: Sequence[Check]) -> list[Check]:
    seen: dict[tuple[str, str], Check] = {}
    for check in checks:
        seen.setdefault((check.action, check.resource), check)
    return list(seen.values())


# -------------------------------------------------------------------------------------- Lambda

_LAMBDA_ACTIONS = {"Invoke": "InvokeFunction", "InvokeWithResponseStream": "InvokeFunction"}


def lambda_function_arn(call: Call, name: str, qualifier: str = "") -> str:
    """A function's ARN from a name, a partial ARN or an ARN, qualified when asked."""
    name = urllib.parse.unquote(name)
    if name.startswith("arn:"):
        return f"{name}:{qualifier}" if qualifier and name.count(":") == 6 else name
    if ":function:" in name:  # 123456789012:function:name
        account, _, rest = name.partition(":function:")
        return lambda_function_arn(call, call.arn(f"function:{rest}", "lambda", account=account), qualifier)
    if ":" in name:  # name:qualifier
        name, _, qualifier = name.partition(":")
    return call.arn(f"function:{name}" + (f":{qualifier}" if qualifier else ""), "lambda")


def lambda_checks(call: Call, lookups: Lookups) -> list[Check]:
    action = f"lambda:{_LAMBDA_ACTIONS.get(call.operation, call.operation)}"
    parts = [p for p in call.path.split("/") if p]
    qualifier = call.query.get("Qualifier", "")
    if len(parts) >= 3 and parts[1] == "functions":
        checks = [Check(action, lambda_function_arn(call, parts[2], qualifier))]
        if call.operation == "UpdateFunctionConfiguration":
            checks += _pass_role(call, call.param("Role"), "lambda.amazonaws.com", lookups)
        return checks
    if call.operation == "CreateFunction":
        return [
            Check(action, lambda_function_arn(call, call.param("FunctionName"))),
            *_pass_role(call, call.param("Role"), "lambda.amazonaws.com", lookups),
        ]
    if len(parts) >= 3 and parts[1] == "event-source-mappings":
        return [Check(action, call.arn(f"event-source-mapping:{parts[2]}", "lambda"))]
    if call.operation == "CreateEventSourceMapping":
        function = lambda_function_arn(call, call.param("FunctionName"))
        return [Check(action, "*", {"lambda:FunctionArn": function})]
    if len(parts) >= 3 and parts[1] == "tags":
        return [Check(action, urllib.parse.unquote("/".join(parts[2:])))]
    return [Check(action, "*")]


# -------------------------------------------------------------------------------- SQS and SNS

_BATCHED = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
    "PublishBatch": "Publish",
}


def sqs_queue_arn(call: Call) -> str | None:
    url = call.param("QueueUrl")
    if url:
        parts = [p for p in urllib.parse.urlparse(url).path.split("/") if p] if "://" in url else [url]
    else:
        parts = [p for p in call.path.split("/") if p]
    if len(parts) >= 2 and parts[-2].isdigit():
        return call.arn(parts[-1], "sqs", account=parts[-2])
    name = call.param("QueueName") or (parts[-1] if parts else "")
    if not name:
        return None
    return call.arn(name, "sqs", account=call.param("QueueOwnerAWSAccountId") or call.account)


def sqs_checks(call: Call, lookups: Lookups) -> list[Check]:
    action = f"sqs:{_BATCHED.get(call.operation, call.operation)}"
    queue = None if call.operation == "ListQueues" else sqs_queue_arn(call)
    return [Check(action, queue or "*")]


def sns_checks(call: Call, lookups: Lookups) -> list[Check]:
    action = f"sns:{_BATCHED.get(call.operation, call.operation)}"
    if call.operation == "CreateTopic":
        return [Check(action, call.arn(call.param("Name"), "sns"))]
    subscription = call.param("SubscriptionArn")
    topic = (
        call.param("TopicArn")
        or call.param("TargetArn")
        or call.param("ResourceArn")
        or (subscription.rsplit(":", 1)[0] if subscription.count(":") >= 6 else "")
    )
    return [Check(action, topic or "*")]


# ----------------------------------------------------------------------------------------- KMS

_KMS_NO_KEY = {
    "CreateKey",
    "ListKeys",
    "ListAliases",
    "GenerateRandom",
    "ListRetirableGrants",
    "ConnectCustomKeyStore",
    "CreateCustomKeyStore",
    "DescribeCustomKeyStores",
}


def kms_key_arn(call: Call, key_id: str, lookups: Lookups) -> str:
    """The key ARN for a key id, key ARN, alias name or alias ARN."""
    resolved = lookups.kms_key_arn(call.account, call.region, key_id)
    if resolved:
        return resolved
    if key_id.startswith("arn:"):
        return key_id
    if key_id.startswith("alias/"):
        return call.arn(key_id, "kms")
    return call.arn(f"key/{key_id}", "kms")


def kms_context(encryption_context: Mapping[str, Any] | None) -> dict[str, ContextValue]:
    context: dict[str, ContextValue] = {
        f"kms:EncryptionContext:{k}": str(v) for k, v in (encryption_context or {}).items()
    }
    if encryption_context:
        context["kms:EncryptionContextKeys"] = [str(k) for k in encryption_context]
    return context


def kms_checks(call: Call, lookups: Lookups) -> list[Check]:
    op, action = call.operation, f"kms:{call.operation}"
    context = {"kms:CallerAccount": call.account, **kms_context(call.params.get("EncryptionContext"))}
    if op in _KMS_NO_KEY:
        return [Check(action, "*", context)]
    if op in ("CreateAlias", "UpdateAlias", "DeleteAlias"):
        alias = call.param("AliasName")
        target = call.param("TargetKeyId") or alias
        return [
            Check(action, call.arn(alias, "kms"), context),
            Check(action, kms_key_arn(call, target, lookups), context),
        ]
    if op == "ReEncrypt":
        source = (
            call.param("SourceKeyId")
            or lookups.kms_key_of_ciphertext(call.account, call.region, call.param("CiphertextBlob"))
            or ""
        )
        return [
            Check("kms:ReEncryptFrom", kms_key_arn(call, source, lookups), context),
            Check("kms:ReEncryptTo", kms_key_arn(call, call.param("DestinationKeyId"), lookups), context),
        ]
    key = call.param("KeyId")
    if not key and op == "Decrypt":
        key = lookups.kms_key_of_ciphertext(call.account, call.region, call.param("CiphertextBlob")) or ""
    return [Check(action, kms_key_arn(call, key, lookups) if key else "*", context)]


# ---------------------------------------------------------------------------- CloudWatch Logs

_LOGS_STREAM_CALLS = {"PutLogEvents", "GetLogEvents", "CreateLogStream", "DeleteLogStream"}


def logs_group_name(call: Call) -> str:
    identifier = call.param("logGroupName") or call.param("logGroupIdentifier")
    if identifier.startswith("arn:"):
        return identifier.split(":log-group:", 1)[-1].removesuffix(":*")
    return identifier


def logs_checks(call: Call, lookups: Lookups) -> list[Check]:
    action = f"logs:{call.operation}"
    if call.operation in ("TagResource", "UntagResource", "ListTagsForResource"):
        return [Check(action, call.param("resourceArn"))]
    group = logs_group_name(call)
    if call.operation == "DescribeLogGroups":
        return [Check(action, call.arn("log-group::log-stream:", "logs"))]
    if not group:
        return [Check(action, "*")]
    stream = call.param("logStreamName") if call.operation in _LOGS_STREAM_CALLS else ""
    return [Check(action, call.arn(f"log-group:{group}:log-stream:{stream}", "logs"))]


# ------------------------------------------------------------------ STS, IAM, events, alarms


def sts_checks(call: Call, lookups: Lookups) -> list[Check]:
    action = f"sts:{call.operation}"
    if call.operation in ("AssumeRole", "TagSession", "SetSourceIdentity"):
        context: dict[str, ContextValue] = {"sts:RoleSessionName": call.param("RoleSessionName")}
        if call.param("ExternalId"):
            context["sts:ExternalId"] = call.param("ExternalId")
        return [Check(action, call.param("RoleArn") or "*", context)]
    return [Check(action, "*")]


_IAM_NAMES = (
    ("RoleName", "role"),
    ("UserName", "user"),
    ("GroupName", "group"),
    ("InstanceProfileName", "instance-profile"),
)


def iam_checks(call: Call, lookups: Lookups) -> list[Check]:
    action = f"iam:{call.operation}"
    context: dict[str, ContextValue] = {}
    if call.param("PolicyArn"):
        context["iam:PolicyARN"] = call.param("PolicyArn")
    for param, kind in _IAM_NAMES:
        name = call.param(param)
        if name:
            path = call.param("Path", "/") if call.operation.startswith("Create") else "/"
            arn = lookups.iam_arn(call.account, kind, name) or f"arn:aws:iam::{call.account}:{kind}{path}{name}"
            return [Check(action, arn, context)]
    if call.operation == "CreatePolicy":
        return [Check(action, f"arn:aws:iam::{call.account}:policy{call.param('Path', '/')}{call.param('PolicyName')}")]
    return [Check(action, call.param("PolicyArn") or "*", context)]


def events_checks(call: Call, lookups: Lookups) -> list[Check]:
    action = f"events:{call.operation}"
    rule = (
        call.param("Rule")
        if call.operation in ("PutTargets", "RemoveTargets", "ListTargetsByRule")
        else (
            call.param("Name")
            if call.operation in ("PutRule", "DescribeRule", "DeleteRule", "EnableRule", "DisableRule")
            else ""
        )
    )
    if rule:
        bus = call.param("EventBusName")
        resource = f"rule/{bus}/{rule}" if bus and bus != "default" else f"rule/{rule}"
        checks = [Check(action, call.arn(resource, "events"))]
        for target in call.params.get("Targets") or []:
            checks += _pass_role(call, str(target.get("RoleArn") or ""), "events.amazonaws.com", lookups)
        return checks
    if call.operation == "PutEvents":
        buses = {str(e.get("EventBusName") or "default") for e in call.params.get("Entries") or []} or {"default"}
        return [
            Check(action, b if b.startswith("arn:") else call.arn(f"event-bus/{b}", "events")) for b in sorted(buses)
        ]
    return [Check(action, "*")]


def scheduler_checks(call: Call, lookups: Lookups) -> list[Check]:
    action = f"scheduler:{call.operation}"
    parts = [p for p in call.path.split("/") if p]
    if len(parts) == 2 and parts[0] == "schedules":
        group = call.query.get("groupName") or call.param("GroupName") or "default"
        checks = [Check(action, call.arn(f"schedule/{group}/{urllib.parse.unquote(parts[1])}", "scheduler"))]
        role = str((call.params.get("Target") or {}).get("RoleArn") or "")
        return checks + _pass_role(call, role, "scheduler.amazonaws.com", lookups)
    if len(parts) == 2 and parts[0] == "schedule-groups":
        return [Check(action, call.arn(f"schedule-group/{urllib.parse.unquote(parts[1])}", "scheduler"))]
    return [Check(action, "*")]


def cloudwatch_checks(call: Call, lookups: Lookups) -> list[Check]:
    action = f"cloudwatch:{call.operation}"
    if call.operation == "PutMetricData":  # no resource-level permission; the namespace is a condition key
        return [Check(action, "*", {"cloudwatch:namespace": call.param("Namespace")})]
    names = (
        [call.param("AlarmName")]
        if call.param("AlarmName")
        else [str(v) for k, v in sorted(call.params.items()) if k.startswith("AlarmNames")]
    )
    if call.operation in ("DescribeAlarms", "DescribeAlarmHistory") or not names:
        return [Check(action, "*")]
    return [Check(action, call.arn(f"alarm:{n}", "cloudwatch")) for n in names]


def lakeformation_checks(call: Call, lookups: Lookups) -> list[Check]:
    return [Check(f"lakeformation:{call.operation}", "*")]


RESOLVERS: dict[str, Callable[[Call, Lookups], list[Check]]] = {
    "glue": glue_checks,
    "athena": athena_checks,
    "lambda": lambda_checks,
    "sqs": sqs_checks,
    "sns": sns_checks,
    "kms": kms_checks,
    "logs": logs_checks,
    "sts": sts_checks,
    "iam": iam_checks,
    "events": events_checks,
    "scheduler": scheduler_checks,
    "cloudwatch": cloudwatch_checks,
    "lakeformation": lakeformation_checks,
}
# Credential-scope (signing) names whose IAM service prefix differs.
IAM_PREFIX = {"monitoring": "cloudwatch", "email": "ses", "execute-api": "execute-api"}


def checks_for(call: Call, lookups: Lookups) -> list[Check]:
    """Every check AWS makes for `call` (each must be allowed)."""
    resolver = RESOLVERS.get(call.service)
    if resolver is None:
        return [Check(f"{call.service}:{call.operation}", "*")]
    return resolver(call, lookups)


# ------------------------------------------------------------------------------------------ S3

# (method, sub-resource in the query) -> IAM action; the first sub-resource found wins.
_S3_BUCKET_ACTIONS: dict[str, list[tuple[str, str]]] = {
    "GET": [
        ("uploads", "ListBucketMultipartUploads"),
        ("location", "GetBucketLocation"),
        ("lifecycle", "GetLifecycleConfiguration"),
        ("versioning", "GetBucketVersioning"),
        ("policyStatus", "GetBucketPolicyStatus"),
        ("policy", "GetBucketPolicy"),
        ("website", "GetBucketWebsite"),
        ("acl", "GetBucketAcl"),
        ("tagging", "GetBucketTagging"),
        ("logging", "GetBucketLogging"),
        ("cors", "GetBucketCORS"),
        ("notification", "GetBucketNotification"),
        ("accelerate", "GetAccelerateConfiguration"),
        ("versions", "ListBucketVersions"),
        ("publicAccessBlock", "GetBucketPublicAccessBlock"),
        ("encryption", "GetEncryptionConfiguration"),
        ("ownershipControls", "GetBucketOwnershipControls"),
        ("object-lock", "GetBucketObjectLockConfiguration"),
        ("replication", "GetReplicationConfiguration"),
        ("requestPayment", "GetBucketRequestPayment"),
        ("intelligent-tiering", "GetIntelligentTieringConfiguration"),
        ("inventory", "GetInventoryConfiguration"),
        ("metrics", "GetMetricsConfiguration"),
        ("analytics", "GetAnalyticsConfiguration"),
        ("", "ListBucket"),
    ],
    "HEAD": [("", "ListBucket")],
    "PUT": [
        ("lifecycle", "PutLifecycleConfiguration"),
        ("versioning", "PutBucketVersioning"),
        ("policy", "PutBucketPolicy"),
        ("website", "PutBucketWebsite"),
        ("acl", "PutBucketAcl"),
        ("tagging", "PutBucketTagging"),
        ("logging", "PutBucketLogging"),
        ("cors", "PutBucketCORS"),
        ("notification", "PutBucketNotification"),
        ("accelerate", "PutAccelerateConfiguration"),
        ("publicAccessBlock", "PutBucketPublicAccessBlock"),
        ("encryption", "PutEncryptionConfiguration"),
        ("ownershipControls", "PutBucketOwnershipControls"),
        ("object-lock", "PutBucketObjectLockConfiguration"),
        ("replication", "PutReplicationConfiguration"),
        ("requestPayment", "PutBucketRequestPayment"),
        ("intelligent-tiering", "PutIntelligentTieringConfiguration"),
        ("inventory", "PutInventoryConfiguration"),
        ("metrics", "PutMetricsConfiguration"),
        ("analytics", "PutAnalyticsConfiguration"),
        ("", "CreateBucket"),
    ],
    "DELETE": [
        ("lifecycle", "PutLifecycleConfiguration"),
        ("policy", "DeleteBucketPolicy"),
        ("website", "DeleteBucketWebsite"),
        ("tagging", "PutBucketTagging"),
        ("cors", "PutBucketCORS"),
        ("publicAccessBlock", "PutBucketPublicAccessBlock"),
        ("encryption", "PutEncryptionConfiguration"),
        ("ownershipControls", "PutBucketOwnershipControls"),
        ("replication", "PutReplicationConfiguration"),
        ("intelligent-tiering", "PutIntelligentTieringConfiguration"),
        ("inventory", "PutInventoryConfiguration"),
        ("metrics", "PutMetricsConfiguration"),
        ("analytics", "PutAnalyticsConfiguration"),
        ("", "DeleteBucket"),
    ],
    "POST": [("delete", "DeleteObject"), ("", "PutObject")],
}
_S3_OBJECT_ACTIONS: dict[str, list[tuple[str, str]]] = {
    "GET": [
        ("uploadId", "ListMultipartUploadParts"),
        ("acl", "GetObjectAcl"),
        ("tagging", "GetObjectTagging"),
        ("attributes", "GetObjectAttributes"),
        ("retention", "GetObjectRetention"),
        ("legal-hold", "GetObjectLegalHold"),
        ("versionId", "GetObjectVersion"),
        ("", "GetObject"),
    ],
    "HEAD": [("versionId", "GetObjectVersion"), ("", "GetObject")],
    "PUT": [
        ("acl", "PutObjectAcl"),
        ("tagging", "PutObjectTagging"),
        ("retention", "PutObjectRetention"),
        ("legal-hold", "PutObjectLegalHold"),
        ("", "PutObject"),
    ],
    "DELETE": [
        ("uploadId", "AbortMultipartUpload"),
        ("tagging", "DeleteObjectTagging"),
        ("versionId", "DeleteObjectVersion"),
        ("", "DeleteObject"),
    ],
    "POST": [("restore", "RestoreObject"), ("select", "GetObject"), ("", "PutObject")],
}
_S3_HEADER_KEYS = (
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-acl",
    "x-amz-copy-source",
    "x-amz-storage-class",
    "x-amz-metadata-directive",
    "x-amz-content-sha256",
)
_AWS_MANAGED_S3_KEY = "alias/aws/s3"


def s3_action(method: str, has_key: bool, query: Mapping[str, Any]) -> str:
    """The IAM action of an S3 request (without the `s3:` prefix)."""
    table = (_S3_OBJECT_ACTIONS if has_key else _S3_BUCKET_ACTIONS).get(method.upper(), [("", "GetObject")])
    return next(action for sub, action in table if sub == "" or sub in query)


@dataclass(frozen=True)
class S3Request:
    method: str
    bucket: str | None
    key: str | None
    query: Mapping[str, str]
    headers: Mapping[str, str]  # lowercase names
    region: str
    account: str
    body: bytes = b""


def s3_context(request: S3Request, owner: str) -> dict[str, ContextValue]:
    """S3's request condition keys."""
    context: dict[str, ContextValue] = {
        "s3:ResourceAccount": owner,
        "s3:signatureversion": "AWS4-HMAC-SHA256",
        "s3:authType": "REST-QUERY-STRING"
        if {"X-Amz-Credential", "AWSAccessKeyId"} & set(request.query)
        else "REST-HEADER",
    }
    for name in ("prefix", "delimiter", "max-keys"):
        if name in request.query:
            context[f"s3:{name}"] = request.query[name]
    if "versionId" in request.query:
        context["s3:VersionId"] = request.query["versionId"]
    for header in _S3_HEADER_KEYS:
        if header in request.headers:
            context[f"s3:{header}"] = request.headers[header]
    return context


def _kms_via_s3(request: S3Request, action: str, key_id: str | None, object_arn: str, lookups: Lookups) -> list[Check]:
    managed = (_AWS_MANAGED_S3_KEY, f"arn:aws:kms:{request.region}:{request.account}:{_AWS_MANAGED_S3_KEY}")
    if not key_id or key_id in managed:
        return []
    call = Call("kms", action, request.region, request.account)
    key_arn = kms_key_arn(call, key_id, lookups)
    context: dict[str, ContextValue] = {
        "kms:ViaService": f"s3.{request.region}.amazonaws.com",
        "kms:CallerAccount": request.account,
        "kms:EncryptionContext:aws:s3:arn": object_arn,
        "kms:EncryptionContextKeys": ["aws:s3:arn"],
    }
    return [Check(f"kms:{action}", key_arn, context)]


def _written_kms_key(request: S3Request, lookups: Lookups) -> str | None:
    """The customer managed key an object written by this request is encrypted with, if any."""
    algorithm = request.headers.get("x-amz-server-side-encryption")
    if algorithm is not None:
        if not algorithm.startswith("aws:kms"):
            return None
        return request.headers.get("x-amz-server-side-encryption-aws-kms-key-id") or _AWS_MANAGED_S3_KEY
    return lookups.s3_bucket_kms_key(request.bucket or "")


def _deleted_keys(body: bytes) -> list[str]:
    try:
        root = ET.fromstring(body)  # noqa: S314 - the request body of a local client, parsed like moto does
    except ET.ParseError:
        return []
    return [e.text or "" for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "Key"]


def s3_checks(request: S3Request, lookups: Lookups) -> list[Check]:
    """Every check AWS makes for one S3 request."""
    if request.method.upper() == "OPTIONS":
        return []  # a CORS preflight is answered from the bucket's CORS rules, not authorized
    if not request.bucket:
        return [Check("s3:ListAllMyBuckets", "arn:aws:s3:::*")]
    bucket_arn = f"arn:aws:s3:::{request.bucket}"
    context = s3_context(request, request.account)
    action = s3_action(request.method, bool(request.key), request.query)
    if not request.key:
        if request.method.upper() == "POST" and "delete" in request.query:
            return [Check("s3:DeleteObject", f"{bucket_arn}/{k}", context) for k in _deleted_keys(request.body)]
        return [Check(f"s3:{action}", bucket_arn, context)]
    object_arn = f"{bucket_arn}/{request.key}"
    checks = [Check(f"s3:{action}", object_arn, context)]
    method = request.method.upper()
    if method == "GET" and action in ("GetObject", "GetObjectVersion"):
        checks += _kms_via_s3(
            request, "Decrypt", lookups.s3_object_kms_key(request.bucket, request.key), object_arn, lookups
        )
    elif action == "PutObject" and method in ("PUT", "POST") and not ({"uploadId", "partNumber"} & set(request.query)):
        checks += _kms_via_s3(request, "GenerateDataKey", _written_kms_key(request, lookups), object_arn, lookups)
    elif action == "PutObject" and method == "POST" and "uploadId" in request.query:
        checks += _kms_via_s3(
            request,
            "Decrypt",
            lookups.s3_upload_kms_key(request.bucket, request.query["uploadId"]),
            object_arn,
            lookups,
        )
    source = request.headers.get("x-amz-copy-source")
    if source and method == "PUT":
        path, _, version = urllib.parse.unquote(source).lstrip("/").partition("?versionId=")
        source_bucket, _, source_key = path.partition("/")
        source_arn = f"arn:aws:s3:::{source_bucket}/{source_key}"
        checks.append(Check("s3:GetObjectVersion" if version else "s3:GetObject", source_arn, context))
        checks += _kms_via_s3(
            request, "Decrypt", lookups.s3_object_kms_key(source_bucket, source_key), source_arn, lookups
        )
    return checks
