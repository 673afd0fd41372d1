"""A query's reads and writes, done with the caller's identity (EMULATOR_IAM=enforce).

What AWS does. Athena runs a query with the permissions of the principal that called
StartQueryExecution (Lake Formation aside): its Glue Data Catalog calls (GetDatabase, GetTable,
GetPartitions; GetTables and GetDatabases for SHOW; CreateDatabase and DeleteDatabase for the DDL)
need the catalog, database and table ARNs; each S3 listing of a table or partition location needs
s3:ListBucket with the location as s3:prefix, each file s3:GetObject (and kms:Decrypt through S3 for
an SSE-KMS file); each result file (`<id>.csv`, `<id>.csv.metadata`, `<id>.txt`) s3:PutObject with
the workgroup's encryption header (and kms:GenerateDataKey through S3 for SSE_KMS). A denial ends
the query FAILED with AthenaError category 2 (USER) and, as Athena words them:

* Glue, for a query: "Insufficient permissions to execute the query. User: <arn> is not authorized
  to perform: glue:GetTable on resource: <arn> because no identity-based policy allows the
  glue:GetTable action" (the prefix is Athena's, as in the StateChangeReason quoted in
  LBHackney-IT/Data-Platform#2067, "Insufficient permissions to execute the query. User is not
  authorized to create partitions on Glue catalog ..."; the sentence after it is IAM's AccessDenied
  message, as Athena passes it on in the DDL form below; the exact engine-3 text for a SELECT was
  not found in a public quote, so prefix plus IAM sentence is this emulator's reading);
* Glue, for CREATE/DROP DATABASE (Hive DDL): "FAILED: Execution Error, return code 1 from
  org.apache.hadoop.hive.ql.exec.DDLTask. MetaException(message:User: ... (Service:
  AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException; Request ID: ...; Proxy:
  null))" (the form quoted in awsdocs/amazon-athena-user-guide#81);
* S3 data: "Permission denied on S3 path: s3://bucket/key" (Athena's text as quoted in Kubecost's
  Athena troubleshooting guide, for a partition folder, and in an AWS WAF dashboard FAQ through the
  Athena JDBC driver);
* results: "Access denied when writing output to url: s3://bucket/<id>.csv . Please ensure you are
  allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure
  you are allowed to access your KMS key" (AWS knowledge-center article
  "athena-output-bucket-error").

ErrorType is 1500 ("Permission error") for Glue and 1501 ("Amazon S3 permission error") for S3,
from Athena's error catalog; which number real Athena puts on each of these texts has not been
observed. Athena also appends "This query ran against the ... database" to console messages; the
local engine's other errors do not carry it either.

What the emulator checks. StartQueryExecution is authorized against the workgroup by the IAM layer
(iam/gaps.py) and captures the caller's access key (iam.current_access_key()) into the query's run;
on the worker thread every catalog read, listing, file read and result write above is decided with
iam.decide/iam.decide_s3 for that key, just before the engine does it (so a query denied on a
partition has already read the ones before it, and a denied `.metadata` follows a written `.csv`).
With enforcement off every decision is "allowed" and nothing changes.

Not checked: Lake Formation grants (lakeformation:GetDataAccess), s3:GetBucketLocation on the
output bucket ("Unable to verify/create output bucket" is answered only for a bucket that does not
exist), multipart upload actions, CSE_KMS results (Athena's own kms:GenerateDataKey outside S3),
glue:GetPartition/BatchGetPartition (the engine reads every registered partition, as GetPartitions),
and the aws:CalledVia / aws:ViaAWSService keys Athena adds to the Glue and S3 calls it makes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tooling import aws_env
from tooling.emulator import iam
from tooling.emulator.athena import engine
from tooling.emulator.iam.policy import Decision

GLUE_PERMISSION_ERROR = 1500
S3_PERMISSION_ERROR = 1501
GLUE_INSUFFICIENT = "Insufficient permissions to execute the query."
OUTPUT_DENIED = (
    "Access denied when writing output to url: {url} . Please ensure you are allowed to access the S3 "
    "bucket. If you are encrypting query results with KMS key, please ensure you are allowed to access "
    "your KMS key"
)


class PermissionDenied(engine.QueryFailed):
    """A denial: Athena's text stands alone (no error name in front), category USER."""

    def __init__(self, message: str, error_type: int) -> None:
        super().__init__("PERMISSION_DENIED", message)
        self._error_type = error_type

    @property
    def reason(self) -> str:
        return self.message

    @property
    def error_type(self) -> int:
        return self._error_type


# --- Athena's texts (pure) ------------------------------------------------------------------------


def glue_denied(iam_message: str) -> PermissionDenied:
    return PermissionDenied(f"{GLUE_INSUFFICIENT} {iam_message}", GLUE_PERMISSION_ERROR)


