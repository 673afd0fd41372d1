"""Athena queries on the emulator: tables as a Glue crawler writes them over CSV and JSON-lines
files under Hive partitions, a workgroup with enforced, encrypted results and a scan cutoff."""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tooling.emulator.athena.results import parse_metadata
from tooling.emulator.server import Emulator

FINAL = ("SUCCEEDED", "FAILED", "CANCELLED")
TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

SALES_FILES = {
    "sales/dt=2024-01-01/part-00000.csv": b"order_id,customer,amount\n1,alice,10.5\n2,bob,4.5\n",
    "sales/dt=2024-01-01/part-00001.csv.gz": gzip.compress(b"order_id,customer,amount\n3,alice,5.0\n"),
    "sales/dt=2024-01-02/part-00000.csv": b"order_id,customer,amount\n4,carol,7.25\n5,bob,2.75\n",
    "sales/dt=2024-01-03/part-00000.csv": b"order_id,customer,amount\n6,dave,100.0\n",  # not registered
}
CUSTOMER_FILES = {
    "customers/dt=2024-01-01/customers.json": (
        b'{"customer": "alice", "tier": "gold"}\n'
        b'{"customer": "bob", "tier": "silver"}\n'
        b'{"customer": "carol", "tier": null}\n'
    ),
}
READ_SALES = [k for k in SALES_FILES if "2024-01-03" not in k]
CUTOFF = 10_000_000  # the smallest BytesScannedCutoffPerQuery Athena (and botocore) accepts


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def crawler_table(name: str, location: str, columns: list[tuple[str, str]], classification: str) -> dict[str, Any]:
    """A TableInput as a Glue crawler writes it for CSV with a header or for JSON lines."""
    if classification == "csv":
        serde = {
            "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
            "Parameters": {"field.delim": ","},
        }
        parameters = {
            "classification": "csv",
            "skip.header.line.count": "1",
            "delimiter": ",",
            "areColumnsQuoted": "false",
            "columnsOrdered": "true",
            "compressionType": "none",
            "typeOfData": "file",
            "CrawlerSchemaDeserializerVersion": "1.0",
            "CrawlerSchemaSerializerVersion": "1.0",
            "UPDATED_BY_CRAWLER": "catalog-crawler",
        }
    else:
        serde = {
            "SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe",
            "Parameters": {"paths": ",".join(n for n, _ in columns)},
        }
        parameters = {
            "classification": "json",
            "compressionType": "none",
            "typeOfData": "file",
            "CrawlerSchemaDeserializerVersion": "1.0",
            "CrawlerSchemaSerializerVersion": "1.0",
            "UPDATED_BY_CRAWLER": "catalog-crawler",
        }
    return {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": parameters,
        "PartitionKeys": [{"Name": "dt", "Type": "string"}],
        "StorageDescriptor": {
            "Columns": [{"Name": n, "Type": t} for n, t in columns],
            "Location": location,
            "InputFormat": TEXT_INPUT,
            "OutputFormat": TEXT_OUTPUT,
            "Compressed": False,
            "NumberOfBuckets": -1,
            "SerdeInfo": serde,
            "BucketColumns": [],
            "SortColumns": [],
            "Parameters": parameters,
            "StoredAsSubDirectories": False,
        },
    }


@dataclass
class Lake:
    emulator: Emulator
    database: str
    data_bucket: str
    results_bucket: str
    workgroup: str
    open_workgroup: str
    cutoff_workgroup: str

    @property
    def athena(self) -> Any:
        return self.emulator.client("athena")

    def start(self, sql: str, workgroup: str | None = None, **extra: Any) -> str:
        query_id: str = self.athena.start_query_execution(
            QueryString=sql,
            QueryExecutionContext={"Database": self.database},
            WorkGroup=workgroup or self.workgroup,
            **extra,
        )["QueryExecutionId"]
        return query_id

    def execution(self, query_id: str) -> dict[str, Any]:
        execution: dict[str, Any] = self.athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        return execution


