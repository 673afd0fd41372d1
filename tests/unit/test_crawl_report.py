"""Behaviour of the crawl report function: what a crawl did, and schema changes, on the topic and
in CloudWatch."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import boto3
import pytest
from moto import mock_aws

START = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
SUMMARY = json.dumps(
    {
        "TABLE": {"ADD": json.dumps({"Details": {"names": ["sales", "events"]}, "Count": 2})},
        "PARTITION": {
            "ADD": json.dumps({"Details": {"sales": ["2026-11-01"]}, "Count": 4}),
            "UPDATE": json.dumps({"Count": 1}),
        },
    }
)


@pytest.fixture
def report() -> ModuleType:
    """The module, imported once the fake AWS environment is in place (its clients need a region)."""
    return importlib.import_module("crawl_report")


def crawler_event(state: str = "Succeeded", **detail: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "source": "aws.glue",
        "detail-type": "Glue Crawler State Change",
        "time": "2026-11-28T02:01:07Z",
        "detail": {"crawlerName": "catalog", "state": state, "message": f"Crawler {state}", **detail},
    }


class FakeGlue:
    """ListCrawls in pages of two, oldest first (moto's order)."""

    def __init__(self, crawls: list[dict[str, Any]]) -> None:
        self.crawls = crawls

    def list_crawls(self, *, CrawlerName: str, NextToken: str = "0") -> dict[str, Any]:
        start = int(NextToken)
        page: dict[str, Any] = {"Crawls": self.crawls[start : start + 2]}
        if start + 2 < len(self.crawls):
            page["NextToken"] = str(start + 2)
        return page


class Recorder:
    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []
        self.metrics: list[dict[str, Any]] = []

    def publish(self, **kwargs: Any) -> dict[str, Any]:
        self.published.append(kwargs)
        return {"MessageId": "m"}

    def put_metric_data(self, **kwargs: Any) -> dict[str, Any]:
        self.metrics.append(kwargs)
        return {}


def run(
    crawl_report: ModuleType, event: Any, crawls: list[dict[str, Any]] | None = None, report_succeeded: bool = True
) -> tuple[dict[str, Any], Recorder]:
    recorder = Recorder()
    result = crawl_report.process(
        event,
        settings=crawl_report.Settings("arn:aws:sns:us-east-1:123456789012:t", report_succeeded),
        glue_client=FakeGlue(crawls or []),
        sns_client=recorder,
        cloudwatch_client=recorder,
    )
    return result, recorder


def metric(recorder: Recorder, name: str) -> float:
    (call,) = recorder.metrics
    assert call["Namespace"] == "DataCatalog/Crawls"
    (found,) = [m for m in call["MetricData"] if m["MetricName"] == name]
    assert found["Dimensions"] == [{"Name": "CrawlerName", "Value": "catalog"}]
    value: float = found["Value"]
    return value


def test_a_succeeded_crawl_is_reported_from_its_glue_record_with_filterable_attributes(report: ModuleType) -> None:
    crawls = [
        *(
            {"CrawlId": f"old-{i}", "StartTime": START - timedelta(days=i), "EndTime": START - timedelta(days=i)}
            for i in range(5, 0, -1)
        ),
        {"CrawlId": "c-1", "StartTime": START, "EndTime": START + timedelta(seconds=67), "Summary": SUMMARY},
    ]

    result, recorder = run(report, crawler_event(), crawls)

    assert result["action"] == "published" and result["crawl_id"] == "c-1"
    (message,) = recorder.published
    assert (
        message["Subject"] == "Crawl of catalog succeeded: 2 tables created, 0 updated, 0 deleted, 4 partitions added"
    )
    assert "Crawl id:    c-1" in message["Message"] and "Duration:    67 s" in message["Message"]
    assert "Partitions:  4 added, 1 updated, 0 deleted" in message["Message"]
    attributes = message["MessageAttributes"]
    assert attributes["state"] == {"DataType": "String", "StringValue": "Succeeded"}
    assert attributes["tables_created"] == {"DataType": "Number", "StringValue": "2"}
    assert attributes["kind"]["StringValue"] == "crawl_report"
    assert (
        metric(recorder, "TablesCreated"),
        metric(recorder, "TablesChanged"),
        metric(recorder, "PartitionsAdded"),
    ) == (2, 2, 4)
    assert (metric(recorder, "DurationSeconds"), metric(recorder, "CrawlFailed")) == (67.0, 0)


def test_succeeded_crawls_give_metrics_only_unless_asked(report: ModuleType) -> None:
    result, recorder = run(
        report, crawler_event(), [{"CrawlId": "c", "StartTime": START, "EndTime": START}], report_succeeded=False
    )

    assert result["action"] == "metrics_only"
    assert recorder.published == [] and len(recorder.metrics) == 1


def test_a_failed_crawl_is_always_reported_with_its_error(report: ModuleType) -> None:
    crawls = [
        {
            "CrawlId": "c-2",
            "StartTime": START,
            "EndTime": START + timedelta(seconds=3),
            "ErrorMessage": "Insufficient Lake Formation permission(s)",
        }
    ]

    result, recorder = run(report, crawler_event("Failed", errorMessage="ignored"), crawls, report_succeeded=False)

    (message,) = recorder.published
    assert message["Subject"].startswith("Crawl of catalog failed:")
    assert "Error:       Insufficient Lake Formation permission(s)" in message["Message"]
    assert metric(recorder, "CrawlFailed") == 1
    assert result["action"] == "published"


def test_counts_come_from_the_event_when_glue_keeps_no_summary(report: ModuleType) -> None:
    detail = {"tablesCreated": "1", "tablesUpdated": "2", "tablesDeleted": "0", "partitionsCreated": "3"}

    result, _ = run(report, crawler_event(**detail), [{"CrawlId": "c", "StartTime": START, "EndTime": "not a time"}])

    assert (result["tables_created"], result["tables_updated"], result["partitions_added"]) == (1, 2, 3)
    assert result["duration_seconds"] == 0


def test_without_any_crawl_record_the_event_alone_is_reported(report: ModuleType) -> None:
    result, recorder = run(report, crawler_event("Failed", errorMessage="Crawler was stopped", tablesCreated="x"))

    assert result["crawl_id"] == "" and result["tables_created"] == 0
    assert "Crawl id:    unknown" in recorder.published[0]["Message"]
    assert recorder.published[0]["MessageAttributes"]["crawl_id"] == {"DataType": "String", "StringValue": "-"}


@pytest.mark.parametrize("summary", ["", "not json", "[1]", json.dumps({"TABLE": {"ADD": "{bad"}})])
def test_a_summary_in_another_shape_is_not_trusted(summary: str, report: ModuleType) -> None:
    assert report.counts_from_summary(summary) is None


def test_a_summary_with_plain_objects_is_read_too(report: ModuleType) -> None:
    counts = report.counts_from_summary(json.dumps({"TABLE": {"DELETE": {"Count": 3}}}))
    assert counts == report.Counts(tables_deleted=3)


def test_a_created_table_is_a_schema_change_naming_it(report: ModuleType) -> None:
    event = {
        "source": "aws.glue",
        "detail-type": "Glue Data Catalog Database State Change",
        "time": "t",
        "detail": {"databaseName": "sales_analytics", "typeOfChange": "CreateTable", "changedTables": ["raw_sales"]},
    }

    result, recorder = run(report, event)

    assert result == {
        "action": "published",
        "kind": "schema_change",
        "subject": "CreateTable on sales_analytics.raw_sales",
    }
    attributes = recorder.published[0]["MessageAttributes"]
    assert attributes["change"]["StringValue"] == "CreateTable" and attributes["tables"]["StringValue"] == "raw_sales"
    assert recorder.metrics == []


def test_a_partition_change_lists_the_partitions(report: ModuleType) -> None:
    event = {
        "source": "aws.glue",
        "detail-type": "Glue Data Catalog Table State Change",
        "time": "t",
        "detail": {
            "databaseName": "db",
            "tableName": "sales",
            "typeOfChange": "BatchCreatePartition",
            "changedPartitions": ["2026-11-03"],
        },
    }

    _, recorder = run(report, event)

    assert "Partitions:  2026-11-03" in recorder.published[0]["Message"]
    assert recorder.published[0]["Subject"] == "BatchCreatePartition on db.sales"


def test_a_database_change_without_tables_names_the_database(report: ModuleType) -> None:
    event = {
        "source": "aws.glue",
        "detail-type": "Glue Data Catalog Database State Change",
        "detail": {"databaseName": "db", "typeOfChange": "DeleteDatabase"},
    }

    result, recorder = run(report, event)

    assert result["subject"] == "DeleteDatabase on db"
    assert recorder.published[0]["MessageAttributes"]["tables"]["StringValue"] == "-"


@pytest.mark.parametrize(
    "event", [None, [], {"source": "aws.s3"}, {"source": "aws.glue", "detail-type": "Glue Job State Change"}]
)
def test_other_events_are_ignored(event: Any, report: ModuleType) -> None:
    result, recorder = run(report, event)

    assert result == {"action": "ignored"}
    assert recorder.published == [] and recorder.metrics == []


def test_a_long_subject_is_cut_to_what_sns_accepts(report: ModuleType) -> None:
    event = crawler_event()
    event["detail"]["crawlerName"] = "c" * 120

    _, recorder = run(report, event)

    assert len(recorder.published[0]["Subject"]) == 100


def test_the_topic_must_be_configured(monkeypatch: pytest.MonkeyPatch, report: ModuleType) -> None:
    monkeypatch.delenv("TOPIC_ARN", raising=False)
    with pytest.raises(RuntimeError, match="TOPIC_ARN is not set"):
        report.settings_from_env()


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch, report: ModuleType) -> Iterator[tuple[ModuleType, Any]]:
    """The module reloaded under moto, with a topic whose messages land in a queue."""
    with mock_aws():
        module = importlib.reload(report)
        sns, sqs = boto3.client("sns"), boto3.client("sqs")
        topic = sns.create_topic(Name="alerts")["TopicArn"]
        queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        monkeypatch.setenv("TOPIC_ARN", topic)
        monkeypatch.setenv("REPORT_SUCCEEDED", "true")
        glue = boto3.client("glue")
        glue.create_database(DatabaseInput={"Name": "catalog"})
        glue.create_crawler(
            Name="catalog",
            Role="arn:aws:iam::123456789012:role/c",
            DatabaseName="catalog",
            Targets={"S3Targets": [{"Path": "s3://b/"}]},
        )
        yield module, (sqs, queue)


def test_the_handler_publishes_to_the_topic_and_puts_metrics(deployed: tuple[ModuleType, Any]) -> None:
    module, (sqs, queue) = deployed

    result = module.handler(crawler_event(tablesCreated="2", partitionsCreated="4"), None)

    assert result["action"] == "published"
    (received,) = sqs.receive_message(QueueUrl=queue)["Messages"]
    envelope = json.loads(received["Body"])
    assert envelope["Subject"].startswith("Crawl of catalog succeeded: 2 tables created")
    assert envelope["MessageAttributes"]["state"]["Value"] == "Succeeded"
    names = {
        m["MetricName"] for m in boto3.client("cloudwatch").list_metrics(Namespace="DataCatalog/Crawls")["Metrics"]
    }
    assert {"TablesCreated", "PartitionsAdded", "DurationSeconds"} <= names
