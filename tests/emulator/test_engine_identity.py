"""The local engines act as AWS's identities (EMULATOR_IAM=enforce): an Athena query reads the
catalog and S3 and writes its results as its caller; a Glue crawl lists, reads, writes the catalog
and logs as the crawler's role; Glue and Lambda take only roles that trust them.

One enforcing emulator of this module's own. The administrator (the fake credentials) builds a
small lake; IAM users (Athena) and roles (Glue, Lambda) with least-privilege policies then act, and
each case says what AWS does. The shared emulator's tests show that nothing changes without
enforcement.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tooling import aws_env
from tooling.aws_env import Caller
from tooling.emulator.server import Emulator
from tooling.paths import BUILD
from tooling.policy_documents import allow, document, trust

ACCOUNT = aws_env.ACCOUNT_ID
GLUE = f"arn:aws:glue:us-east-1:{ACCOUNT}"
DATA = "engines-data"
RESULTS = "engines-results"
DATABASE = "shop"
WORKGROUP = "engines"
FINAL = ("SUCCEEDED", "FAILED", "CANCELLED")
# Roles here trust their service from this account only, as the module's roles do.
THIS_ACCOUNT = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
CSV = b"id,name,amount\n1,alice,10.5\n2,bob,4.5\n"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# --- Athena: what a query needs, statement by statement ------------------------------------------

QUERY = {
    "run": allow(
        ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
        f"arn:aws:athena:us-east-1:{ACCOUNT}:workgroup/{WORKGROUP}",
    ),
    "catalog": allow(
        ["glue:GetDatabase", "glue:GetPartitions"],
        [f"{GLUE}:catalog", f"{GLUE}:database/{DATABASE}", f"{GLUE}:table/{DATABASE}/*"],
    ),
    "table": allow("glue:GetTable", [f"{GLUE}:catalog", f"{GLUE}:database/{DATABASE}", f"{GLUE}:table/{DATABASE}/*"]),
    "list": allow("s3:ListBucket", f"arn:aws:s3:::{DATA}", StringLike={"s3:prefix": ["orders/*", "secret/*"]}),
    "read": allow("s3:GetObject", [f"arn:aws:s3:::{DATA}/orders/*", f"arn:aws:s3:::{DATA}/secret/*"]),
    # the results are written with the workgroup's SSE_S3 header, which this condition requires
    "write": allow(
        "s3:PutObject", f"arn:aws:s3:::{RESULTS}/out/*", StringEquals={"s3:x-amz-server-side-encryption": "AES256"}
    ),
}


@pytest.fixture(scope="module")
def enforcing() -> Iterator[Emulator]:
    server = Emulator(
        settings={"EMULATOR_IAM": "enforce", "EMULATOR_CRAWL_SECONDS": "0"},
        log_path=BUILD / "test-emulator-engines.log",
    ).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lake(enforcing: Emulator) -> str:
    """The administrator's lake: `shop.orders` (CSV), `shop.secret` (SSE-KMS CSV), an SSE_S3
    workgroup writing to s3://engines-results/out/. Returns the KMS key's ARN."""
    s3, glue = enforcing.client("s3"), enforcing.client("glue")
    for bucket in (DATA, RESULTS):
        s3.create_bucket(Bucket=bucket)
    key = enforcing.client("kms").create_key(Description="engines")["KeyMetadata"]["Arn"]
    s3.put_object(Bucket=DATA, Key="orders/part-0.csv", Body=CSV)
    s3.put_object(Bucket=DATA, Key="secret/part-0.csv", Body=CSV, ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    glue.create_database(DatabaseInput={"Name": DATABASE})
    for table in ("orders", "secret"):
        glue.create_table(
            DatabaseName=DATABASE,
            TableInput={
                "Name": table,
                "TableType": "EXTERNAL_TABLE",
                "Parameters": {"classification": "csv", "skip.header.line.count": "1"},
                "StorageDescriptor": {
                    "Columns": [
                        {"Name": "id", "Type": "bigint"},
                        {"Name": "name", "Type": "string"},
                        {"Name": "amount", "Type": "double"},
                    ],
                    "Location": f"s3://{DATA}/{table}/",
                    "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                    "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    "SerdeInfo": {
                        "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                        "Parameters": {"field.delim": ","},
                    },
                },
            },
        )
    enforcing.client("athena").create_work_group(
        Name=WORKGROUP,
        Configuration={
            "EnforceWorkGroupConfiguration": True,
            "ResultConfiguration": {
                "OutputLocation": f"s3://{RESULTS}/out/",
                "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"},
            },
        },
    )
    return str(key)