def s3_path_denied(bucket: str, key: str) -> PermissionDenied:
    path = f"s3://{bucket}/{key}".rstrip("/")
    return PermissionDenied(f"Permission denied on S3 path: {path}", S3_PERMISSION_ERROR)


def output_denied(bucket: str, key: str) -> PermissionDenied:
    return PermissionDenied(OUTPUT_DENIED.format(url=f"s3://{bucket}/{key}"), S3_PERMISSION_ERROR)


def ddl_denied(iam_message: str, request_id: str) -> engine.QueryFailed:
    """A Glue denial inside Hive DDL, as Athena reports it (`FAILED: Execution Error, ...`)."""
    return engine.QueryFailed(
        "FAILED",
        "Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. "
        f"MetaException(message:{iam_message} (Service: AmazonDataCatalog; Status Code: 400; Error Code: "
        f"AccessDeniedException; Request ID: {request_id}; Proxy: null))",
    )


def result_headers(configuration: Mapping[str, Any] | None) -> dict[str, str]:
    """The encryption headers of a result PutObject for a workgroup's EncryptionConfiguration
    (SSE_S3 -> AES256, SSE_KMS -> aws:kms with the key; CSE_KMS encrypts before S3, so none)."""
    option = (configuration or {}).get("EncryptionOption")
    if option == "SSE_S3":
        return {"x-amz-server-side-encryption": "AES256"}
    if option == "SSE_KMS":
        headers = {"x-amz-server-side-encryption": "aws:kms"}
        if (configuration or {}).get("KmsKey"):
            headers["x-amz-server-side-encryption-aws-kms-key-id"] = str((configuration or {})["KmsKey"])
        return headers
    return {}


def database_arns(database: str, region: str, account: str) -> list[str]:
    base = f"arn:aws:glue:{region}:{account}"
    return [f"{base}:catalog", f"{base}:database/{database.lower()}"]


# --- the caller -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """The principal a query runs as: the access key that called StartQueryExecution."""

    who: str | None
    region: str = aws_env.REGION
    account: str = aws_env.ACCOUNT_ID

    def glue(self, action: str, resources: Sequence[str]) -> Decision:
        return iam.decide(self.who, action, list(resources))

    def require_glue(self, action: str, resources: Sequence[str]) -> None:
        decision = self.glue(action, resources)
        if not decision.allowed:
            raise glue_denied(decision.message(iam.principal_arn(self.who)))

    def require_list(self, bucket: str, prefix: str) -> None:
        if not iam.decide_s3(
            self.who,
            "GET",
            bucket,
            query={"list-type": "2", "prefix": prefix},
            region=self.region,
            account=self.account,
        ).allowed:
            raise s3_path_denied(bucket, prefix)

    def require_read(self, bucket: str, key: str) -> None:
        if not iam.decide_s3(self.who, "GET", bucket, key, region=self.region, account=self.account).allowed:
            raise s3_path_denied(bucket, key)

    def require_write(self, bucket: str, key: str, headers: Mapping[str, str]) -> None:
        if not iam.decide_s3(
            self.who, "PUT", bucket, key, headers=headers, region=self.region, account=self.account
        ).allowed:
            raise output_denied(bucket, key)

    def principal(self) -> str:
        return iam.principal_arn(self.who)


@dataclass
class AuthorizedCatalog:
    """A Catalog whose reads are the caller's Glue calls (engine.Catalog)."""

    inner: engine.Catalog
    caller: Caller

    def _arns(self, database: str, table: str) -> list[str]:
        return iam.glue_table_arns(database, table, self.caller.region, self.caller.account)

    def has_database(self, name: str) -> bool:
        self.caller.require_glue("glue:GetDatabase", database_arns(name, self.caller.region, self.caller.account))
        return self.inner.has_database(name)

    def table(self, database: str, name: str) -> engine.Table | None:
        self.caller.require_glue("glue:GetTable", self._arns(database, name))
        found = self.inner.table(database, name)
        if found is not None and found.partition_keys:
            self.caller.require_glue("glue:GetPartitions", self._arns(database, name))
        return found

    def databases(self) -> list[str]:
        self.caller.require_glue("glue:GetDatabases", database_arns("*", self.caller.region, self.caller.account))
        return self.inner.databases()

    def tables(self, database: str) -> list[str]:
        self.caller.require_glue("glue:GetTables", self._arns(database, "*"))
        return self.inner.tables(database)


@dataclass
class AuthorizedObjects:
    """An ObjectStore whose listings and reads are the caller's S3 requests (engine.ObjectStore)."""

    inner: engine.ObjectStore
    caller: Caller

    def list(self, bucket: str, prefix: str) -> list[engine.StoredObject]:
        self.caller.require_list(bucket, prefix)
        return self.inner.list(bucket, prefix)

    def read(self, bucket: str, key: str) -> bytes:
        self.caller.require_read(bucket, key)
        return self.inner.read(bucket, key)
