"""The parts behind the engines' identities: whether a service may assume a role (iam/trust.py),
Athena's and Glue's texts for a denial (athena/access.py, glue/access.py), a crawl going on past a
file it may not read (glue/crawl.py), and a query's reads asked as its caller in process."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tooling.emulator.athena import access as athena_access
from tooling.emulator.athena import engine
from tooling.emulator.glue import access as glue_access
from tooling.emulator.glue import crawl
from tooling.emulator.iam import trust
from tooling.policy_documents import document

ACCOUNT = "123456789012"
CRAWLER = f"arn:aws:glue:us-east-1:{ACCOUNT}:crawler/c"
CSV = b"id,name,amount\n1,alice,10.5\n2,bob,4.5\n"


def assume(principal: Any, effect: str = "Allow", action: str = "sts:AssumeRole", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Principal": principal, "Action": action, **extra}


GLUE = {"Service": "glue.amazonaws.com"}
SOURCE = {"aws:SourceAccount": ACCOUNT, "aws:SourceArn": CRAWLER}


@pytest.mark.parametrize(
    ("document", "trusted"),
    [
        (document(assume(GLUE)), True),
        (document(assume({"Service": ["lambda.amazonaws.com", "glue.amazonaws.com"]})), True),
        (document(assume({"Service": "lambda.amazonaws.com"})), False),
        (document(assume({"AWS": f"arn:aws:iam::{ACCOUNT}:root"})), False),
        (document(assume("*")), True),
        (document(assume({"AWS": "*"})), True),
        (document(assume(GLUE, action="sts:*")), True),
        (document(assume(GLUE, action="sts:TagSession")), False),
        (document(assume(GLUE, Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}})), True),
        (document(assume(GLUE, Condition={"StringEquals": {"aws:SourceAccount": "999999999999"}})), False),
        (document(assume(GLUE, Condition={"ArnLike": {"aws:SourceArn": f"arn:aws:glue:*:{ACCOUNT}:crawler/*"}})), True),
        (document(assume(GLUE), assume(GLUE, effect="Deny")), False),
        (document(assume(GLUE), assume({"Service": "lambda.amazonaws.com"}, effect="Deny")), True),
        (
            document(
                {"Effect": "Deny", "NotPrincipal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"},
                assume(GLUE),
            ),
            True,
        ),
        (
            document(
                {"Effect": "Allow", "NotPrincipal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ),
            True,
        ),
        (document(), False),
    ],
)
def test_a_service_may_assume_a_role_only_as_its_trust_policy_says(document: str, trusted: bool) -> None:
    assert trust.service_may_assume(document, "glue.amazonaws.com", SOURCE) is trusted


def test_a_role_that_does_not_exist_trusts_nobody_and_enforcement_off_asks_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tooling.emulator import iam

    missing = f"arn:aws:iam::{ACCOUNT}:role/missing-{uuid.uuid4().hex[:8]}"
    assert not trust.role_trusts(missing, "glue.amazonaws.com")
    monkeypatch.delenv(iam.SETTING, raising=False)
    assert iam.service_can_assume(missing, "glue.amazonaws.com")
    monkeypatch.setenv(iam.SETTING, iam.ENFORCE)
    assert not iam.service_can_assume(missing, "glue.amazonaws.com")


# --- Athena's texts -------------------------------------------------------------------------------


def test_athena_reports_a_denial_without_an_error_name_in_front() -> None:
    denied = athena_access.s3_path_denied("lake", "sales/dt=1/")

    assert denied.reason == "Permission denied on S3 path: s3://lake/sales/dt=1"
    assert denied.athena_error() == {
        "ErrorCategory": 2,
        "ErrorType": 1501,
        "Retryable": False,
        "ErrorMessage": denied.reason,
    }
    glue = athena_access.glue_denied("User: u is not authorized to perform: glue:GetTable on resource: r")
    assert glue.reason == (
        "Insufficient permissions to execute the query. User: u is not authorized to perform: "
        "glue:GetTable on resource: r"
    )
    assert glue.error_type == 1500
    assert athena_access.output_denied("res", "out/q.csv").reason.startswith(
        "Access denied when writing output to url: s3://res/out/q.csv . Please ensure you are allowed"
    )


@pytest.mark.parametrize(
    ("configuration", "headers"),
    [
        (None, {}),
        ({"EncryptionOption": "SSE_S3"}, {"x-amz-server-side-encryption": "AES256"}),
        ({"EncryptionOption": "SSE_KMS"}, {"x-amz-server-side-encryption": "aws:kms"}),
        (
            {"EncryptionOption": "SSE_KMS", "KmsKey": "arn:aws:kms:us-east-1:1:key/k"},
            {
                "x-amz-server-side-encryption": "aws:kms",
                "x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:1:key/k",
            },
        ),
        ({"EncryptionOption": "CSE_KMS", "KmsKey": "k"}, {}),
    ],
)
def test_results_are_written_with_the_workgroups_encryption_header(
    configuration: dict[str, str] | None, headers: dict[str, str]
) -> None:
    assert athena_access.result_headers(configuration) == headers


class Objects:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def list(self, bucket: str, prefix: str) -> list[engine.StoredObject]:
        return [engine.StoredObject(k, len(v)) for k, v in self.files.items() if k.startswith(prefix)]

    def read(self, bucket: str, key: str) -> bytes:
        return self.files[key]


class Catalog:
    def __init__(self, table: engine.Table) -> None:
        self.found = table

    def has_database(self, name: str) -> bool:
        return name == self.found.database

    def table(self, database: str, name: str) -> engine.Table | None:
        return self.found if name == self.found.name else None

    def databases(self) -> list[str]:
        return [self.found.database]

    def tables(self, database: str) -> list[str]:
        return [self.found.name]


def test_a_query_reads_the_catalog_and_s3_as_its_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.iam.models import iam_backends

    from tooling.emulator import iam

    backend = iam_backends[ACCOUNT]["aws"]
    name = f"engine-analyst-{uuid.uuid4().hex[:8]}"
    backend.create_user(region_name="us-east-1", user_name=name)
    backend.put_user_policy(
        name,
        "query",
        document(
            {"Effect": "Allow", "Action": ["glue:GetDatabase", "glue:GetTable"], "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::lake"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/orders/a.csv"},
        ),
    )
    key = backend.create_access_key(name).access_key_id
    table = engine.Table.from_glue(
        {
            "Name": "orders",
            "DatabaseName": "shop",
            "Parameters": {"skip.header.line.count": "1"},
            "StorageDescriptor": {
                "Location": "s3://lake/orders/",
                "Columns": [{"Name": "id", "Type": "bigint"}],
                "SerdeInfo": {
                    "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                    "Parameters": {"field.delim": ","},
                },
            },
        }
    )
    caller = athena_access.Caller(key)
    catalog = athena_access.AuthorizedCatalog(Catalog(table), caller)
    monkeypatch.setenv(iam.SETTING, iam.ENFORCE)

    readable = athena_access.AuthorizedObjects(Objects({"orders/a.csv": b"id\n1\n"}), caller)
    assert engine.run("SELECT count(*) FROM orders", catalog=catalog, objects=readable, database="shop").rows == [["1"]]
    unreadable = athena_access.AuthorizedObjects(
        Objects({"orders/a.csv": b"id\n1\n", "orders/b.csv": b"id\n2\n"}), caller
    )
    with pytest.raises(athena_access.PermissionDenied) as raised:
        engine.run("SELECT count(*) FROM orders", catalog=catalog, objects=unreadable, database="shop")
    assert raised.value.reason == "Permission denied on S3 path: s3://lake/orders/b.csv"
    with pytest.raises(athena_access.PermissionDenied) as listing:
        engine.run("SHOW TABLES", catalog=catalog, objects=readable, database="shop")
    assert "glue:GetTables" in listing.value.reason

    monkeypatch.delenv(iam.SETTING)
    assert engine.run("SELECT count(*) FROM orders", catalog=catalog, objects=unreadable, database="shop").rows == [
        ["2"]
    ]


# --- Glue's texts and the crawl's reads -----------------------------------------------------------


def test_glue_names_the_crawlers_session_and_words_each_denial_as_glue_does() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/service-role/crawler"

    assert glue_access.role_arn(role, ACCOUNT) == role
    assert glue_access.session_arn(role) == f"arn:aws:sts::{ACCOUNT}:assumed-role/crawler/AWS-Crawler"
    assert glue_access.read_error_line("b", "k/x.csv", "ABC") == (
        "ERROR : Error Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: "
        "ABC) retrieving file at s3://b/k/x.csv. Tables created did not infer schemas from this file."
    )
    assert glue_access.list_error_line("ABC", "EXT") == (
        "ERROR : Not all read errors will be logged. com.amazonaws.services.s3.model.AmazonS3Exception: Access "
        "Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: ABC; S3 Extended "
        "Request ID: EXT; Proxy: null), S3 Extended Request ID: EXT"
    )
    assert glue_access.catalog_denied_message("User: x is not authorized", "R") == (
        "User: x is not authorized (Service: AWSGlue; Status Code: 400; Error Code: AccessDeniedException; "
        "Request ID: R; Proxy: null)"
    )
    assert len(glue_access.s3_request_id()) == 16


def test_a_crawl_goes_on_past_a_file_it_may_not_read_and_infers_nothing_from_it() -> None:
    def denied() -> bytes:
        raise crawl.Unreadable("ERROR : Error Access Denied ... retrieving file at s3://bkt/items/b.csv.")

    target = crawl.Target("s3://bkt/items/")
    objects = [crawl.S3Object("items/a.csv", len(CSV), lambda: CSV), crawl.S3Object("items/b.csv", 9, denied)]
    files, notes = crawl.read_objects(target, objects, ())
    grouping = crawl.group(target, files, crawl.Settings(crawler="c", database="db"))

    assert notes == ["ERROR : Error Access Denied ... retrieving file at s3://bkt/items/b.csv."]
    assert [(f.key, f.schema is None, f.note) for f in files] == [
        ("items/a.csv", False, ""),
        ("items/b.csv", True, "unreadable"),
    ]
    assert [(t.name, [f.key for leaf in t.leaves for f in leaf.files]) for t in grouping.tables] == [
        ("items", ["items/a.csv"])
    ]
