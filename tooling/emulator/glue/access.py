"""A crawl's reads and writes, done as the crawler's role (EMULATOR_IAM=enforce).

What AWS does. Glue assumes the crawler's role (session `AWS-Crawler`: "User:
arn:aws:sts::<account>:assumed-role/<role>/AWS-Crawler is not authorized to perform: ...", as in
the InvalidInputException quoted in hashicorp/terraform-provider-aws#30370) and does everything a
crawl does with that session:

* CreateCrawler (and UpdateCrawler) first checks that Glue may assume the role at all, answering
  InvalidInputException "Service is unable to assume provided role. Please verify role's
  TrustPolicy." otherwise (the error the AWS provider and CDK deployers retry on while a new role's
  trust propagates, e.g. hashicorp/terraform-provider-aws internal/service/glue/crawler.go);
* it lists every S3 target (s3:ListBucket, the target's prefix as s3:prefix); a denied listing is a
  read error in the crawl's log ("ERROR : Not all read errors will be logged.
  com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status
  Code: 403; Error Code: AccessDenied; ...)", the line quoted in public Glue troubleshooting notes)
  and the crawl finds nothing there;
* it reads the files it classifies (s3:GetObject, and kms:Decrypt through S3 for an SSE-KMS file);
  a denied read is logged per file ("ERROR : Error Access Denied (Service: Amazon S3; Status Code:
  403; Error Code: AccessDenied; Request ID: ...) retrieving file at s3://.... Tables created did
  not infer schemas from this file.", quoted in aws-samples/aws-glue-samples#2) and the crawl goes
  on without that file: Glue does not fail a crawl for an unreadable file (a NoSuchKey on the same
  path did not either);
* it reads and writes the Data Catalog: glue:GetDatabase, GetTables and GetPartitions, then
  CreateTable, UpdateTable, BatchCreatePartition, BatchUpdatePartition, BatchDeletePartition and
  DeleteTable as the crawl's plan needs them, each on the catalog, database and table ARNs. A
  denial ends the crawl FAILED (what it wrote before stays), with AWS's AccessDenied text and the
  SDK's tail as ErrorMessage: "User: arn:aws:sts::...:assumed-role/<role>/AWS-Crawler is not
  authorized to perform: glue:CreateTable on resource: ... because no identity-based policy allows
  the glue:CreateTable action (Service: AWSGlue; Status Code: 400; Error Code:
  AccessDeniedException; Request ID: ...; Proxy: null)";
* it writes its log lines to its log group (logs:CreateLogGroup when the group is missing,
  logs:CreateLogStream when the stream is, logs:PutLogEvents); without those rights the crawl runs
  and writes no log (as tecracer's "Glue Crawlers: No GetObject, No Problem" saw).

What the emulator checks: all of the above with iam.decide/iam.decide_s3 for the role's ARN (a
session of the role: its inline and attached policies and permissions boundary; resource policies
such as bucket and key policies take part), and the trust policy with iam.service_can_assume
(glue.amazonaws.com, with aws:SourceAccount and aws:SourceArn of the crawler) at CreateCrawler and
again at StartCrawler (the StartCrawler check is the emulator's: a role's trust can change after the
crawler is created, and the local crawl needs a session of the role). With enforcement off nothing
is checked.

Not checked: Lake Formation (grants, lakeformation:GetDataAccess and use_lake_formation_credentials),
the event queue of CRAWL_EVENT_MODE (not read locally), glue:CreatePartitionIndex (the index comes
with CreateTable), glue:GetTable for each table (GetTables covers the reads), logs:AssociateKmsKey
for an encrypted log group, and crawls of other target kinds (not crawled locally).
"""

from __future__ import annotations

import base64
import os
import uuid
from dataclasses import dataclass

from moto.glue.exceptions import InvalidInputException

from tooling.emulator import iam
from tooling.emulator.glue import crawl

SESSION_NAME = "AWS-Crawler"
SERVICE = "glue.amazonaws.com"
UNABLE_TO_ASSUME = "Service is unable to assume provided role. Please verify role's TrustPolicy."


# --- Glue's texts (pure) --------------------------------------------------------------------------


def s3_request_id() -> str:
    return uuid.uuid4().hex[:16].upper()


def s3_extended_request_id() -> str:
    return base64.b64encode(os.urandom(57)).decode()


def read_error_line(bucket: str, key: str, request_id: str) -> str:
    """The crawl's log line for a file it may not read."""
    return (
        f"ERROR : Error Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; "
        f"Request ID: {request_id}) retrieving file at s3://{bucket}/{key}. Tables created did not infer schemas "
        "from this file."
    )


