"""The module's behaviour, read from real plans of the root module under a matrix of inputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tooling.terraform.plan import Plan

PlanFn = Callable[..., Plan]

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
DATA = "arn:aws:s3:::catalog-data-123456789012-us-east-1"


def statements(policy: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in policy["Statement"]}


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


@pytest.fixture(scope="module")
def default(plan_module: PlanFn) -> Plan:
    return plan_module()


def test_crawler_targets_are_s3_paths_not_arns(default: Plan) -> None:
    crawler = default.one("aws_glue_crawler")
    assert [t["path"] for t in crawler["s3_target"]] == ["s3://catalog-data-123456789012-us-east-1/"]
    assert default.outputs["crawler_s3_targets"] == ["s3://catalog-data-123456789012-us-east-1/"]


def test_tables_are_never_deleted_by_default(default: Plan) -> None:
    crawler = default.one("aws_glue_crawler")
    assert crawler["schema_change_policy"] == [{"delete_behavior": "LOG", "update_behavior": "UPDATE_IN_DATABASE"}]
    actions = statements(default.policy("aws_iam_role_policy.crawler"))["WriteCatalog"]["Action"]
    assert not [a for a in actions if "Delete" in a]


def test_athena_results_go_to_a_separate_bucket_the_crawler_never_reads(default: Plan) -> None:
    location = default.outputs["results_location"]
    assert location == "s3://catalog-athena-123456789012-us-east-1/"
    buckets = sorted(v["bucket"] for v in default.of_type("aws_s3_bucket").values())
    assert buckets == ["catalog-athena-123456789012-us-east-1", "catalog-data-123456789012-us-east-1"]
    policy = default.policy("aws_iam_role_policy.crawler")
    assert "athena" not in json.dumps(policy)


def test_default_crawler_configuration_json(default: Plan) -> None:
    configuration = json.loads(default.one("aws_glue_crawler")["configuration"])
    assert configuration == {
        "Version": 1,
        "CrawlerOutput": {"Partitions": {"AddOrUpdateBehavior": "InheritFromTable"}},
        "CreatePartitionIndex": True,
    }


def test_buckets_are_private_encrypted_and_kept(default: Plan) -> None:
    for bucket in default.of_type("aws_s3_bucket").values():
        assert bucket["force_destroy"] is False
    for block in default.of_type("aws_s3_bucket_public_access_block").values():
        assert all(
            block[k] is True
            for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
        )
    for sse in default.of_type("aws_s3_bucket_server_side_encryption_configuration").values():
        assert sse["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "AES256"
    for ownership in default.of_type("aws_s3_bucket_ownership_controls").values():
        assert ownership["rule"] == [{"object_ownership": "BucketOwnerEnforced"}]
    assert len(default.of_type("aws_s3_bucket_policy")) == 2


def test_crawler_role_reads_only_its_targets_and_writes_only_its_database(plan_module: PlanFn) -> None:
    plan = plan_module(crawler={"targets": [{"prefix": "sales/"}, {"prefix": "events/web/"}]})
    policy = statements(plan.policy("aws_iam_role_policy.crawler"))
    assert policy["ListCrawledPrefixes"]["Resource"] == DATA
    assert policy["ListCrawledPrefixes"]["Condition"] == {
        "StringLike": {"s3:prefix": ["sales/", "sales/*", "events/web/", "events/web/*"]}
    }
    assert sorted(as_list(policy["ReadCrawledObjects"]["Resource"])) == [f"{DATA}/events/web/*", f"{DATA}/sales/*"]
    assert as_list(policy["ReadCrawledObjects"]["Action"]) == ["s3:GetObject"]
    assert sorted(as_list(policy["WriteCatalog"]["Resource"])) == [
        "arn:aws:glue:us-east-1:123456789012:catalog",
        "arn:aws:glue:us-east-1:123456789012:database/catalog",
        "arn:aws:glue:us-east-1:123456789012:table/catalog/*",
    ]
    assert set(policy) == {"ListCrawledPrefixes", "ReadCrawledObjects", "WriteCatalog", "WriteCrawlerLogs"}
    for statement in policy.values():
        assert "*" not in as_list(statement["Action"]) and "*" not in as_list(statement["Resource"])


def test_crawler_role_trusts_only_glue_in_this_account(default: Plan) -> None:
    role = default.resources["aws_iam_role.crawler"]
    trust = json.loads(role["assume_role_policy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "glue.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert role.get("managed_policy_arns") in (None, [])
    assert not default.of_type("aws_iam_role_policy_attachment")


def test_trigger_role_may_only_start_this_crawler(default: Plan) -> None:
    policy = statements(default.policy("aws_iam_role_policy.trigger"))
    assert policy["StartThisCrawler"]["Resource"] == "arn:aws:glue:us-east-1:123456789012:crawler/catalog"
    assert sorted(policy["StartThisCrawler"]["Action"]) == ["glue:GetCrawler", "glue:StartCrawler"]
    assert set(policy) == {"StartThisCrawler", "WriteOwnLogs", "SendFailedInvocations"}


def test_trigger_function_defaults(default: Plan) -> None:
    function = default.resources["aws_lambda_function.trigger"]
    assert function["runtime"] == "python3.13" and function["architectures"] == ["arm64"]
    assert function["reserved_concurrent_executions"] == -1
    assert function["logging_config"][0]["log_format"] == "JSON"
    assert function["environment"] == [{"variables": {"CRAWLER_NAME": "catalog"}}]
    assert default.resources["aws_cloudwatch_log_group.trigger"]["retention_in_days"] == 365
    queue = default.one("aws_sqs_queue")
    assert queue["sqs_managed_sse_enabled"] is True


def test_schedule_defaults_to_daily_and_invokes_only_the_trigger(default: Plan) -> None:
    schedule = default.one("aws_scheduler_schedule")
    assert schedule["schedule_expression"] == "cron(0 2 * * ? *)"
    assert schedule["schedule_expression_timezone"] == "UTC"
    target = schedule["target"][0]
    assert target["retry_policy"] == [{"maximum_event_age_in_seconds": 3600, "maximum_retry_attempts": 3}]
    assert json.loads(target["input"])["source"] == "data-catalog.schedule"
    trust = json.loads(default.resources["aws_iam_role.scheduler[0]"]["assume_role_policy"])["Statement"][0]
    assert trust["Condition"]["ArnEquals"] == {
        "aws:SourceArn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/catalog-crawl"
    }
    policy = statements(default.policy("aws_iam_role_policy.scheduler[0]"))
    assert policy["InvokeTrigger"]["Action"] == "lambda:InvokeFunction"


def test_null_schedule_turns_it_off(plan_module: PlanFn) -> None:
    plan = plan_module(schedule=None)
    assert not plan.of_type("aws_scheduler_schedule")
    assert plan.counts()["aws_iam_role"] == 3  # crawler, trigger, crawl report
    assert plan.outputs["schedule_arn"] is None


def test_athena_workgroup_is_enforced_encrypted_and_capped(default: Plan) -> None:
    configuration = default.one("aws_athena_workgroup")["configuration"][0]
    assert configuration["enforce_workgroup_configuration"] is True
    assert configuration["bytes_scanned_cutoff_per_query"] == 10 * 1024**3
    result = configuration["result_configuration"][0]
    assert result["expected_bucket_owner"] == "123456789012"
    assert result["encryption_configuration"][0]["encryption_option"] == "SSE_S3"


def test_a_kms_key_encrypts_everything(plan_module: PlanFn) -> None:
    plan = plan_module(kms_key={"arn": KEY})
    for sse in plan.of_type("aws_s3_bucket_server_side_encryption_configuration").values():
        assert sse["rule"][0]["apply_server_side_encryption_by_default"][0] == {
            "kms_master_key_id": KEY,
            "sse_algorithm": "aws:kms",
        }
        assert sse["rule"][0]["bucket_key_enabled"] is True
    security = plan.one("aws_glue_security_configuration")["encryption_configuration"][0]
    assert security["cloudwatch_encryption"][0] == {"cloudwatch_encryption_mode": "SSE-KMS", "kms_key_arn": KEY}
    assert plan.one("aws_glue_crawler")["security_configuration"] == "catalog-crawler"
    for log_group in plan.of_type("aws_cloudwatch_log_group").values():
        assert log_group["kms_key_id"] == KEY, log_group["name"]
    queue = plan.one("aws_sqs_queue")
    assert queue["kms_master_key_id"] == KEY and queue.get("sqs_managed_sse_enabled") in (None, False)
    assert plan.one("aws_scheduler_schedule")["kms_key_arn"] == KEY
    encryption = plan.one("aws_athena_workgroup")["configuration"][0]["result_configuration"][0][
        "encryption_configuration"
    ][0]
    assert encryption == {"encryption_option": "SSE_KMS", "kms_key_arn": KEY}
    crawler = statements(plan.policy("aws_iam_role_policy.crawler"))
    assert crawler["UseDataKey"] == {"Sid": "UseDataKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY}
    assert (
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws-glue/crawlers-role/catalog-crawler-catalog-crawler"
        in crawler["WriteCrawlerLogs"]["Resource"]
    )


def test_without_a_key_the_crawler_role_has_no_kms_rights(default: Plan) -> None:
    assert "kms:" not in json.dumps(default.policy("aws_iam_role_policy.crawler"))


def test_the_crawler_logs_to_a_group_the_module_owns_and_retains(default: Plan, plan_module: PlanFn) -> None:
    """Glue logs to the account-wide /aws-glue/crawlers unless the crawler has a security
    configuration, so it always has one; without a key it encrypts nothing."""
    group = "/aws-glue/crawlers-role/catalog-crawler-catalog-crawler"
    assert default.resources["aws_cloudwatch_log_group.crawler"]["name"] == group
    assert default.resources["aws_cloudwatch_log_group.crawler"]["retention_in_days"] == 365
    assert default.outputs["crawler_log_group_name"] == group
    assert default.one("aws_glue_crawler")["security_configuration"] == "catalog-crawler"
    security = default.one("aws_glue_security_configuration")["encryption_configuration"][0]
    assert security["cloudwatch_encryption"][0]["cloudwatch_encryption_mode"] == "DISABLED"
    logs = statements(default.policy("aws_iam_role_policy.crawler"))["WriteCrawlerLogs"]["Resource"]
    assert sorted(as_list(logs)) == [
        f"arn:aws:logs:us-east-1:123456789012:log-group:{group}",
        f"arn:aws:logs:us-east-1:123456789012:log-group:{group}:*",
    ]
    plan = plan_module(crawler={"log_retention_days": 30})
    assert plan.resources["aws_cloudwatch_log_group.crawler"]["retention_in_days"] == 30


def test_existing_bucket_and_database_are_used_not_managed(plan_module: PlanFn) -> None:
    plan = plan_module(
        data_bucket={"create": False, "name": "team-landing"},
        database={"create": False, "name": "landing"},
        crawler={"targets": [{"prefix": "exports/"}]},
    )
    buckets = [v["bucket"] for v in plan.of_type("aws_s3_bucket").values()]
    assert buckets == ["catalog-athena-123456789012-us-east-1"]
    assert not plan.of_type("aws_glue_catalog_database")
    crawler = plan.one("aws_glue_crawler")
    assert crawler["database_name"] == "landing"
    assert crawler["s3_target"][0]["path"] == "s3://team-landing/exports/"
    assert plan.outputs["data_bucket_name"] == "team-landing"


def test_deletion_rights_only_when_the_crawler_deletes(plan_module: PlanFn) -> None:
    plan = plan_module(crawler={"delete_behavior": "DELETE_FROM_DATABASE"})
    actions = statements(plan.policy("aws_iam_role_policy.crawler"))["WriteCatalog"]["Action"]
    assert {"glue:DeleteTable", "glue:BatchDeleteTable", "glue:DeletePartition", "glue:BatchDeletePartition"} <= set(
        actions
    )


def test_new_folders_only_with_log_policies(plan_module: PlanFn) -> None:
    plan = plan_module(
        crawler={"recrawl_behavior": "CRAWL_NEW_FOLDERS_ONLY", "update_behavior": "LOG", "delete_behavior": "LOG"}
    )
    crawler = plan.one("aws_glue_crawler")
    assert crawler["recrawl_policy"] == [{"recrawl_behavior": "CRAWL_NEW_FOLDERS_ONLY"}]
    assert crawler["schema_change_policy"] == [{"delete_behavior": "LOG", "update_behavior": "LOG"}]


def test_crawler_configuration_from_typed_inputs(plan_module: PlanFn) -> None:
    plan = plan_module(
        crawler={
            "partitions_inherit_from_table": False,
            "combine_compatible_schemas": True,
            "table_level": 3,
            "create_partition_index": False,
            "lineage": True,
            "table_prefix": "raw_",
        }
    )
    crawler = plan.one("aws_glue_crawler")
    assert json.loads(crawler["configuration"]) == {
        "Version": 1,
        "Grouping": {"TableGroupingPolicy": "CombineCompatibleSchemas", "TableLevelConfiguration": 3},
    }
    assert crawler["lineage_configuration"] == [{"crawler_lineage_settings": "ENABLE"}]
    assert crawler["table_prefix"] == "raw_"


def test_csv_classifiers_are_created_and_attached(plan_module: PlanFn) -> None:
    plan = plan_module(
        crawler={"csv_classifiers": {"pipes": {"delimiter": "|", "contains_header": "PRESENT", "header": ["a", "b"]}}}
    )
    classifier = plan.one("aws_glue_classifier")
    assert classifier["name"] == "catalog-pipes"
    assert classifier["csv_classifier"][0]["delimiter"] == "|" and classifier["csv_classifier"][0]["header"] == [
        "a",
        "b",
    ]
    assert plan.one("aws_glue_crawler")["classifiers"] == ["catalog-pipes"]


def test_sampling_and_exclusions_per_target(plan_module: PlanFn) -> None:
    plan = plan_module(crawler={"targets": [{"prefix": "logs/", "exclusions": ["**.gz"], "sample_size": 10}]})
    target = plan.one("aws_glue_crawler")["s3_target"][0]
    assert (target["exclusions"], target["sample_size"]) == (["**.gz"], 10)


def test_lake_formation_credentials(plan_module: PlanFn) -> None:
    plan = plan_module(lake_formation={}, crawler={"lake_formation": {"use_lake_formation_credentials": True}})
    assert plan.one("aws_glue_crawler")["lake_formation_configuration"] == [{"use_lake_formation_credentials": True}]
    assert (
        statements(plan.policy("aws_iam_role_policy.crawler"))["LakeFormationDataAccess"]["Action"]
        == "lakeformation:GetDataAccess"
    )


def test_additional_policies_are_attached_to_the_crawler_role(plan_module: PlanFn) -> None:
    arn = "arn:aws:iam::123456789012:policy/extra-read"
    plan = plan_module(crawler={"additional_policy_arns": [arn]})
    assert [a["policy_arn"] for a in plan.of_type("aws_iam_role_policy_attachment").values()] == [arn]


def test_tracing_and_reserved_concurrency(plan_module: PlanFn) -> None:
    plan = plan_module(
        trigger={"tracing": True, "reserved_concurrency": 2, "runtime": "python3.12", "architecture": "x86_64"}
    )
    function = plan.resources["aws_lambda_function.trigger"]
    assert function["tracing_config"] == [{"mode": "Active"}]
    assert function["reserved_concurrent_executions"] == 2
    assert (function["runtime"], function["architectures"]) == ("python3.12", ["x86_64"])
    assert "WriteTraces" in statements(plan.policy("aws_iam_role_policy.trigger"))


def test_results_in_an_existing_bucket_beside_the_crawled_prefix(plan_module: PlanFn) -> None:
    plan = plan_module(
        data_bucket={"create": False, "name": "shared-lake"},
        crawler={"targets": [{"prefix": "data/"}]},
        results_bucket={"create": False, "name": "shared-lake", "prefix": "athena-results/"},
    )
    assert plan.outputs["results_location"] == "s3://shared-lake/athena-results/"
    assert not plan.of_type("aws_s3_bucket")


def test_named_queries_use_the_workgroup_and_database(plan_module: PlanFn) -> None:
    plan = plan_module(athena={"named_queries": {"top": {"query": "SELECT 1", "description": "one"}}})
    query = plan.one("aws_athena_named_query")
    assert (query["name"], query["database"], query["query"]) == ("top", "catalog", "SELECT 1")


def test_tags_reach_every_taggable_resource(plan_module: PlanFn) -> None:
    plan = plan_module(tags={"team": "data"})
    taggable = {a: v for a, v in plan.resources.items() if "tags" in v}
    assert len(taggable) >= 10
    for address, values in taggable.items():
        assert values["tags"] == {"team": "data"}, address