@pytest.fixture(scope="module")
def lake(emulator: Emulator) -> Lake:
    s3, glue, athena = emulator.client("s3"), emulator.client("glue"), emulator.client("athena")
    data_bucket, results_bucket = unique("athena-data"), unique("athena-results")
    s3.create_bucket(Bucket=data_bucket)
    s3.create_bucket(Bucket=results_bucket)
    for key, body in {**SALES_FILES, **CUSTOMER_FILES}.items():
        s3.put_object(Bucket=data_bucket, Key=key, Body=body)
    s3.put_object(Bucket=data_bucket, Key="sales/dt=2024-01-01/_SUCCESS", Body=b"")
    database = unique("shop").replace("-", "_")
    glue.create_database(DatabaseInput={"Name": database})
    tables = {
        "sales": (
            [("order_id", "bigint"), ("customer", "string"), ("amount", "double")],
            "csv",
            ["2024-01-01", "2024-01-02"],
        ),
        "customers": ([("customer", "string"), ("tier", "string")], "json", ["2024-01-01"]),
    }
    for name, (columns, classification, partitions) in tables.items():
        location = f"s3://{data_bucket}/{name}/"
        table = crawler_table(name, location, columns, classification)
        glue.create_table(DatabaseName=database, TableInput=table)
        for dt in partitions:
            descriptor = {**table["StorageDescriptor"], "Location": f"{location}dt={dt}/"}
            glue.create_partition(
                DatabaseName=database, TableName=name, PartitionInput={"Values": [dt], "StorageDescriptor": descriptor}
            )
    workgroups = {}
    for role, configuration in {
        "enforced": {
            "EnforceWorkGroupConfiguration": True,
            "BytesScannedCutoffPerQuery": 10_485_760,
            "ResultConfiguration": {
                "OutputLocation": f"s3://{results_bucket}/enforced/",
                "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"},
            },
        },
        "open": {
            "EnforceWorkGroupConfiguration": False,
            "ResultConfiguration": {"OutputLocation": f"s3://{results_bucket}/open/"},
        },
        "cutoff": {
            "EnforceWorkGroupConfiguration": True,
            "BytesScannedCutoffPerQuery": CUTOFF,
            "ResultConfiguration": {"OutputLocation": f"s3://{results_bucket}/cutoff/"},
        },
    }.items():
        workgroups[role] = unique(f"wg-{role}")
        # moto lists a workgroup's tags only when it has some (the provider reads them back).
        athena.create_work_group(
            Name=workgroups[role], Configuration=configuration, Tags=[{"Key": "emulator", "Value": "moto"}]
        )
    return Lake(
        emulator,
        database,
        data_bucket,
        results_bucket,
        workgroups["enforced"],
        workgroups["open"],
        workgroups["cutoff"],
    )


@pytest.fixture
def finished(lake: Lake, wait_for: Callable[..., Any]) -> Callable[[str], dict[str, Any]]:
    """finished(query_id) -> the QueryExecution once it has reached a final state."""

    def wait(query_id: str) -> dict[str, Any]:
        execution: dict[str, Any] = wait_for(lambda: (e := lake.execution(query_id))["Status"]["State"] in FINAL and e)
        return execution

    return wait


def values(rows: list[dict[str, Any]]) -> list[list[str | None]]:
    return [[d.get("VarCharValue") for d in row["Data"]] for row in rows]


def error_of(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    return dict(caught.value.response["Error"]) | {"AthenaErrorCode": caught.value.response.get("AthenaErrorCode")}


GROUPED = "SELECT dt, count(*) AS orders, sum(amount) AS revenue FROM sales GROUP BY dt ORDER BY dt"


def test_a_grouped_query_over_csv_partitions_returns_athenas_rows(lake: Lake, finished: Callable[..., Any]) -> None:
    execution = finished(lake.start(GROUPED))

    assert execution["Status"]["State"] == "SUCCEEDED"
    results = lake.athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    assert values(results["ResultSet"]["Rows"]) == [
        ["dt", "orders", "revenue"],
        ["2024-01-01", "3", "20.0"],
        ["2024-01-02", "2", "10.0"],
    ]
    assert [(c["Name"], c["Type"]) for c in results["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]] == [
        ("dt", "varchar"),
        ("orders", "bigint"),
        ("revenue", "double"),
    ]
    assert results["UpdateCount"] == 0
    assert execution["Statistics"]["DataScannedInBytes"] == sum(len(SALES_FILES[k]) for k in READ_SALES)
    assert (execution["StatementType"], execution["SubstatementType"]) == ("DML", "SELECT")
    assert execution["WorkGroup"] == lake.workgroup
    assert execution["EngineVersion"]["EffectiveEngineVersion"] == "Athena engine version 3"
    assert execution["Statistics"]["TotalExecutionTimeInMillis"] >= execution["Statistics"]["QueryQueueTimeInMillis"]


def test_a_join_of_the_csv_and_json_tables(lake: Lake, finished: Callable[..., Any]) -> None:
    sql = (
        "SELECT c.tier, count(*) AS orders, sum(s.amount) AS revenue FROM sales s "
        "LEFT JOIN customers c ON s.customer = c.customer GROUP BY c.tier ORDER BY c.tier NULLS LAST"
    )

    execution = finished(lake.start(sql))

    assert execution["Status"]["State"] == "SUCCEEDED"
    rows = lake.athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])["ResultSet"]["Rows"]
    assert values(rows) == [
        ["tier", "orders", "revenue"],
        ["gold", "2", "15.5"],
        ["silver", "2", "7.25"],
        [None, "1", "7.25"],
    ]


