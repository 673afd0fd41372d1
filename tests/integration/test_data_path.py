"""Files in, rows out, on every example: the deployed system runs by itself on the emulator.

For each example: the sample data lands under its crawled prefixes; the trigger runs through the
real path (`lambda invoke`, the example's schedule, or S3 -> EventBridge -> SQS -> the event
source mapping for examples/complete); the crawl writes exactly the tables, columns, partitions
and locations its spec (tests/examples/<example>.yaml, `catalog`) lists; the README's query
answers exactly the spec's rows through the Athena API; the crawl report reaches the alerts topic
and CloudWatch; a new day's partition with a new column reaches the catalog and changes the answer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import pytest

from tooling import catalog, sample_data, specs
from tooling.emulator.server import Emulator
from tooling.paths import EXAMPLES, EXAMPLES_DIR
from tooling.terraform.deployment import Deployment

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NEXT_DAY = EXAMPLES_DIR / "sample-data-next-day"


def spec(example: str) -> dict[str, Any]:
    return specs.load(example)


def invoke(aws: Callable[[str], Any], function: str) -> dict[str, Any]:
    response = aws("lambda").invoke(FunctionName=function, Payload=b'{"source": "data-catalog.test"}')
    payload: dict[str, Any] = json.loads(response["Payload"].read())
    assert "FunctionError" not in response, payload
    return payload


def wait(condition: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


@contextmanager
def inbox(aws: Callable[[str], Any], topic: str, name: str) -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """A queue subscribed to the alerts topic; yields a function that drains it."""
    sqs, sns = aws("sqs"), aws("sns")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)["SubscriptionArn"]

    def drain() -> list[dict[str, Any]]:
        messages = []
        while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            for m in batch:
                messages.append(json.loads(m["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return messages

    try:
        yield drain
    finally:
        sns.unsubscribe(SubscriptionArn=subscription)
        sqs.delete_queue(QueueUrl=url)


def reports(messages: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m for m in messages if m.get("MessageAttributes", {}).get("kind", {}).get("Value") == kind]


def as_spec(tables: list[catalog.Table]) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "classification": t.classification,
            "location": t.location,
            "columns": [list(c) for c in t.columns],
            "partition_keys": [list(k) for k in t.partition_keys],
            "partitions": [[list(v), loc] for v, loc in t.partitions],
        }
        for t in tables
    ]


@contextmanager
def fast_event_path(aws: Callable[[str], Any], dep: Deployment) -> Iterator[None]:
    """The example's event source mapping gathers for 60 s and its queue hides a message for 6
    minutes: both are shortened for the test and restored after, so the second plan stays empty."""
    lam, sqs = aws("lambda"), aws("sqs")
    queue_arn = dep.catalog["event_trigger_queue_arn"]
    (mapping,) = lam.list_event_source_mappings(EventSourceArn=queue_arn)["EventSourceMappings"]
    url = sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[1])["QueueUrl"]
    visibility = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"][
        "VisibilityTimeout"
    ]
    lam.update_event_source_mapping(UUID=mapping["UUID"], MaximumBatchingWindowInSeconds=1)
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "4"})
    try:
        yield
        wait(
            lambda: all(
                sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"][k] == "0"
                for k in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")
            ),
            "the new-objects queue to drain",
            timeout=90,
        )
    finally:
        lam.update_event_source_mapping(
            UUID=mapping["UUID"], MaximumBatchingWindowInSeconds=mapping["MaximumBatchingWindowInSeconds"]
        )
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": visibility})


def start_crawl(aws: Callable[[str], Any], dep: Deployment, crawls_before: int) -> str:
    """Trigger a crawl the example's way; return how: invoked twice (started, then already
    running), or through the event path (uploads already made)."""
    cat = dep.catalog
    if specs.load(dep.example)["deployed"]["event_trigger"]:
        wait(
            lambda: catalog.crawl_count(aws("glue"), cat["crawler_name"]) > crawls_before,
            "the event path to start a crawl",
        )
        return "event"
    first = invoke(aws, cat["trigger_function_name"])
    second = invoke(aws, cat["trigger_function_name"])
    assert (first["action"], second["action"]) == ("started", "already_running"), (first, second)
    return "invoke"


@pytest.mark.parametrize("example", EXAMPLES)
def test_files_in_rows_out_and_a_new_day_changes_the_answer(
    deployment: Deployment, aws: Callable[[str], Any], deployed_on: Emulator, example: str
) -> None:
    want = spec(example)
    cat = deployment.catalog
    glue, athena, s3 = aws("glue"), aws("athena"), aws("s3")
    bucket, crawler, database = cat["data_bucket_name"], cat["crawler_name"], cat["database_name"]
    event_path = want["deployed"]["event_trigger"]
    uploaded: list[str] = []
    try:
        with (
            inbox(aws, cat["alerts_topic_arn"], f"{example}-inbox") as drain,
            fast_event_path(aws, deployment) if event_path else nullcontext(),
        ):
            before = catalog.crawl_count(glue, crawler)
            uploaded += sample_data.upload(s3, bucket, list(want["deployed"]["targets"]))
            start_crawl(aws, deployment, before)
            crawl = catalog.wait_for_crawl(glue, crawler, after=before)
            assert crawl["State"] == "COMPLETED", crawl
            assert catalog.crawl_count(glue, crawler) == before + 1, "one burst, one crawl"

            assert as_spec(catalog.tables(glue, database)) == want["catalog"]["tables"]

            query = want["catalog"]["query"]
            result = catalog.query(athena, query["sql"], cat["athena_workgroup_name"], database)
            assert (result.state, result.reason) == ("SUCCEEDED", ""), result.reason
            assert (result.columns, result.rows) == (query["columns"], query["rows"])
            assert result.output_location == f"{cat['results_location']}{result.query_id}.csv"
            head = s3.head_object(Bucket=cat["results_bucket_name"], Key=result.output_location.split("/", 3)[3])
            assert head["ServerSideEncryption"] == ("aws:kms" if want["deployed"]["kms"] else "AES256")

            tables = len(want["catalog"]["tables"])
            partitions = sum(len(t["partitions"]) for t in want["catalog"]["tables"])
            received: list[dict[str, Any]] = []

            def collect(kind: str, count: int) -> list[dict[str, Any]] | None:
                received.extend(drain())
                found = reports(received, kind)
                return found if len(found) >= count else None

            report = wait(lambda: collect("crawl_report", 1), "the crawl report on the alerts topic")
            assert report[0]["Subject"] == (
                f"Crawl of {crawler} succeeded: {tables} tables created, 0 updated, "
                f"0 deleted, {partitions} partitions added"
            )
            assert report[0]["MessageAttributes"]["crawl_id"]["Value"] == crawl["CrawlId"]
            if want["deployed"].get("schema_changes"):
                # Glue sends one CreateTable event per batch of tables ("changedTables").
                names = sorted(t["name"] for t in want["catalog"]["tables"])

                def created() -> list[str] | None:
                    received.extend(drain())
                    tables = sorted(
                        n
                        for m in reports(received, "schema_change")
                        if m["MessageAttributes"]["change"]["Value"] == "CreateTable"
                        for n in m["MessageAttributes"]["tables"]["Value"].split(",")
                    )
                    return tables if tables == names else None

                wait(created, f"CreateTable messages naming {names}")
                assert all(
                    m["Subject"].startswith(f"CreateTable on {database}.") for m in reports(received, "schema_change")
                )

            next_day = want["catalog"]["next_day"]
            crawls = catalog.crawl_count(glue, crawler)
            uploaded += sample_data.upload_from(s3, bucket, NEXT_DAY, want["catalog"]["upload_prefix"])
            if not event_path:
                assert invoke(aws, cat["trigger_function_name"])["action"] == "started"
            crawl = catalog.wait_for_crawl(glue, crawler, after=crawls)
            assert crawl["State"] == "COMPLETED", crawl
            (sales,) = [t for t in catalog.tables(glue, database) if t.name == next_day["table"]]
            assert sales.columns[-1] == tuple(next_day["new_column"])
            assert [v for v, _ in sales.partitions][-1] == [next_day["partition"]]
            result = catalog.query(athena, query["sql"], cat["athena_workgroup_name"], database)
            assert result.rows == next_day["rows"]
            received.clear()
            report = wait(lambda: collect("crawl_report", 1), "the second crawl's report")
            assert "0 tables created, 1 updated, 0 deleted, 1 partitions added" in report[0]["Subject"]
    finally:
        sample_data.delete_every_version(s3, bucket, uploaded)
        sample_data.delete_every_version(s3, cat["results_bucket_name"])


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_crawl_is_counted_in_cloudwatch_and_logged_in_the_crawlers_own_group(
    deployment: Deployment, aws: Callable[[str], Any], example: str
) -> None:
    crawler = deployment.catalog["crawler_name"]
    metrics = aws("cloudwatch").list_metrics(
        Namespace="DataCatalog/Crawls", Dimensions=[{"Name": "CrawlerName", "Value": crawler}]
    )["Metrics"]
    assert {"TablesCreated", "TablesUpdated", "TablesChanged", "PartitionsAdded", "DurationSeconds", "CrawlFailed"} <= {
        m["MetricName"] for m in metrics
    }
    stats = aws("cloudwatch").get_metric_statistics(
        Namespace="DataCatalog/Crawls",
        MetricName="TablesCreated",
        Dimensions=[{"Name": "CrawlerName", "Value": crawler}],
        StartTime=time.time() - 3600,
        EndTime=time.time() + 60,
        Period=3600,
        Statistics=["Sum"],
    )["Datapoints"]
    # Every table a crawl created is counted once: the report function's metric (from the crawl's
    # state-change event) agrees with the crawl's own log. Other tests of the example (the access
    # cases) may have crawled before, so the log, not the spec, is the reference.
    group = deployment.catalog["crawler_log_group_name"]
    events = [
        e
        for page in aws("logs").get_paginator("filter_log_events").paginate(logGroupName=group)
        for e in page["events"]
    ]
    created = [e["message"] for e in events if "INFO : Created table " in e["message"]]
    assert {t["name"] for t in spec(example)["catalog"]["tables"]} <= {
        m.split("Created table ")[1].split()[0] for m in created
    }
    assert sum(d["Sum"] for d in stats) == len(created), created
    assert any("BENCHMARK : Finished writing to Catalog" in e["message"] for e in events), [
        e["message"] for e in events
    ][:5]


SCHEDULED = ["existing-bucket"]


@pytest.mark.parametrize("example", SCHEDULED)
def test_the_schedule_fires_the_trigger_which_starts_a_crawl(
    deployment: Deployment, aws: Callable[[str], Any], deployed_on: Emulator, example: str
) -> None:
    cat = deployment.catalog
    glue = aws("glue")
    before = catalog.crawl_count(glue, cat["crawler_name"])
    fired = deployed_on.post(
        "/_emulator/scheduler/fire", {"name": cat["schedule_arn"].rsplit("/", 1)[1], "group": "default"}
    )
    assert fired["ScheduleArn"] == cat["schedule_arn"]
    crawl = catalog.wait_for_crawl(glue, cat["crawler_name"], after=before)
    assert crawl["State"] == "COMPLETED"


@pytest.mark.parametrize("example", SCHEDULED)
def test_a_failing_trigger_ends_in_its_dead_letter_queue_with_the_reason(
    deployment: Deployment, aws: Callable[[str], Any], deployed_on: Emulator, example: str
) -> None:
    """With the crawler gone, the scheduled invocation fails, Lambda retries it twice and hands it
    to the on-failure destination: the trigger's dead-letter queue, as on AWS."""
    cat = deployment.catalog
    sqs = aws("sqs")
    url = sqs.get_queue_url(QueueName=cat["trigger_dlq_arn"].rsplit(":", 1)[1])["QueueUrl"]
    aws("glue").delete_crawler(Name=cat["crawler_name"])
    try:
        deployed_on.post(
            "/_emulator/scheduler/fire", {"name": cat["schedule_arn"].rsplit("/", 1)[1], "group": "default"}
        )
        messages = wait(
            lambda: sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages"),
            "the failed invocation in the trigger's dead-letter queue",
        )
        record = json.loads(messages[0]["Body"])
        assert record["requestContext"]["condition"] == "RetriesExhausted"
        assert record["requestContext"]["approximateInvokeCount"] == 3  # the call and 2 retries
        assert record["requestContext"]["functionArn"].startswith(cat["trigger_function_arn"])
        assert record["responsePayload"]["errorType"] == "CrawlerNotFoundError"
        assert json.loads(json.dumps(record["requestPayload"]))["source"] == "data-catalog.schedule"
    finally:
        sqs.purge_queue(QueueUrl=url)
        deployment.tf.apply(*deployment.var_args)  # the crawler comes back
