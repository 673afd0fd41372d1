"""Say what a crawl did, and what changed in the catalog, on the alerts topic and in CloudWatch.

EventBridge invokes this function with one of:

* a "Glue Crawler State Change" event (Succeeded or Failed): the crawl is read back from Glue
  (ListCrawls: its id, start and end, its Summary of tables and partitions added, updated and
  deleted, its error), published to the alerts topic as a readable message with message
  attributes a subscriber can filter on (failed crawls always; succeeded ones when
  REPORT_SUCCEEDED is "true"), and put as CloudWatch metrics per crawler (always);
* a "Glue Data Catalog Database State Change" or "Glue Data Catalog Table State Change" event for
  this database: published as a schema change naming the table(s) and the kind of change.

Like the trigger, it reads as parse -> decide -> act: `parse_*`, `crawl_report` and
`schema_change` are pure; `process` is the only code that calls AWS.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import boto3
from botocore.config import Config

logger = logging.getLogger(__name__)

NAMESPACE = "DataCatalog/Crawls"
CRAWL_EVENT = "Glue Crawler State Change"
SCHEMA_EVENTS = ("Glue Data Catalog Database State Change", "Glue Data Catalog Table State Change")
SUBJECT_LIMIT = 100  # SNS rejects longer subjects

CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=10)
glue = boto3.client("glue", config=CONFIG)
sns = boto3.client("sns", config=CONFIG)
cloudwatch = boto3.client("cloudwatch", config=CONFIG)


Attributes = Mapping[str, Mapping[str, str]]


class GlueClient(Protocol):
    def list_crawls(self, **kwargs: Any) -> Mapping[str, Any]: ...


class SnsClient(Protocol):
    def publish(self, *, TopicArn: str, Subject: str, Message: str, MessageAttributes: Attributes) -> Any: ...


class CloudWatchClient(Protocol):
    def put_metric_data(self, *, Namespace: str, MetricData: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class Counts:
    tables_created: int = 0
    tables_updated: int = 0
    tables_deleted: int = 0
    partitions_added: int = 0
    partitions_updated: int = 0
    partitions_deleted: int = 0


@dataclass(frozen=True)
class Crawl:
    crawler: str
    state: str  # Succeeded or Failed, as the event says
    crawl_id: str = ""
    duration_seconds: float = 0.0
    counts: Counts = field(default_factory=Counts)
    error: str = ""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    attributes: dict[str, str | int | float]


# ---------------------------------------------------------------------------- parse


def event_kind(event: object) -> str:
    """ "crawl", "schema" or "other" for an EventBridge event."""
    if not isinstance(event, dict) or event.get("source") != "aws.glue":
        return "other"
    if event.get("detail-type") == CRAWL_EVENT:
        return "crawl"
    return "schema" if event.get("detail-type") in SCHEMA_EVENTS else "other"


def _count(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def counts_from_event(detail: Mapping[str, Any]) -> Counts:
    """The counts Glue puts in a Succeeded crawler event (strings such as "2")."""
    return Counts(
        *(
            _count(detail.get(k, 0))
            for k in (
                "tablesCreated",
                "tablesUpdated",
                "tablesDeleted",
                "partitionsCreated",
                "partitionsUpdated",
                "partitionsDeleted",
            )
        )
    )


def counts_from_summary(summary: str) -> Counts | None:
    """The crawl's Summary (ListCrawls): {"TABLE"|"PARTITION": {"ADD"|"UPDATE"|"DELETE": "<json
    with Count>"}}; None when it is absent or not in that shape."""
    try:
        parsed = json.loads(summary)
        found = {
            (entity, action): _count(json.loads(entry).get("Count", 0))
            if isinstance(entry, str)
            else _count(entry.get("Count", 0))
            for entity, actions in parsed.items()
            for action, entry in actions.items()
        }
    except (ValueError, AttributeError, TypeError):
        return None
    return Counts(
        found.get(("TABLE", "ADD"), 0),
        found.get(("TABLE", "UPDATE"), 0),
        found.get(("TABLE", "DELETE"), 0),
        found.get(("PARTITION", "ADD"), 0),
        found.get(("PARTITION", "UPDATE"), 0),
        found.get(("PARTITION", "DELETE"), 0),
    )