def test_results_are_written_as_csv_and_metadata_with_the_workgroups_encryption(
    lake: Lake, finished: Callable[..., Any]
) -> None:
    s3 = lake.emulator.client("s3")
    execution = finished(lake.start(GROUPED, ResultConfiguration={"OutputLocation": f"s3://{lake.results_bucket}/x/"}))
    query_id = execution["QueryExecutionId"]

    assert execution["ResultConfiguration"] == {
        "OutputLocation": f"s3://{lake.results_bucket}/enforced/{query_id}.csv",
        "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"},
    }
    result = s3.get_object(Bucket=lake.results_bucket, Key=f"enforced/{query_id}.csv")
    assert result["Body"].read() == b'"dt","orders","revenue"\n"2024-01-01","3","20.0"\n"2024-01-02","2","10.0"\n'
    assert result["ServerSideEncryption"] == "AES256"
    metadata = s3.get_object(Bucket=lake.results_bucket, Key=f"enforced/{query_id}.csv.metadata")
    assert metadata["ServerSideEncryption"] == "AES256"
    _, columns = parse_metadata(metadata["Body"].read())
    assert [(c["Name"], c["Type"]) for c in columns] == [("dt", "varchar"), ("orders", "bigint"), ("revenue", "double")]
    assert s3.list_objects_v2(Bucket=lake.results_bucket, Prefix="x/")["KeyCount"] == 0


def test_results_page_with_the_header_on_the_first_page_only(lake: Lake, finished: Callable[..., Any]) -> None:
    query_id = finished(lake.start("SELECT order_id FROM sales ORDER BY order_id"))["QueryExecutionId"]
    pages, token = [], None
    while True:
        page = lake.athena.get_query_results(
            QueryExecutionId=query_id, MaxResults=2, **({"NextToken": token} if token else {})
        )
        pages.append(values(page["ResultSet"]["Rows"]))
        token = page.get("NextToken")
        if not token:
            break

    assert pages == [[["order_id"], ["1"]], [["2"], ["3"]], [["4"], ["5"]], []]
    too_many = error_of(lambda: lake.athena.get_query_results(QueryExecutionId=query_id, MaxResults=1001))
    assert too_many["Message"] == "MaxResults is more than maximum allowed length 1000"
    bad_token = error_of(lambda: lake.athena.get_query_results(QueryExecutionId=query_id, NextToken="bogus"))
    assert bad_token["Message"] == "Malformed nextPageToken bogus"


