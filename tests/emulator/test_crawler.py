"""Glue crawls on the running emulator (tooling/emulator/glue/crawler.py): StartCrawler reads the
bucket and writes tables and partitions, the crawl's record, its logs and its events, as Glue does.

Every test makes its own bucket, database and crawler on the session's shared emulator. A crawl
runs for EMULATOR_CRAWL_SECONDS (2 s by default); `finish` waits for the crawler to be READY
again with conftest's `wait_for` (a deadline, never a timing assertion)."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tooling import sample_data
from tooling.emulator.server import Emulator
from tooling.policy_documents import ADMINISTRATOR, trust

ROLE = "arn:aws:iam::123456789012:role/service-role/crawler"
V2_ROW = b"order_id,customer_id,product,quantity,amount,currency,channel\n1006,c-017,pen,3,3.75,EUR,web\n"
SALES_COLUMNS = [
    ("order_id", "bigint"),
    ("customer_id", "string"),
    ("product", "string"),
    ("quantity", "bigint"),
    ("amount", "double"),
    ("currency", "string"),
]


def unique(kind: str) -> str:
    return f"crawl-{kind}-{uuid.uuid4().hex[:10]}"


@dataclass
class Lake:
    """A bucket, a database and a crawler over them, on the shared emulator."""

    emulator: Emulator
    wait_for: Callable[..., Any]
    bucket: str
    database: str
    crawler: str

    @property
    def glue(self) -> Any:
        return self.emulator.client("glue")

    @property
    def s3(self) -> Any:
        return self.emulator.client("s3")

    def put(self, key: str, body: bytes) -> None:
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=body)

    def start(self) -> None:
        self.glue.start_crawler(Name=self.crawler)

    def finish(self) -> dict[str, Any]:
        """Wait for the crawler to be READY again; the crawl that ended last."""
        self.wait_for(lambda: self.glue.get_crawler(Name=self.crawler)["Crawler"]["State"] == "READY", interval=0.1)
        crawl: dict[str, Any] = self.glue.list_crawls(CrawlerName=self.crawler)["Crawls"][-1]
        return crawl

    def crawl(self) -> dict[str, Any]:
        self.start()
        return self.finish()

    def tables(self) -> dict[str, dict[str, Any]]:
        return {t["Name"]: t for t in self.glue.get_tables(DatabaseName=self.database)["TableList"]}

    def partitions(self, table: str) -> dict[tuple[str, ...], dict[str, Any]]:
        found = self.glue.get_partitions(DatabaseName=self.database, TableName=table)["Partitions"]
        return {tuple(p["Values"]): p for p in found}


@pytest.fixture(scope="module")
def crawler_role(emulator: Emulator) -> str:
    """ROLE as a real role that trusts Glue and may do anything, so that the crawls here run the same
    when the emulator enforces IAM (EMULATOR_IAM=enforce) as when it does not."""
    iam = emulator.client("iam")
    with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
        iam.create_role(RoleName="crawler", Path="/service-role/", AssumeRolePolicyDocument=trust("glue.amazonaws.com"))
    iam.put_role_policy(RoleName="crawler", PolicyName="everything", PolicyDocument=ADMINISTRATOR)
    return ROLE


@pytest.fixture
def make_lake(emulator: Emulator, wait_for: Callable[..., Any], crawler_role: str) -> Callable[..., Lake]:
    """make_lake(prefix="", database=True, **crawler): a bucket, a database and a crawler whose one
    S3 target is s3://bucket/prefix (CreateCrawler's other fields as keyword arguments)."""

    def make(prefix: str = "", database: bool = True, **crawler: Any) -> Lake:
        found = Lake(emulator, wait_for, unique("bkt"), unique("db").replace("-", "_"), unique("crawler"))
        found.s3.create_bucket(Bucket=found.bucket)
        if database:
            found.glue.create_database(DatabaseInput={"Name": found.database})
        found.glue.create_crawler(
            Name=found.crawler,
            Role=ROLE,
            DatabaseName=found.database,
            Targets={"S3Targets": [{"Path": f"s3://{found.bucket}/{prefix}"}]},
            **crawler,
        )
        return found

    return make


def columns(table: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]