@pytest.fixture(scope="module")
def analyst(enforcing: Emulator, lake: str) -> Callable[..., Caller]:
    """analyst(*left_out): an IAM user holding every QUERY statement but the ones named."""
    made: dict[tuple[str, ...], Caller] = {}

    def make(*left_out: str) -> Caller:
        if left_out not in made:
            iam = enforcing.client("iam")
            name = unique("analyst")
            iam.create_user(UserName=name)
            statements = [s for k, s in QUERY.items() if k not in left_out]
            iam.put_user_policy(UserName=name, PolicyName="query", PolicyDocument=document(*statements))
            key = iam.create_access_key(UserName=name)["AccessKey"]
            made[left_out] = Caller(
                enforcing.url,
                {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]},
            )
        return made[left_out]

    return make


def run_query(caller: Caller, sql: str, wait_for: Callable[..., Any]) -> dict[str, Any]:
    """Start `sql` as `caller` in the workgroup; the execution once it has ended."""
    athena = caller("athena")
    query_id = athena.start_query_execution(
        QueryString=sql, WorkGroup=WORKGROUP, QueryExecutionContext={"Database": DATABASE}
    )["QueryExecutionId"]

    def ended() -> dict[str, Any] | None:
        execution: dict[str, Any] = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        return execution if execution["Status"]["State"] in FINAL else None

    found: dict[str, Any] = wait_for(ended, timeout=30, interval=0.05)
    return found


def user_arn(caller: Caller) -> str:
    return str(caller("sts").get_caller_identity()["Arn"])


def test_a_query_by_a_user_allowed_everything_it_needs_succeeds(
    enforcing: Emulator, analyst: Callable[..., Caller], wait_for: Callable[..., Any]
) -> None:
    user = analyst()
    execution = run_query(user, "SELECT name, amount FROM orders ORDER BY id", wait_for)

    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    rows = user("athena").get_query_results(QueryExecutionId=execution["QueryExecutionId"])["ResultSet"]["Rows"]
    assert [[c["VarCharValue"] for c in r["Data"]] for r in rows] == [
        ["name", "amount"],
        ["alice", "10.5"],
        ["bob", "4.5"],
    ]
    written = enforcing.client("s3").head_object(Bucket=RESULTS, Key=f"out/{execution['QueryExecutionId']}.csv")
    assert written["ServerSideEncryption"] == "AES256"


def test_a_query_without_s3_get_object_on_the_data_fails_with_athenas_permission_message(
    analyst: Callable[..., Caller], wait_for: Callable[..., Any]
) -> None:
    execution = run_query(analyst("read"), "SELECT count(*) FROM orders", wait_for)

    status = execution["Status"]
    assert status["State"] == "FAILED"
    assert status["StateChangeReason"] == f"Permission denied on S3 path: s3://{DATA}/orders/part-0.csv"
    assert (status["AthenaError"]["ErrorCategory"], status["AthenaError"]["ErrorType"]) == (2, 1501)
    assert status["AthenaError"]["ErrorMessage"] == status["StateChangeReason"]


def test_a_query_without_s3_list_bucket_on_the_table_location_fails_on_the_location(
    analyst: Callable[..., Caller], wait_for: Callable[..., Any]
) -> None:
    execution = run_query(analyst("list"), "SELECT count(*) FROM orders", wait_for)

    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"] == f"Permission denied on S3 path: s3://{DATA}/orders"


def test_a_query_of_an_sse_kms_file_needs_kms_decrypt_on_its_key(
    analyst: Callable[..., Caller], wait_for: Callable[..., Any]
) -> None:
    execution = run_query(analyst(), "SELECT count(*) FROM secret", wait_for)

    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"] == f"Permission denied on S3 path: s3://{DATA}/secret/part-0.csv"