@pytest.mark.parametrize(
    ("sql", "reason", "error_type"),
    [
        (
            "SELECT * FROM missing",
            "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.{db}.missing' does not exist",
            1301,
        ),
        ("SELECT * FROM nowhere.sales", "SCHEMA_NOT_FOUND: line 1:15: Schema 'nowhere' does not exist", 1301),
        (
            "SELECT colour FROM sales",
            "COLUMN_NOT_FOUND: line 1:8: Column 'colour' cannot be resolved or requester is "
            "not authorized to access requested resources",
            1006,
        ),
        (
            "SELECT customer, count(*) FROM sales GROUP BY dt",
            "EXPRESSION_NOT_AGGREGATE: line 1:8: 'customer' must be an "
            "aggregate expression or appear in GROUP BY clause",
            1006,
        ),
    ],
)
def test_a_failing_query_ends_failed_with_athenas_error(
    lake: Lake, finished: Callable[..., Any], sql: str, reason: str, error_type: int
) -> None:
    execution = finished(lake.start(sql))

    expected = reason.format(db=lake.database)
    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"] == expected
    assert execution["Status"]["AthenaError"] == {
        "ErrorCategory": 2,
        "ErrorType": error_type,
        "Retryable": False,
        "ErrorMessage": expected,
    }
    failed = error_of(lambda: lake.athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"]))
    assert (failed["Code"], failed["Message"], failed["AthenaErrorCode"]) == (
        "InvalidRequestException",
        "Query did not finish successfully. Final query state: FAILED",
        "INVALID_QUERY_EXECUTION_STATE",
    )


def test_a_statement_that_does_not_parse_is_refused_at_start(lake: Lake) -> None:
    refused = error_of(lambda: lake.start("SELECT * FROM sales WHERE"))

    assert refused["Code"] == "InvalidRequestException"
    assert refused["AthenaErrorCode"] == "MALFORMED_QUERY"
    assert refused["Message"].startswith("line 1:21: mismatched input 'WHERE'")


def test_a_query_past_the_cutoff_is_cancelled(lake: Lake, finished: Callable[..., Any]) -> None:
    s3, glue = lake.emulator.client("s3"), lake.emulator.client("glue")
    s3.put_object(Bucket=lake.data_bucket, Key="blobs/a.txt", Body=b"small\n")
    s3.put_object(Bucket=lake.data_bucket, Key="blobs/b.txt", Body=b"x" * CUTOFF + b"\n")
    glue.create_table(
        DatabaseName=lake.database,
        TableInput={
            "Name": "blobs",
            "StorageDescriptor": {
                "Columns": [{"Name": "line", "Type": "string"}],
                "Location": f"s3://{lake.data_bucket}/blobs/",
                "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
            },
        },
    )

    execution = finished(lake.start("SELECT count(*) FROM blobs", workgroup=lake.cutoff_workgroup))

    assert execution["Status"]["State"] == "CANCELLED"
    assert execution["Status"]["StateChangeReason"] == "Bytes scanned limit was exceeded"
    assert execution["Statistics"]["DataScannedInBytes"] == CUTOFF
    gone = error_of(lambda: lake.athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"]))
    assert (gone["Message"], gone["AthenaErrorCode"]) == ("Could not find results", "RESULT_NOT_FOUND")
    under = finished(lake.start(GROUPED, workgroup=lake.cutoff_workgroup))
    assert under["Status"]["State"] == "SUCCEEDED"


def test_a_workgroup_that_does_not_enforce_takes_the_clients_location_and_key(
    lake: Lake, finished: Callable[..., Any]
) -> None:
    s3 = lake.emulator.client("s3")
    key_arn = lake.emulator.client("kms").create_key()["KeyMetadata"]["Arn"]
    configuration = {
        "OutputLocation": f"s3://{lake.results_bucket}/mine",
        "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": key_arn},
    }

    overridden = finished(
        lake.start("SELECT 'x' AS v", workgroup=lake.open_workgroup, ResultConfiguration=configuration)
    )
    default = finished(lake.start("SELECT 'y' AS v", workgroup=lake.open_workgroup))

    query_id = overridden["QueryExecutionId"]
    assert overridden["ResultConfiguration"]["OutputLocation"] == f"s3://{lake.results_bucket}/mine/{query_id}.csv"
    written = s3.get_object(Bucket=lake.results_bucket, Key=f"mine/{query_id}.csv")
    assert written["Body"].read() == b'"v"\n"x"\n'
    assert (written["ServerSideEncryption"], written["SSEKMSKeyId"]) == ("aws:kms", key_arn)
    assert default["ResultConfiguration"]["OutputLocation"] == (
        f"s3://{lake.results_bucket}/open/{default['QueryExecutionId']}.csv"
    )
    assert "ServerSideEncryption" not in s3.head_object(
        Bucket=lake.results_bucket, Key=f"open/{default['QueryExecutionId']}.csv"
    )


def test_unknown_and_disabled_workgroups_refuse_queries(lake: Lake) -> None:
    unknown = error_of(lambda: lake.start("SELECT 1", workgroup="no-such-workgroup"))
    assert (unknown["Code"], unknown["Message"]) == ("InvalidRequestException", "WorkGroup is not found.")

    name = unique("wg-disabled")
    lake.athena.create_work_group(
        Name=name,
        Configuration={"ResultConfiguration": {"OutputLocation": f"s3://{lake.results_bucket}/disabled/"}},
        Tags=[{"Key": "emulator", "Value": "moto"}],
    )
    lake.athena.update_work_group(WorkGroup=name, State="DISABLED")
    assert lake.athena.get_work_group(WorkGroup=name)["WorkGroup"]["State"] == "DISABLED"
    disabled = error_of(lambda: lake.start("SELECT 1", workgroup=name))
    assert (disabled["Code"], disabled["Message"]) == ("InvalidRequestException", f"WorkGroup {name} is disabled.")


def test_a_query_without_an_output_location_is_refused(lake: Lake) -> None:
    name = unique("wg-nowhere")
    lake.athena.create_work_group(
        Name=name, Configuration={"EnforceWorkGroupConfiguration": False}, Tags=[{"Key": "emulator", "Value": "moto"}]
    )

    refused = error_of(lambda: lake.start("SELECT 1", workgroup=name))

    assert refused["Message"] == (
        "No output location provided. An output location is required either through the "
        "Workgroup result configuration setting or as an API input."
    )


def test_executions_are_listed_and_fetched_in_batches(lake: Lake, finished: Callable[..., Any]) -> None:
    first = finished(lake.start("SELECT 1", workgroup=lake.open_workgroup))["QueryExecutionId"]
    second = finished(lake.start("SELECT 2", workgroup=lake.open_workgroup))["QueryExecutionId"]

    listed = lake.athena.list_query_executions(WorkGroup=lake.open_workgroup)["QueryExecutionIds"]
    batch = lake.athena.batch_get_query_execution(QueryExecutionIds=[first, "no-such-id"])

    assert listed.index(second) < listed.index(first)
    assert first not in lake.athena.list_query_executions(WorkGroup=lake.workgroup)["QueryExecutionIds"]
    assert [e["QueryExecutionId"] for e in batch["QueryExecutions"]] == [first]
    assert batch["UnprocessedQueryExecutionIds"][0]["QueryExecutionId"] == "no-such-id"


def test_stopping_a_finished_query_changes_nothing_and_an_unknown_id_is_refused(
    lake: Lake, finished: Callable[..., Any]
) -> None:
    query_id = finished(lake.start("SELECT 1"))["QueryExecutionId"]

    lake.athena.stop_query_execution(QueryExecutionId=query_id)

    assert lake.execution(query_id)["Status"]["State"] == "SUCCEEDED"
    missing = error_of(lambda: lake.athena.get_query_execution(QueryExecutionId="no-such-id"))
    assert missing["Message"] == "QueryExecution no-such-id was not found"


def test_a_bad_query_leaves_the_server_answering(lake: Lake, finished: Callable[..., Any]) -> None:
    broken = finished(lake.start("SELECT CAST('x' AS integer) FROM sales"))
    after = finished(lake.start(GROUPED))

    assert broken["Status"]["State"] == "FAILED"
    assert broken["Status"]["AthenaError"]["ErrorMessage"].startswith("INVALID_CAST_ARGUMENT")
    assert after["Status"]["State"] == "SUCCEEDED"
    assert json.dumps(after, default=str)


def test_show_tables_and_database_ddl_use_the_glue_catalog(lake: Lake, finished: Callable[..., Any]) -> None:
    s3, glue = lake.emulator.client("s3"), lake.emulator.client("glue")
    shown = finished(lake.start("SHOW TABLES"))
    rows = lake.athena.get_query_results(QueryExecutionId=shown["QueryExecutionId"])["ResultSet"]["Rows"]
    names = [r[0] for r in values(rows)]
    assert {"customers", "sales"} <= set(names)
    assert names == sorted(names)
    assert shown["ResultConfiguration"]["OutputLocation"].endswith(".txt")
    assert (shown["StatementType"], shown["SubstatementType"]) == ("UTILITY", "SHOW_TABLES")
    text = s3.get_object(Bucket=lake.results_bucket, Key=f"enforced/{shown['QueryExecutionId']}.txt")["Body"].read()
    assert text.decode().split("\n") == names

    name = unique("made").replace("-", "_")
    created = finished(lake.start(f"CREATE DATABASE {name}"))
    assert (created["Status"]["State"], created["StatementType"]) == ("SUCCEEDED", "DDL")
    assert glue.get_database(Name=name)["Database"]["Name"] == name
    again = finished(lake.start(f"CREATE DATABASE {name}"))
    assert again["Status"]["StateChangeReason"] == (
        "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. "
        f"AlreadyExistsException(message:Database {name} already exists)"
    )
    assert finished(lake.start(f"DROP DATABASE IF EXISTS {name}"))["Status"]["State"] == "SUCCEEDED"
    assert name not in [d["Name"] for d in glue.get_databases()["DatabaseList"]]