def parse_crawl(event: Mapping[str, Any], history: Sequence[Mapping[str, Any]]) -> Crawl:
    """The crawl the event is about: the latest of `history` (ListCrawls), the event's counts
    when Glue's record has no summary."""
    detail = event.get("detail", {})
    crawler = str(detail.get("crawlerName", ""))
    state = str(detail.get("state", ""))
    if not history:
        return Crawl(crawler, state, counts=counts_from_event(detail), error=str(detail.get("errorMessage", "")))
    record = max(history, key=lambda c: str(c.get("StartTime", "")))
    start, end = record.get("StartTime"), record.get("EndTime")
    duration = (end - start).total_seconds() if isinstance(start, datetime) and isinstance(end, datetime) else 0.0
    counts = counts_from_summary(str(record.get("Summary", ""))) or counts_from_event(detail)
    error = str(record.get("ErrorMessage") or detail.get("errorMessage") or "")
    return Crawl(crawler, state, str(record.get("CrawlId", "")), duration, counts, error)


# --------------------------------------------------------------------------- decide


def crawl_report(crawl: Crawl) -> Message:
    c = crawl.counts
    verb = "succeeded" if crawl.state == "Succeeded" else crawl.state.lower()
    subject = (
        f"Crawl of {crawl.crawler} {verb}: {c.tables_created} tables created, {c.tables_updated} updated, "
        f"{c.tables_deleted} deleted, {c.partitions_added} partitions added"
    )
    lines = [
        f"Crawler:     {crawl.crawler}",
        f"State:       {crawl.state}",
        f"Crawl id:    {crawl.crawl_id or 'unknown'}",
        f"Duration:    {crawl.duration_seconds:.0f} s",
        f"Tables:      {c.tables_created} created, {c.tables_updated} updated, {c.tables_deleted} deleted",
        f"Partitions:  {c.partitions_added} added, {c.partitions_updated} updated, {c.partitions_deleted} deleted",
    ]
    if crawl.error:
        lines.append(f"Error:       {crawl.error}")
    attributes: dict[str, str | int | float] = {
        "kind": "crawl_report",
        "crawler": crawl.crawler,
        "state": crawl.state,
        "crawl_id": crawl.crawl_id,
        "tables_created": c.tables_created,
        "tables_updated": c.tables_updated,
        "tables_deleted": c.tables_deleted,
        "partitions_added": c.partitions_added,
        "duration_seconds": round(crawl.duration_seconds, 3),
    }
    return Message(subject[:SUBJECT_LIMIT], "\n".join(lines) + "\n", attributes)


def crawl_metrics(crawl: Crawl) -> list[dict[str, Any]]:
    dimensions = [{"Name": "CrawlerName", "Value": crawl.crawler}]
    c = crawl.counts
    values = {
        "TablesCreated": c.tables_created,
        "TablesUpdated": c.tables_updated,
        "TablesDeleted": c.tables_deleted,
        "TablesChanged": c.tables_created + c.tables_updated + c.tables_deleted,
        "PartitionsAdded": c.partitions_added,
        "CrawlFailed": int(crawl.state != "Succeeded"),
    }
    metrics: list[dict[str, Any]] = [
        {"MetricName": k, "Dimensions": dimensions, "Value": v, "Unit": "Count"} for k, v in values.items()
    ]
    metrics.append(
        {"MetricName": "DurationSeconds", "Dimensions": dimensions, "Value": crawl.duration_seconds, "Unit": "Seconds"}
    )
    return metrics