def test_a_query_without_glue_get_table_fails_with_the_callers_access_denied(
    analyst: Callable[..., Caller], wait_for: Callable[..., Any]
) -> None:
    user = analyst("table")
    execution = run_query(user, "SELECT count(*) FROM orders", wait_for)

    status = execution["Status"]
    assert status["State"] == "FAILED"
    assert status["StateChangeReason"] == (
        f"Insufficient permissions to execute the query. User: {user_arn(user)} is not authorized to perform: "
        f"glue:GetTable on resource: {GLUE}:catalog because no identity-based policy allows the glue:GetTable action"
    )
    assert (status["AthenaError"]["ErrorCategory"], status["AthenaError"]["ErrorType"]) == (2, 1500)


def test_a_query_without_put_object_on_the_results_location_fails_writing_its_output(
    enforcing: Emulator, analyst: Callable[..., Caller], wait_for: Callable[..., Any]
) -> None:
    execution = run_query(analyst("write"), "SELECT count(*) FROM orders", wait_for)

    query_id = execution["QueryExecutionId"]
    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"] == (
        f"Access denied when writing output to url: s3://{RESULTS}/out/{query_id}.csv . Please ensure you are "
        "allowed to access the S3 bucket. If you are encrypting query results with KMS key, please ensure you are "
        "allowed to access your KMS key"
    )
    listed = enforcing.client("s3").list_objects_v2(Bucket=RESULTS, Prefix=f"out/{query_id}")
    assert listed["KeyCount"] == 0


def test_start_query_execution_is_still_authorized_against_the_workgroup(analyst: Callable[..., Caller]) -> None:
    with pytest.raises(ClientError) as raised:
        analyst("run")("athena").start_query_execution(QueryString="SELECT 1", WorkGroup=WORKGROUP)
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"


def test_create_database_without_glue_create_database_fails_in_the_ddl_task(
    enforcing: Emulator, analyst: Callable[..., Caller], wait_for: Callable[..., Any]
) -> None:
    user = analyst()
    execution = run_query(user, f"CREATE DATABASE {unique('made').replace('-', '_')}", wait_for)

    reason = execution["Status"]["StateChangeReason"]
    assert execution["Status"]["State"] == "FAILED"
    assert reason.startswith(
        "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. "
        f"MetaException(message:User: {user_arn(user)} is not authorized to perform: "
        "glue:CreateDatabase on resource: "
    )
    assert "(Service: AmazonDataCatalog; Status Code: 400; Error Code: AccessDeniedException;" in reason


# --- Glue: a crawl runs as its role -----------------------------------------------------------


def crawl_policy(bucket: str, database: str, *left_out: str) -> list[dict[str, Any]]:
    statements = {
        "list": allow("s3:ListBucket", f"arn:aws:s3:::{bucket}", StringLike={"s3:prefix": ["items/", "items/*"]}),
        "read": allow("s3:GetObject", f"arn:aws:s3:::{bucket}/items/*"),
        "catalog": allow(
            [
                "glue:GetDatabase",
                "glue:GetTables",
                "glue:GetPartitions",
                "glue:UpdateTable",
                "glue:BatchCreatePartition",
            ],
            [f"{GLUE}:catalog", f"{GLUE}:database/{database}", f"{GLUE}:table/{database}/*"],
        ),
        "create": allow(
            "glue:CreateTable", [f"{GLUE}:catalog", f"{GLUE}:database/{database}", f"{GLUE}:table/{database}/*"]
        ),
        "logs": allow(
            ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws-glue/crawlers:*",
        ),
    }
    return [s for k, s in statements.items() if k not in left_out]