def list_error_line(request_id: str, extended_id: str) -> str:
    """The crawl's log line for a target it may not list."""
    return (
        "ERROR : Not all read errors will be logged. com.amazonaws.services.s3.model.AmazonS3Exception: Access "
        f"Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: {request_id}; "
        f"S3 Extended Request ID: {extended_id}; Proxy: null), S3 Extended Request ID: {extended_id}"
    )


def catalog_denied_message(iam_message: str, request_id: str) -> str:
    """A crawl's ErrorMessage for a Data Catalog call its role may not make."""
    return (
        f"{iam_message} (Service: AWSGlue; Status Code: 400; Error Code: AccessDeniedException; "
        f"Request ID: {request_id}; Proxy: null)"
    )


def role_arn(role: str, account: str) -> str:
    """The ARN of a crawler's Role, which Glue takes as an ARN, a name or `path/name`."""
    if role.startswith("arn:"):
        return role
    name = role.rsplit("/", 1)[-1]
    try:
        from moto.iam.models import iam_backends

        return str(iam_backends[account]["aws"].get_role(name).arn)
    except Exception:  # no such role: the ARN it would have
        return f"arn:aws:iam::{account}:role/{role.strip('/')}"


def session_arn(role: str) -> str:
    """The ARN of the crawler's session of `role` (an ARN)."""
    account = role.split(":")[4]
    return f"arn:aws:sts::{account}:assumed-role/{role.rsplit('/', 1)[-1]}/{SESSION_NAME}"


class CatalogDenied(Exception):
    """A Data Catalog call the role may not make: the crawl fails with `message`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the role -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrawlerRole:
    """The crawler's role, as the crawl uses it."""

    arn: str
    crawler: str
    database: str
    region: str
    account: str

    @classmethod
    def of(cls, role: str, crawler: str, database: str, region: str, account: str) -> CrawlerRole:
        return cls(role_arn(role, account), crawler, database, region, account)

    def trusted(self) -> bool:
        """Whether Glue may assume the role for this crawler (always, with enforcement off)."""
        context = {
            "aws:SourceAccount": self.account,
            "aws:SourceArn": f"arn:aws:glue:{self.region}:{self.account}:crawler/{self.crawler}",
        }
        return iam.service_can_assume(self.arn, SERVICE, context)

    def require_trusted(self, operation: str) -> None:
        if not self.trusted():
            raise InvalidInputException(operation, UNABLE_TO_ASSUME)

    def require_catalog(self, action: str, table: str | None = None) -> None:
        """`action` on the crawler's database (and `table`, "*" for every table): CatalogDenied if not allowed."""
        if table is None:
            base = f"arn:aws:glue:{self.region}:{self.account}"
            resources = [f"{base}:catalog", f"{base}:database/{self.database.lower()}"]
        else:
            resources = iam.glue_table_arns(self.database, table, self.region, self.account)
        decision = iam.decide(self.arn, action, resources)
        if not decision.allowed:
            raise CatalogDenied(catalog_denied_message(decision.message(session_arn(self.arn)), str(uuid.uuid4())))

    def list_denied(self, bucket: str, prefix: str) -> str | None:
        """The log line for a denied listing of a target; None when the role may list it."""
        decision = iam.decide_s3(
            self.arn,
            "GET",
            bucket,
            query={"list-type": "2", "prefix": prefix},
            region=self.region,
            account=self.account,
        )
        return None if decision.allowed else list_error_line(s3_request_id(), s3_extended_request_id())

    def require_read(self, bucket: str, key: str) -> None:
        """crawl.Unreadable (with Glue's log line) when the role may not read the object."""
        if not iam.decide_s3(self.arn, "GET", bucket, key, region=self.region, account=self.account).allowed:
            raise crawl.Unreadable(read_error_line(bucket, key, s3_request_id()))

    def may_log(self, group: str, stream: str, *, create_group: bool, create_stream: bool) -> bool:
        """Whether the role may write the crawl's lines (creating the group and stream if missing)."""
        arn = f"arn:aws:logs:{self.region}:{self.account}:log-group:{group}:log-stream:"
        checks = (
            ([("logs:CreateLogGroup", arn)] if create_group else [])
            + ([("logs:CreateLogStream", arn + stream)] if create_stream else [])
            + [("logs:PutLogEvents", arn + stream)]
        )
        return all(iam.authorize(self.arn, action, resource) for action, resource in checks)
