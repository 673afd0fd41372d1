"""Bad input fails at plan time with a message that says what to change: one test per rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

CASES: list[tuple[str, dict[str, Any], str]] = [
    ("name_pattern", {"name": "Catalog"}, "name must be 3-24 characters"),
    ("name_length", {"name": "a-name-that-is-far-too-long"}, "name must be 3-24 characters"),
    ("name_double_dash", {"name": "my--catalog"}, "not contain '--'"),
    ("tags_aws_prefix", {"tags": {"aws:owner": "x"}}, "not start with 'aws:'"),
    ("kms_key_alias", {"kms_key": {"arn": "alias/catalog"}}, "kms_key.arn must be a KMS key ARN"),
    ("data_bucket_existing_without_name", {"data_bucket": {"create": False}}, "data_bucket.name is required"),
    (
        "data_bucket_bad_name",
        {"data_bucket": {"name": "Bad_Bucket"}},
        "data_bucket.name must be a valid S3 bucket name",
    ),
    ("data_bucket_days", {"data_bucket": {"noncurrent_version_expiration_days": 0}}, "must be at least 1"),
    ("database_bad_name", {"database": {"name": "Sales-DB"}}, "database.name must be 1-255 characters"),
    ("database_existing_without_name", {"database": {"create": False}}, "database.name is required"),
    ("crawler_no_targets", {"crawler": {"targets": []}}, "crawler.targets must list at least one"),
    (
        "crawler_prefix_leading_slash",
        {"crawler": {"targets": [{"prefix": "/sales/"}]}},
        "crawler.targets[*].prefix must be",
    ),
    (
        "crawler_prefix_no_trailing_slash",
        {"crawler": {"targets": [{"prefix": "sales"}]}},
        "crawler.targets[*].prefix must be",
    ),
    ("crawler_prefix_glob", {"crawler": {"targets": [{"prefix": "sales/*/"}]}}, "crawler.targets[*].prefix must be"),
    (
        "crawler_duplicate_prefix",
        {"crawler": {"targets": [{"prefix": "a/"}, {"prefix": "a/"}]}},
        "must not list the same prefix twice",
    ),
    (
        "sample_size_zero",
        {"crawler": {"targets": [{"prefix": "", "sample_size": 0}]}},
        "sample_size must be a whole number from 1 to 249",
    ),
    (
        "sample_size_too_big",
        {"crawler": {"targets": [{"prefix": "", "sample_size": 250}]}},
        "sample_size must be a whole number from 1 to 249",
    ),
    ("table_prefix_chars", {"crawler": {"table_prefix": "Raw-"}}, "crawler.table_prefix must be at most 64"),
    ("table_prefix_length", {"crawler": {"table_prefix": "a" * 65}}, "crawler.table_prefix must be at most 64"),
    ("update_behavior", {"crawler": {"update_behavior": "DELETE"}}, "crawler.update_behavior must be"),
    ("delete_behavior", {"crawler": {"delete_behavior": "DROP"}}, "crawler.delete_behavior must be"),
    ("recrawl_behavior", {"crawler": {"recrawl_behavior": "SOMETIMES"}}, "crawler.recrawl_behavior must be"),
    (
        "new_folders_needs_log",
        {"crawler": {"recrawl_behavior": "CRAWL_NEW_FOLDERS_ONLY"}},
        'requires update_behavior = "LOG" and delete_behavior = "LOG"',
    ),
    ("table_level", {"crawler": {"table_level": 0}}, "crawler.table_level must be a whole number from 1 to 10"),
    ("csv_classifier", {"crawler": {"csv_classifiers": {"x": {"delimiter": ";;"}}}}, "crawler.csv_classifiers"),
    (
        "csv_classifier_header",
        {"crawler": {"csv_classifiers": {"x": {"contains_header": "YES"}}}},
        "crawler.csv_classifiers",
    ),
    ("lake_formation_account", {"crawler": {"lake_formation": {"account_id": "123"}}}, "12-digit AWS account ID"),
    (
        "additional_policy_arn",
        {"crawler": {"additional_policy_arns": ["AdministratorAccess"]}},
        "IAM managed policy ARNs",
    ),
    ("athena_cutoff", {"athena": {"bytes_scanned_cutoff_per_query": 1024}}, "at least 10485760 (10 MiB)"),
    ("athena_engine", {"athena": {"engine_version": "Athena engine version 2"}}, "athena.engine_version must be"),
    ("athena_named_query", {"athena": {"named_queries": {"q": {"query": " "}}}}, "each query must be non-empty"),
    ("results_existing_without_name", {"results_bucket": {"create": False}}, "results_bucket.name is required"),
    ("results_bad_name", {"results_bucket": {"name": "x"}}, "results_bucket.name must be a valid S3 bucket name"),
    ("results_prefix", {"results_bucket": {"prefix": "results"}}, "results_bucket.prefix must be empty or"),
    (
        "results_expiration",
        {"results_bucket": {"expiration_days": 0}},
        "results_bucket.expiration_days must be at least 1",
    ),
    ("schedule_expression", {"schedule": {"expression": "daily"}}, "schedule.expression must be a cron"),
    ("schedule_timezone", {"schedule": {"timezone": "Paris time"}}, "schedule.timezone must be an IANA"),
    ("schedule_retry", {"schedule": {"maximum_retry_attempts": 200}}, "schedule.maximum_retry_attempts must be 0-185"),
    ("trigger_runtime", {"trigger": {"runtime": "python3.8"}}, "trigger.runtime must be"),
    ("trigger_architecture", {"trigger": {"architecture": "arm"}}, "trigger.architecture must be"),
    ("trigger_memory", {"trigger": {"memory_size": 64}}, "trigger.memory_size must be 128-10240"),
    (
        "trigger_retention",
        {"trigger": {"log_retention_days": 10}},
        "trigger.log_retention_days must be a CloudWatch Logs retention value",
    ),
    ("trigger_log_level", {"trigger": {"log_level": "LOUD"}}, "trigger.log_level must be"),
    (
        "trigger_reserved_zero",
        {"trigger": {"reserved_concurrency": 0}},
        "trigger.reserved_concurrency must be at least 1",
    ),
    ("trigger_async_retries", {"trigger": {"maximum_retry_attempts": 3}}, "trigger.maximum_retry_attempts must be 0-2"),
    (
        "event_mode_single_target",
        {
            "crawler": {
                "recrawl_behavior": "CRAWL_EVENT_MODE",
                "update_behavior": "LOG",
                "delete_behavior": "LOG",
                "targets": [{"prefix": "a/"}, {"prefix": "b/"}],
            }
        },
        "requires exactly one target and no sample_size",
    ),
    (
        "event_mode_no_sampling",
        {
            "crawler": {
                "recrawl_behavior": "CRAWL_EVENT_MODE",
                "update_behavior": "LOG",
                "delete_behavior": "LOG",
                "targets": [{"prefix": "a/", "sample_size": 5}],
            }
        },
        "requires exactly one target and no sample_size",
    ),
    ("event_mode_needs_log", {"crawler": {"recrawl_behavior": "CRAWL_EVENT_MODE"}}, 'requires update_behavior = "LOG"'),
    (
        "event_trigger_window",
        {"event_trigger": {"batching_window_seconds": 301}},
        "event_trigger.batching_window_seconds must be 0-300",
    ),
    (
        "event_trigger_batch_needs_window",
        {"event_trigger": {"batching_window_seconds": 0, "batch_size": 100}},
        "batch_size above 10 requires batching_window_seconds",
    ),
    (
        "event_trigger_crawl_minutes",
        {"event_trigger": {"max_crawl_minutes": 0}},
        "event_trigger.max_crawl_minutes must be 1-1440",
    ),
    ("event_trigger_receive_count", {"event_trigger": {"max_receive_count": 0}}, "max_receive_count 1-1000"),
    (
        "alerts_topic",
        {"alerts": {"topic": {"create": False, "arn": "ops-topic"}}},
        "alerts.topic.arn must be an SNS topic ARN",
    ),
    (
        "alerts_topic_missing",
        {"alerts": {"topic": {"create": False}}},
        "alerts.topic.arn is required when alerts.topic.create is false",
    ),
    (
        "alerts_partitions_need_schema",
        {"alerts": {"partition_changes": True}},
        "alerts.partition_changes needs alerts.schema_changes = true",
    ),
    (
        "alerts_age",
        {"alerts": {"oldest_message_age_seconds": 5}},
        "alerts.oldest_message_age_seconds must be at least 60",
    ),
    (
        "crawler_log_retention",
        {"crawler": {"log_retention_days": 2}},
        "crawler.log_retention_days must be a CloudWatch Logs retention value",
    ),
    ("access_not_a_role", {"access": {"readers": ["arn:aws:iam::123456789012:user/alice"]}}, "must be IAM role ARNs"),
    ("access_not_an_arn", {"access": {"writers": ["pipeline"]}}, "must be IAM role ARNs"),
    (
        "access_twice",
        {"access": {"readers": ["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/a"]}},
        "must not name a role twice",
    ),
    (
        "lake_formation_role",
        {"lake_formation": {"role_arn": "lf-role"}},
        "lake_formation.role_arn must be an IAM role ARN",
    ),
    # Rules across variables are preconditions.
    (
        "lf_credentials_without_lake_formation",
        {"crawler": {"lake_formation": {"use_lake_formation_credentials": True}}},
        "needs lake_formation = {} too",
    ),
    (
        "lake_formation_other_account",
        {"lake_formation": {}, "crawler": {"lake_formation": {"account_id": "210987654321"}}},
        "names another account",
    ),
    (
        "visibility_below_function_timeout",
        {"event_trigger": {"visibility_timeout_seconds": 30}, "trigger": {"timeout": 60}},
        "must be at least trigger.timeout (60)",
    ),
    (
        "results_inside_whole_bucket_crawl",
        {
            "data_bucket": {"create": False, "name": "shared-lake"},
            "results_bucket": {"create": False, "name": "shared-lake", "prefix": "results/"},
        },
        "is inside a crawled path",
    ),
    (
        "results_inside_crawled_prefix",
        {
            "data_bucket": {"create": False, "name": "shared-lake"},
            "crawler": {"targets": [{"prefix": "data/"}]},
            "results_bucket": {"create": False, "name": "shared-lake", "prefix": "data/athena/"},
        },
        "is inside a crawled path",
    ),
    (
        "crawled_prefix_inside_results",
        {
            "data_bucket": {"create": False, "name": "shared-lake"},
            "crawler": {"targets": [{"prefix": "out/raw/"}]},
            "results_bucket": {"create": False, "name": "shared-lake", "prefix": "out/"},
        },
        "is inside a crawled path",
    ),
]


@pytest.mark.parametrize(("variables", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_rejected_with_a_clear_message(
    variables: dict[str, Any], message: str, plan_error: Callable[..., str]
) -> None:
    error = plan_error(**variables)
    assert " ".join(message.split()) in error, error[-2000:]