@dataclass
class Site:
    """A bucket with items/data.csv, a database and a crawler over s3://bucket/items/ whose role
    holds the crawl policy."""

    emulator: Emulator
    wait_for: Callable[..., Any]
    bucket: str
    database: str
    crawler: str
    role: str

    @property
    def glue(self) -> Any:
        return self.emulator.client("glue")

    def crawl(self) -> dict[str, Any]:
        self.glue.start_crawler(Name=self.crawler)
        self.wait_for(lambda: self.glue.get_crawler(Name=self.crawler)["Crawler"]["State"] == "READY", interval=0.05)
        crawl: dict[str, Any] = self.glue.list_crawls(CrawlerName=self.crawler)["Crawls"][-1]
        return crawl

    def tables(self) -> list[str]:
        return [t["Name"] for t in self.glue.get_tables(DatabaseName=self.database)["TableList"]]

    def log(self, crawl: dict[str, Any]) -> list[str]:
        logs = self.emulator.client("logs")
        try:
            events = logs.filter_log_events(logGroupName=crawl["LogGroup"], logStreamNames=[crawl["LogStream"]])
        except logs.exceptions.ResourceNotFoundException:
            return []
        prefix = f"[{crawl['CrawlId']}] "
        return [e["message"][len(prefix) :] for e in events["events"] if e["message"].startswith(prefix)]


@pytest.fixture
def site(enforcing: Emulator, wait_for: Callable[..., Any]) -> Callable[..., Site]:
    """site(*left_out): a crawler whose role holds every crawl statement but the ones named."""

    def make(*left_out: str) -> Site:
        bucket, database = unique("crawl-data"), unique("crawled").replace("-", "_")
        role_name, crawler = unique("crawler-role"), unique("crawler")
        enforcing.client("s3").create_bucket(Bucket=bucket)
        enforcing.client("s3").put_object(Bucket=bucket, Key="items/data.csv", Body=CSV)
        enforcing.client("glue").create_database(DatabaseInput={"Name": database})
        iam = enforcing.client("iam")
        role = iam.create_role(
            RoleName=role_name, AssumeRolePolicyDocument=trust("glue.amazonaws.com", **THIS_ACCOUNT)
        )["Role"]["Arn"]
        iam.put_role_policy(
            RoleName=role_name, PolicyName="crawl", PolicyDocument=document(*crawl_policy(bucket, database, *left_out))
        )
        enforcing.client("glue").create_crawler(
            Name=crawler, Role=role, DatabaseName=database, Targets={"S3Targets": [{"Path": f"s3://{bucket}/items/"}]}
        )
        return Site(enforcing, wait_for, bucket, database, crawler, role_name)

    return make


def test_a_crawler_whose_role_has_the_right_policy_crawls(site: Callable[..., Site]) -> None:
    lake = site()
    crawl = lake.crawl()

    assert crawl["State"] == "COMPLETED"
    assert lake.tables() == ["items"]
    assert any(line.startswith("BENCHMARK : Finished writing to Catalog") for line in lake.log(crawl))


def test_a_crawler_whose_role_lacks_glue_create_table_fails_with_the_roles_access_denied(
    site: Callable[..., Site],
) -> None:
    lake = site("create")
    crawl = lake.crawl()

    assert crawl["State"] == "FAILED"
    assert crawl["ErrorMessage"].startswith(
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/{lake.role}/AWS-Crawler is not authorized to perform: "
        f"glue:CreateTable on resource: {GLUE}:catalog because no identity-based policy allows the glue:CreateTable "
        "action (Service: AWSGlue; Status Code: 400; Error Code: AccessDeniedException; Request ID: "
    )
    assert lake.tables() == []
    last = lake.glue.get_crawler(Name=lake.crawler)["Crawler"]["LastCrawl"]
    assert (last["Status"], last["ErrorMessage"]) == ("FAILED", crawl["ErrorMessage"])
    assert f"ERROR : {crawl['ErrorMessage']}" in lake.log(crawl)


def test_a_crawler_whose_role_lacks_s3_get_object_logs_glues_read_error_and_infers_no_table(
    site: Callable[..., Site],
) -> None:
    lake = site("read")
    crawl = lake.crawl()

    # Glue logs the file it could not read and goes on without it: the crawl itself succeeds.
    assert crawl["State"] == "COMPLETED"
    assert lake.tables() == []
    errors = [line for line in lake.log(crawl) if line.startswith("ERROR : ")]
    assert len(errors) == 1
    assert errors[0].startswith(
        "ERROR : Error Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: "
    )
    assert errors[0].endswith(
        f") retrieving file at s3://{lake.bucket}/items/data.csv. Tables created did not infer schemas from this file."
    )


