"""Crawl when data arrives, Glue event mode, and alerts: read from real plans of the root module."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tooling.terraform.plan import Plan

PlanFn = Callable[..., Plan]

ACCOUNT = "123456789012"
QUEUE_ARN = f"arn:aws:sqs:us-east-1:{ACCOUNT}:catalog-new-objects"


def statements(policy: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in policy["Statement"]}


@pytest.fixture(scope="module")
def on_arrival(plan_module: PlanFn) -> Plan:
    return plan_module(event_trigger={}, crawler={"targets": [{"prefix": "sales/"}, {"prefix": "events/"}]})


def test_event_trigger_is_off_unless_asked(plan_module: PlanFn) -> None:
    plan = plan_module()
    assert not plan.of_type("aws_lambda_event_source_mapping")
    assert not plan.of_type("aws_s3_bucket_notification")
    assert plan.outputs["event_trigger_queue_arn"] is None


def test_object_created_under_crawled_prefixes_only_reaches_the_queue(on_arrival: Plan) -> None:
    assert on_arrival.one("aws_s3_bucket_notification")["eventbridge"] is True
    rule = on_arrival.resources["aws_cloudwatch_event_rule.new_objects[0]"]
    assert json.loads(rule["event_pattern"]) == {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {
            "bucket": {"name": [f"catalog-data-{ACCOUNT}-us-east-1"]},
            "object": {"key": [{"prefix": "sales/"}, {"prefix": "events/"}]},
        },
    }
    queue_policy = json.loads(on_arrival.resources["aws_sqs_queue_policy.new_objects[0]"]["policy"])["Statement"][0]
    assert queue_policy["Principal"] == {"Service": "events.amazonaws.com"}
    assert queue_policy["Condition"] == {
        "ArnEquals": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/catalog-new-objects"}
    }


def test_the_trigger_drains_the_queue_in_batches_with_partial_failures(on_arrival: Plan) -> None:
    mapping = on_arrival.one("aws_lambda_event_source_mapping")
    assert mapping["function_response_types"] == ["ReportBatchItemFailures"]
    assert mapping["maximum_batching_window_in_seconds"] == 60
    assert mapping["batch_size"] == 1000
    assert mapping["scaling_config"] == [{"maximum_concurrency": 2}]
    drain = statements(on_arrival.policy("aws_iam_role_policy.trigger"))["DrainNewObjectsQueue"]
    assert drain["Resource"] == QUEUE_ARN
    assert sorted(drain["Action"]) == [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ]


def test_queue_arithmetic_outlives_a_long_crawl(on_arrival: Plan) -> None:
    queue = on_arrival.resources["module.event_trigger_queue[0].aws_sqs_queue.this"]
    # V = max(300, 6 x 60 s timeout) = 360; receives = ceil(60 min x 60 / 360) + 3 = 13.
    assert queue["visibility_timeout_seconds"] == 360
    redrive = json.loads(queue["redrive_policy"])
    assert redrive["maxReceiveCount"] == 13
    assert redrive["deadLetterTargetArn"] == f"{QUEUE_ARN}-dlq"
    assert queue["message_retention_seconds"] == 345600
    assert queue["sqs_managed_sse_enabled"] is True


def test_queue_arithmetic_follows_inputs(plan_module: PlanFn) -> None:
    plan = plan_module(
        event_trigger={"max_crawl_minutes": 600, "visibility_timeout_seconds": 900}, trigger={"timeout": 120}
    )
    queue = plan.resources["module.event_trigger_queue[0].aws_sqs_queue.this"]
    assert queue["visibility_timeout_seconds"] == 900
    assert json.loads(queue["redrive_policy"])["maxReceiveCount"] == 43  # ceil(36000 / 900) + 3
    assert queue["message_retention_seconds"] == 345600  # 43 x 900 + 60 = 38760 s fits in the 4-day default


def test_whole_bucket_crawl_matches_every_key(plan_module: PlanFn) -> None:
    plan = plan_module(event_trigger={})
    pattern = json.loads(plan.resources["aws_cloudwatch_event_rule.new_objects[0]"]["event_pattern"])
    assert "object" not in pattern["detail"]


def test_event_mode_gives_the_crawler_its_own_queue(plan_module: PlanFn) -> None:
    plan = plan_module(
        crawler={
            "recrawl_behavior": "CRAWL_EVENT_MODE",
            "update_behavior": "LOG",
            "delete_behavior": "LOG",
            "targets": [{"prefix": "raw/"}],
        }
    )
    crawler = plan.one("aws_glue_crawler")
    assert crawler["recrawl_policy"] == [{"recrawl_behavior": "CRAWL_EVENT_MODE"}]
    notification = plan.one("aws_s3_bucket_notification")
    assert notification["eventbridge"] is False
    assert notification["queue"][0]["filter_prefix"] == "raw/"
    assert notification["queue"][0]["events"] == ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
    consume = statements(plan.policy("aws_iam_role_policy.crawler"))["ConsumeS3EventQueue"]
    assert sorted(consume["Resource"]) == [
        f"arn:aws:sqs:us-east-1:{ACCOUNT}:catalog-crawler-s3-events",
        f"arn:aws:sqs:us-east-1:{ACCOUNT}:catalog-crawler-s3-events-dlq",
    ]
    queue_policy = json.loads(plan.resources["aws_sqs_queue_policy.crawler_events[0]"]["policy"])["Statement"][0]
    assert queue_policy["Principal"] == {"Service": "s3.amazonaws.com"}
    assert queue_policy["Condition"]["ArnEquals"] == {"aws:SourceArn": f"arn:aws:s3:::catalog-data-{ACCOUNT}-us-east-1"}


def test_every_finished_crawl_reaches_the_report_function(plan_module: PlanFn) -> None:
    plan = plan_module()
    rule = plan.resources["aws_cloudwatch_event_rule.crawl_states[0]"]
    assert json.loads(rule["event_pattern"]) == {
        "source": ["aws.glue"],
        "detail-type": ["Glue Crawler State Change"],
        "detail": {"crawlerName": ["catalog"], "state": ["Succeeded", "Failed"]},
    }
    assert plan.resources["aws_cloudwatch_event_target.crawl_states[0]"]["target_id"] == "crawl-report"
    report = plan.resources["aws_lambda_function.report[0]"]
    assert (report["function_name"], report["handler"]) == ("catalog-crawl-report", "crawl_report.handler")
    permission = plan.resources['aws_lambda_permission.report["crawl_states"]']
    assert (permission["principal"], permission["source_arn"]) == (
        "events.amazonaws.com",
        f"arn:aws:events:us-east-1:{ACCOUNT}:rule/catalog-crawl-state",
    )
    assert plan.one("aws_sns_topic")["name"] == "catalog-crawl-alerts"
    topic_policy = statements(json.loads(plan.one("aws_sns_topic_policy")["policy"]))
    assert set(topic_policy) == {"CloudWatchPublishesAlarms"}, "reports are published by the function's role"
    alarms = {v["alarm_name"]: v for v in plan.of_type("aws_cloudwatch_metric_alarm").values()}
    assert sorted(alarms) == [
        "catalog-crawl-report-errors",
        "catalog-trigger-crawler-dlq-not-empty",
        "catalog-trigger-crawler-errors",
    ]


def test_the_report_function_may_only_read_crawls_publish_and_put_its_metrics(plan_module: PlanFn) -> None:
    plan = plan_module(kms_key={"arn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"})
    policy = statements(plan.policy("aws_iam_role_policy.report[0]"))
    assert set(policy) == {"ReadCrawls", "PublishReports", "PutCrawlMetrics", "WriteOwnLogs", "PublishToEncryptedTopic"}
    assert policy["ReadCrawls"]["Resource"] == f"arn:aws:glue:us-east-1:{ACCOUNT}:crawler/catalog"
    assert policy["PublishReports"]["Resource"] == f"arn:aws:sns:us-east-1:{ACCOUNT}:catalog-crawl-alerts"
    assert policy["PutCrawlMetrics"]["Resource"] == "*"
    assert policy["PutCrawlMetrics"]["Condition"] == {"StringEquals": {"cloudwatch:namespace": "DataCatalog/Crawls"}}
    trust = json.loads(plan.resources["aws_iam_role.report[0]"]["assume_role_policy"])["Statement"][0]
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


def test_schema_changes_are_opt_in_and_partitions_only_when_asked(plan_module: PlanFn) -> None:
    assert "aws_cloudwatch_event_rule.schema_changes[0]" not in plan_module().resources
    tables = plan_module(alerts={"schema_changes": True})
    pattern = json.loads(tables.resources["aws_cloudwatch_event_rule.schema_changes[0]"]["event_pattern"])
    assert pattern == {
        "source": ["aws.glue"],
        "detail-type": ["Glue Data Catalog Database State Change", "Glue Data Catalog Table State Change"],
        "detail": {
            "databaseName": ["catalog"],
            "typeOfChange": ["CreateTable", "UpdateTable", "DeleteTable", "BatchDeleteTable"],
        },
    }
    assert 'aws_lambda_permission.report["schema_changes"]' in tables.resources
    partitions = plan_module(alerts={"schema_changes": True, "partition_changes": True})
    pattern = json.loads(partitions.resources["aws_cloudwatch_event_rule.schema_changes[0]"]["event_pattern"])
    assert "BatchCreatePartition" in pattern["detail"]["typeOfChange"]


def test_alarms_cover_both_dead_letter_queues_and_queue_age(on_arrival: Plan) -> None:
    alarms = {v["alarm_name"]: v for v in on_arrival.of_type("aws_cloudwatch_metric_alarm").values()}
    assert sorted(alarms) == [
        "catalog-crawl-report-errors",
        "catalog-new-objects-dlq-not-empty",
        "catalog-new-objects-stale",
        "catalog-trigger-crawler-dlq-not-empty",
        "catalog-trigger-crawler-errors",
    ]
    assert alarms["catalog-new-objects-stale"]["threshold"] == 7200
    assert alarms["catalog-new-objects-dlq-not-empty"]["dimensions"] == {"QueueName": "catalog-new-objects-dlq"}


def test_an_existing_topic_is_used_and_succeeded_crawls_can_be_left_to_metrics(plan_module: PlanFn) -> None:
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:ops"
    plan = plan_module(alerts={"topic": {"create": False, "arn": topic}, "notify_on_success": False, "alarms": False})
    assert not plan.of_type("aws_sns_topic") and not plan.of_type("aws_cloudwatch_metric_alarm")
    variables = plan.resources["aws_lambda_function.report[0]"]["environment"][0]["variables"]
    assert variables == {"TOPIC_ARN": topic, "REPORT_SUCCEEDED": "false"}
    assert plan.outputs["alerts_topic_arn"] == topic


def test_null_alerts_turn_alerts_off(plan_module: PlanFn) -> None:
    plan = plan_module(alerts=None)
    assert not plan.of_type("aws_sns_topic") and not plan.of_type("aws_cloudwatch_event_rule")
    assert "aws_lambda_function.report[0]" not in plan.resources
    assert plan.outputs["alerts_topic_arn"] is None