def summary(crawl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """CrawlerHistory.Summary, its nested JSON strings opened."""
    return {
        entity: {action: json.loads(detail) for action, detail in actions.items()}
        for entity, actions in json.loads(crawl["Summary"]).items()
    }


def test_a_crawl_of_the_sample_data_creates_the_sales_and_events_tables(make_lake: Callable[..., Lake]) -> None:
    site = make_lake()
    sample_data.upload(site.s3, site.bucket, [""])
    site.start()
    running = site.glue.get_crawler(Name=site.crawler)["Crawler"]
    assert running["State"] == "RUNNING"
    assert running["CrawlElapsedTime"] > 0
    crawl = site.finish()
    assert crawl["State"] == "COMPLETED"

    tables = site.tables()
    assert sorted(tables) == ["events", "sales"]
    sales, events = tables["sales"], tables["events"]
    assert columns(sales) == SALES_COLUMNS
    assert sales["PartitionKeys"] == [{"Name": "dt", "Type": "string"}]
    assert sales["StorageDescriptor"]["Location"] == f"s3://{site.bucket}/sales/"
    assert sales["StorageDescriptor"]["SerdeInfo"] == {
        "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        "Parameters": {"field.delim": ","},
    }
    wanted = ("classification", "skip.header.line.count", "recordCount", "objectCount")
    assert {k: sales["Parameters"][k] for k in wanted} == {
        "classification": "csv",
        "skip.header.line.count": "1",
        "recordCount": "5",
        "objectCount": "2",
    }
    assert columns(events) == [
        ("ts", "string"),
        ("session_id", "string"),
        ("customer_id", "string"),
        ("event", "string"),
        ("path", "string"),
    ]
    assert events["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe"
    assert events["Parameters"]["classification"] == "json"

    partitions = site.partitions("sales")
    assert sorted(partitions) == [("2026-11-01",), ("2026-11-02",)]
    assert partitions[("2026-11-01",)]["StorageDescriptor"]["Location"] == f"s3://{site.bucket}/sales/dt=2026-11-01/"
    indexes = site.glue.get_partition_indexes(DatabaseName=site.database, TableName="sales")
    assert [(i["IndexName"], i["Keys"]) for i in indexes["PartitionIndexDescriptorList"]] == [
        ("crawler_partition_index", [{"Name": "dt", "Type": "string"}])
    ]


def test_the_crawl_record_has_glues_fields(emulator: Emulator, make_lake: Callable[..., Lake]) -> None:
    site = make_lake("sales/")
    sample_data.upload(site.s3, site.bucket, ["sales/"])
    crawl = site.crawl()

    assert (crawl["State"], crawl["LogGroup"], crawl["LogStream"], crawl["MessagePrefix"]) == (
        "COMPLETED",
        "/aws-glue/crawlers",
        site.crawler,
        crawl["CrawlId"],
    )
    assert crawl["EndTime"] >= crawl["StartTime"]
    assert crawl["DPUHour"] > 0
    assert "ErrorMessage" not in crawl
    assert summary(crawl) == {
        "TABLE": {"ADD": {"Details": {"names": ["sales"]}, "Count": 1}},
        "PARTITION": {"ADD": {"Details": {"sales": ["2026-11-01", "2026-11-02"]}, "Count": 2}},
    }
    crawler = site.glue.get_crawler(Name=site.crawler)["Crawler"]
    assert crawler["State"] == "READY"
    assert crawler["CrawlElapsedTime"] == 0
    assert {k: v for k, v in crawler["LastCrawl"].items() if k != "StartTime"} == {
        "Status": "SUCCEEDED",
        "LogGroup": "/aws-glue/crawlers",
        "LogStream": site.crawler,
        "MessagePrefix": crawl["CrawlId"],
    }
    [metrics] = site.glue.get_crawler_metrics(CrawlerNameList=[site.crawler])["CrawlerMetricsList"]
    assert (metrics["TablesCreated"], metrics["TablesUpdated"], metrics["TablesDeleted"]) == (1, 0, 0)
    assert metrics["LastRuntimeSeconds"] > 0
    assert metrics["MedianRuntimeSeconds"] == metrics["LastRuntimeSeconds"]
    assert (metrics["StillEstimating"], metrics["TimeLeftSeconds"]) == (False, 0)

    events = emulator.client("logs").get_log_events(logGroupName="/aws-glue/crawlers", logStreamName=site.crawler)
    lines = [e["message"] for e in events["events"]]
    assert all(line.startswith(f"[{crawl['CrawlId']}] ") for line in lines)
    assert lines[0].endswith(f"BENCHMARK : Running Start Crawl for Crawler {site.crawler}")
    assert any(line.endswith(f"INFO : Created table sales in database {site.database}") for line in lines)
    assert lines[-1].endswith("BENCHMARK : Crawler has finished running and is in state READY")


def test_a_rerun_with_update_in_database_adds_the_partition_and_the_new_column(make_lake: Callable[..., Lake]) -> None:
    site = make_lake("sales/", SchemaChangePolicy={"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "LOG"})
    sample_data.upload(site.s3, site.bucket, ["sales/"])
    site.crawl()
    site.put("sales/dt=2026-11-03/part-0000.csv", V2_ROW)
    crawl = site.crawl()

    assert summary(crawl) == {
        "TABLE": {"UPDATE": {"Details": {"names": ["sales"]}, "Count": 1}},
        "PARTITION": {"ADD": {"Details": {"sales": ["2026-11-03"]}, "Count": 1}},
    }
    sales = site.tables()["sales"]
    assert columns(sales) == [*SALES_COLUMNS, ("channel", "string")]
    assert sales["VersionId"] == "2"
    assert sorted(site.partitions("sales")) == [("2026-11-01",), ("2026-11-02",), ("2026-11-03",)]


def test_a_rerun_with_log_adds_the_partition_and_leaves_the_table(make_lake: Callable[..., Lake]) -> None:
    site = make_lake(
        "sales/",
        SchemaChangePolicy={"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"},
        Configuration=json.dumps(
            {"Version": 1.0, "CrawlerOutput": {"Partitions": {"AddOrUpdateBehavior": "InheritFromTable"}}}
        ),
    )
    sample_data.upload(site.s3, site.bucket, ["sales/"])
    site.crawl()
    site.put("sales/dt=2026-11-03/part-0000.csv", V2_ROW)
    crawl = site.crawl()

    assert summary(crawl) == {"PARTITION": {"ADD": {"Details": {"sales": ["2026-11-03"]}, "Count": 1}}}
    sales = site.tables()["sales"]
    assert columns(sales) == SALES_COLUMNS
    assert sales["VersionId"] == "1"
    added = site.partitions("sales")[("2026-11-03",)]
    assert columns(added) == SALES_COLUMNS, "InheritFromTable: the partition takes the table's schema"
    assert added["StorageDescriptor"]["Location"] == f"s3://{site.bucket}/sales/dt=2026-11-03/"


def test_crawl_new_folders_only_adds_new_folders_and_ignores_changed_ones(make_lake: Callable[..., Lake]) -> None:
    site = make_lake(
        "sales/",
        RecrawlPolicy={"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
        SchemaChangePolicy={"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"},
    )
    sample_data.upload(site.s3, site.bucket, ["sales/"])
    site.crawl()
    site.put("sales/dt=2026-11-01/part-0001.csv", V2_ROW)  # a folder crawled before: not read again
    site.put("sales/dt=2026-11-04/part-0000.csv", sample_data.files("sales/")["sales/dt=2026-11-02/part-0000.csv"])
    crawl = site.crawl()

    assert summary(crawl) == {"PARTITION": {"ADD": {"Details": {"sales": ["2026-11-04"]}, "Count": 1}}}
    assert columns(site.tables()["sales"]) == SALES_COLUMNS
    assert sorted(site.partitions("sales")) == [("2026-11-01",), ("2026-11-02",), ("2026-11-04",)]


def test_delete_from_database_removes_a_table_whose_data_is_gone(make_lake: Callable[..., Lake]) -> None:
    site = make_lake(
        SchemaChangePolicy={"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "DELETE_FROM_DATABASE"}
    )
    keys = sample_data.upload(site.s3, site.bucket, [""])
    site.put("orders/orders.json", b'{"order": 1, "total": 2.5}\n')
    site.crawl()
    assert sorted(site.tables()) == ["events", "orders", "sales"]
    sample_data.delete_every_version(site.s3, site.bucket, [k for k in keys if k.startswith("events/")])
    crawl = site.crawl()

    assert summary(crawl) == {"TABLE": {"DELETE": {"Details": {"names": ["events"]}, "Count": 1}}}
    assert sorted(site.tables()) == ["orders", "sales"]


def test_crawl_events_reach_an_sqs_queue_through_an_eventbridge_rule(
    emulator: Emulator, make_lake: Callable[..., Lake], make_queue: Callable[..., dict[str, str]]
) -> None:
    site = make_lake("sales/")
    sqs, events = emulator.client("sqs"), emulator.client("events")
    queue = make_queue("crawl-events")
    patterns = [
        {
            "source": ["aws.glue"],
            "detail-type": ["Glue Crawler State Change"],
            "detail": {"crawlerName": [site.crawler]},
        },
        {"source": ["aws.glue"], "detail": {"databaseName": [site.database]}},
    ]
    for pattern in patterns:
        rule = unique("rule")
        events.put_rule(Name=rule, EventPattern=json.dumps(pattern))
        events.put_targets(Rule=rule, Targets=[{"Id": "queue", "Arn": queue["arn"]}])
    sample_data.upload(site.s3, site.bucket, ["sales/"])
    crawl = site.crawl()

    received = []
    while batch := sqs.receive_message(QueueUrl=queue["url"], MaxNumberOfMessages=10).get("Messages"):
        received += [json.loads(m["Body"]) for m in batch]
    by_type = {(e["detail-type"], e["detail"].get("state") or e["detail"]["typeOfChange"]): e for e in received}
    assert sorted(by_type) == [
        ("Glue Crawler State Change", "Started"),
        ("Glue Crawler State Change", "Succeeded"),
        ("Glue Data Catalog Database State Change", "CreateTable"),
        ("Glue Data Catalog Table State Change", "BatchCreatePartition"),
    ]
    assert all(e["source"] == "aws.glue" and e["region"] == "us-east-1" for e in received)
    started = by_type[("Glue Crawler State Change", "Started")]["detail"]
    assert (started["crawlerName"], started["message"]) == (site.crawler, "Crawler Started")
    succeeded = by_type[("Glue Crawler State Change", "Succeeded")]["detail"]
    assert {
        k: succeeded[k]
        for k in (
            "tablesCreated",
            "tablesUpdated",
            "tablesDeleted",
            "partitionsCreated",
            "partitionsUpdated",
            "partitionsDeleted",
            "message",
            "accountId",
        )
    } == {
        "tablesCreated": "1",
        "tablesUpdated": "0",
        "tablesDeleted": "0",
        "partitionsCreated": "2",
        "partitionsUpdated": "0",
        "partitionsDeleted": "0",
        "message": "Crawler Succeeded",
        "accountId": "123456789012",
    }
    assert succeeded["cloudWatchLogLink"].endswith(f"group=/aws-glue/crawlers;stream={site.crawler}")
    assert crawl["State"] == "COMPLETED"
    assert by_type[("Glue Data Catalog Database State Change", "CreateTable")]["detail"]["changedTables"] == ["sales"]
    partitions = by_type[("Glue Data Catalog Table State Change", "BatchCreatePartition")]["detail"]
    assert (partitions["tableName"], partitions["changedPartitions"]) == ("sales", ["2026-11-01", "2026-11-02"])


def test_a_crawl_into_a_missing_database_fails_and_the_crawler_is_ready_again(make_lake: Callable[..., Lake]) -> None:
    site = make_lake(database=False)
    sample_data.upload(site.s3, site.bucket, [""])
    crawl = site.crawl()

    assert crawl["State"] == "FAILED"
    assert site.database in crawl["ErrorMessage"]
    assert "Summary" not in crawl
    last = site.glue.get_crawler(Name=site.crawler)["Crawler"]["LastCrawl"]
    assert (last["Status"], last["ErrorMessage"]) == ("FAILED", crawl["ErrorMessage"])
    site.start()  # READY again: it can start
    assert site.finish()["State"] == "FAILED"


def test_a_crawl_of_a_missing_bucket_fails(make_lake: Callable[..., Lake]) -> None:
    site = make_lake()
    site.glue.delete_crawler(Name=site.crawler)
    site.glue.create_crawler(
        Name=site.crawler,
        Role=ROLE,
        DatabaseName=site.database,
        Targets={"S3Targets": [{"Path": f"s3://{unique('missing')}/"}]},
    )
    crawl = site.crawl()
    assert crawl["State"] == "FAILED"
    assert crawl["ErrorMessage"]


def test_stop_crawler_cancels_the_crawl_without_writing(make_lake: Callable[..., Lake]) -> None:
    site = make_lake()
    sample_data.upload(site.s3, site.bucket, [""])
    site.start()
    site.glue.stop_crawler(Name=site.crawler)
    assert site.glue.get_crawler(Name=site.crawler)["Crawler"]["State"] in ("STOPPING", "READY")
    crawl = site.finish()

    assert crawl["State"] == "STOPPED"
    assert site.tables() == {}
    assert site.glue.get_crawler(Name=site.crawler)["Crawler"]["LastCrawl"]["Status"] == "CANCELLED"
    with pytest.raises(site.glue.exceptions.CrawlerNotRunningException):
        site.glue.stop_crawler(Name=site.crawler)


def test_starting_a_running_crawler_is_refused(make_lake: Callable[..., Lake]) -> None:
    site = make_lake()
    site.start()
    with pytest.raises(site.glue.exceptions.CrawlerRunningException):
        site.start()
    assert site.finish()["State"] == "COMPLETED"
    assert len(site.glue.list_crawls(CrawlerName=site.crawler)["Crawls"]) == 1


def test_a_crawler_with_a_security_configuration_logs_to_its_roles_log_group(
    emulator: Emulator, make_lake: Callable[..., Lake]
) -> None:
    security = unique("sec")
    site = make_lake(CrawlerSecurityConfiguration=security)
    site.glue.create_security_configuration(
        Name=security, EncryptionConfiguration={"CloudWatchEncryption": {"CloudWatchEncryptionMode": "DISABLED"}}
    )
    crawl = site.crawl()

    group = f"/aws-glue/crawlers-role/service-role/crawler-{security}"
    assert crawl["LogGroup"] == group
    lines = emulator.client("logs").get_log_events(logGroupName=group, logStreamName=site.crawler)["events"]
    assert lines
    assert all(e["message"].startswith(f"[{crawl['CrawlId']}]") for e in lines)


def test_a_custom_csv_classifier_reads_a_headerless_pipe_file(
    emulator: Emulator, make_lake: Callable[..., Lake]
) -> None:
    classifier = unique("csv")
    emulator.client("glue").create_classifier(
        CsvClassifier={"Name": classifier, "Delimiter": "|", "ContainsHeader": "ABSENT", "Header": ["id", "label"]}
    )
    site = make_lake("labels/", Classifiers=[classifier], TablePrefix="raw_")
    site.put("labels/part-0.txt", b"1|alpha\n2|beta\n")
    site.crawl()

    table = site.tables()["raw_labels"]
    assert columns(table) == [("id", "bigint"), ("label", "string")]
    assert table["StorageDescriptor"]["SerdeInfo"]["Parameters"] == {"field.delim": "|"}
    assert "skip.header.line.count" not in table["Parameters"]


def test_an_explicit_manual_transition_ends_the_crawl_at_list_crawls(
    emulator: Emulator, make_lake: Callable[..., Lake]
) -> None:
    """What the integration tier and the demo do: moto's state manager still ends a crawl."""
    site = make_lake("sales/")
    sample_data.upload(site.s3, site.bucket, ["sales/"])
    site.start()
    emulator.post(
        "/moto-api/state-manager/set-transition",
        {"model_name": "glue::crawl", "transition": {"progression": "manual", "times": 1}},
    )
    try:
        crawls = site.glue.list_crawls(CrawlerName=site.crawler)["Crawls"]
    finally:
        emulator.post("/moto-api/state-manager/unset-transition", {"model_name": "glue::crawl"})
    assert [c["State"] for c in crawls] == ["COMPLETED"]
    assert site.glue.get_crawler(Name=site.crawler)["Crawler"]["State"] == "READY"
    assert sorted(site.tables()) == ["sales"]


def test_athena_reads_the_tables_a_crawl_of_the_sample_data_made(
    emulator: Emulator, make_lake: Callable[..., Lake], wait_for: Callable[..., Any]
) -> None:
    site = make_lake()
    sample_data.upload(site.s3, site.bucket, [""])
    site.crawl()
    athena, results = emulator.client("athena"), unique("results")
    site.s3.create_bucket(Bucket=results)

    def query(sql: str) -> list[list[str | None]]:
        qid = athena.start_query_execution(
            QueryString=sql,
            QueryExecutionContext={"Database": site.database},
            ResultConfiguration={"OutputLocation": f"s3://{results}/"},
        )["QueryExecutionId"]

        def ended() -> str | None:
            state: str = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]["State"]
            return state if state in ("SUCCEEDED", "FAILED", "CANCELLED") else None

        assert wait_for(ended) == "SUCCEEDED"
        rows = athena.get_query_results(QueryExecutionId=qid)["ResultSet"]["Rows"][1:]
        return [[d.get("VarCharValue") for d in r["Data"]] for r in rows]

    assert query("SELECT dt, count(*), sum(quantity) FROM sales GROUP BY dt ORDER BY dt") == [
        ["2026-11-01", "3", "13"],
        ["2026-11-02", "2", "6"],
    ]
    assert query("SELECT event FROM events WHERE dt = '2026-11-02' ORDER BY ts") == [["page_view"], ["purchase"]]