def schema_change(event: Mapping[str, Any]) -> Message:
    detail = event.get("detail", {})
    database = str(detail.get("databaseName", ""))
    change = str(detail.get("typeOfChange", ""))
    changed = detail.get("changedTables", [])
    tables = [str(detail["tableName"])] if detail.get("tableName") else [str(t) for t in changed]
    partitions = [str(p) for p in detail.get("changedPartitions", [])]
    named = ", ".join(f"{database}.{t}" for t in tables) or database
    lines = [f"Database:    {database}", f"Change:      {change}", f"Tables:      {', '.join(tables) or '-'}"]
    if partitions:
        lines.append(f"Partitions:  {', '.join(partitions)}")
    lines.append(f"Time:        {event.get('time', '')}")
    attributes: dict[str, str | int | float] = {
        "kind": "schema_change",
        "database": database,
        "change": change,
        "tables": ",".join(tables) or "-",
    }
    return Message(f"{change} on {named}"[:SUBJECT_LIMIT], "\n".join(lines) + "\n", attributes)


def sns_attributes(attributes: Mapping[str, str | int | float]) -> dict[str, dict[str, str]]:
    """SNS message attributes: numbers as Number, the rest as non-empty String."""
    return {
        k: {"DataType": "Number", "StringValue": str(v)}
        if isinstance(v, (int, float))
        else {"DataType": "String", "StringValue": v or "-"}
        for k, v in attributes.items()
    }


# ------------------------------------------------------------------------------ act


def handler(event: object, context: object) -> dict[str, Any]:
    """Lambda entry point (``crawl_report.handler``)."""
    return process(event, settings=settings_from_env(), glue_client=glue, sns_client=sns, cloudwatch_client=cloudwatch)


@dataclass(frozen=True)
class Settings:
    topic_arn: str
    report_succeeded: bool


def settings_from_env() -> Settings:
    topic = os.environ.get("TOPIC_ARN", "").strip()
    if not topic:
        raise RuntimeError("environment variable TOPIC_ARN is not set; set it to the alerts topic")
    return Settings(topic, os.environ.get("REPORT_SUCCEEDED", "false").lower() == "true")


def process(
    event: object,
    *,
    settings: Settings,
    glue_client: GlueClient,
    sns_client: SnsClient,
    cloudwatch_client: CloudWatchClient,
) -> dict[str, Any]:
    kind = event_kind(event)
    if kind == "other":
        logger.warning("not a Glue crawl or catalog event; ignored", extra={"decision": "ignored"})
        return {"action": "ignored"}
    assert isinstance(event, dict)  # event_kind checked it
    if kind == "schema":
        message = schema_change(event)
        _publish(sns_client, settings.topic_arn, message)
        logger.info("schema change published", extra={"decision": "published", **message.attributes})
        return {"action": "published", "kind": "schema_change", "subject": message.subject}

    crawler = str(event.get("detail", {}).get("crawlerName", ""))
    crawl = parse_crawl(event, list_crawls(glue_client, crawler))
    cloudwatch_client.put_metric_data(Namespace=NAMESPACE, MetricData=crawl_metrics(crawl))
    message = crawl_report(crawl)
    publish = crawl.state != "Succeeded" or settings.report_succeeded
    if publish:
        _publish(sns_client, settings.topic_arn, message)
    logger.info("crawl report", extra={"decision": "published" if publish else "metrics_only", **message.attributes})
    return {
        "action": "published" if publish else "metrics_only",
        "kind": "crawl_report",
        "subject": message.subject,
        **{k: v for k, v in message.attributes.items() if k != "kind"},
    }


def list_crawls(client: GlueClient, crawler: str) -> list[Mapping[str, Any]]:
    """Every crawl Glue keeps for the crawler (its last 12 days), all pages: ListCrawls does not
    promise an order, so the latest is picked by StartTime."""
    crawls: list[Mapping[str, Any]] = []
    token: str | None = None
    while True:
        page = client.list_crawls(CrawlerName=crawler, **({"NextToken": token} if token else {}))
        crawls.extend(page.get("Crawls", []))
        token = page.get("NextToken")
        if not token:
            return crawls


def _publish(client: SnsClient, topic: str, message: Message) -> None:
    client.publish(
        TopicArn=topic,
        Subject=message.subject,
        Message=message.body,
        MessageAttributes=sns_attributes(message.attributes),
    )