def test_a_crawler_whose_role_lacks_s3_list_bucket_logs_the_read_error_and_finds_nothing(
    site: Callable[..., Site],
) -> None:
    lake = site("list")
    crawl = lake.crawl()

    assert crawl["State"] == "COMPLETED"
    assert lake.tables() == []
    assert any(
        line.startswith(
            "ERROR : Not all read errors will be logged. com.amazonaws.services.s3.model."
            "AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: "
            "AccessDenied; "
        )
        for line in lake.log(crawl)
    )


def test_a_crawler_whose_role_may_not_log_crawls_without_writing_log_lines(site: Callable[..., Site]) -> None:
    lake = site("logs")
    crawl = lake.crawl()

    assert crawl["State"] == "COMPLETED"
    assert lake.tables() == ["items"]
    assert lake.log(crawl) == []


def test_create_crawler_refuses_a_role_that_does_not_trust_glue(enforcing: Emulator) -> None:
    iam = enforcing.client("iam")
    name = unique("lambda-only")
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust("lambda.amazonaws.com", **THIS_ACCOUNT))[
        "Role"
    ]["Arn"]

    with pytest.raises(ClientError) as raised:
        enforcing.client("glue").create_crawler(
            Name=unique("crawler"),
            Role=role,
            DatabaseName=DATABASE,
            Targets={"S3Targets": [{"Path": f"s3://{DATA}/orders/"}]},
        )
    assert raised.value.response["Error"] == {
        "Code": "InvalidInputException",
        "Message": "Service is unable to assume provided role. Please verify role's TrustPolicy.",
    }


def test_start_crawler_refuses_a_role_whose_trust_no_longer_allows_glue(site: Callable[..., Site]) -> None:
    lake = site()
    lake.emulator.client("iam").update_assume_role_policy(
        RoleName=lake.role, PolicyDocument=trust("lambda.amazonaws.com", **THIS_ACCOUNT)
    )

    with pytest.raises(ClientError) as raised:
        lake.glue.start_crawler(Name=lake.crawler)
    assert raised.value.response["Error"]["Code"] == "InvalidInputException"
    assert lake.glue.get_crawler(Name=lake.crawler)["Crawler"]["State"] == "READY"


# --- Lambda: the execution role must trust Lambda ------------------------------------------------


def test_create_function_refuses_a_role_that_does_not_trust_lambda(enforcing: Emulator) -> None:
    iam = enforcing.client("iam")
    glue_only = iam.create_role(
        RoleName=unique("glue-only"), AssumeRolePolicyDocument=trust("glue.amazonaws.com", **THIS_ACCOUNT)
    )["Role"]["Arn"]
    function = {
        "FunctionName": unique("fn"),
        "Runtime": "python3.11",
        "Handler": "handler.handler",
        "Code": {"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
    }

    with pytest.raises(ClientError) as raised:
        enforcing.client("lambda").create_function(Role=glue_only, **function)
    assert raised.value.response["Error"] == {
        "Code": "InvalidParameterValueException",
        "Message": "The role defined for the function cannot be assumed by Lambda.",
    }


def test_update_function_configuration_refuses_a_role_that_does_not_trust_lambda(enforcing: Emulator) -> None:
    iam = enforcing.client("iam")
    lambda_role = iam.create_role(
        RoleName=unique("fn-role"), AssumeRolePolicyDocument=trust("lambda.amazonaws.com", **THIS_ACCOUNT)
    )["Role"]["Arn"]
    glue_only = iam.create_role(
        RoleName=unique("glue-only"), AssumeRolePolicyDocument=trust("glue.amazonaws.com", **THIS_ACCOUNT)
    )["Role"]["Arn"]
    name = unique("fn")
    lambdas = enforcing.client("lambda")
    lambdas.create_function(
        FunctionName=name,
        Runtime="python3.11",
        Handler="handler.handler",
        Role=lambda_role,
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
    )

    with pytest.raises(ClientError) as raised:
        lambdas.update_function_configuration(FunctionName=name, Role=glue_only)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert lambdas.get_function_configuration(FunctionName=name)["Role"] == lambda_role
