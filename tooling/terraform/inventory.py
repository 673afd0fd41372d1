"""Print a starting inventory for an example: the planned values that matter and the counts.

Usage: .venv/bin/python -m tooling.terraform.inventory examples/basic [--write]

--write replaces the `plan` section of tests/examples/<example>.yaml (tooling/specs.py); without it the
inventory is printed.

It starts its own moto server on loopback for the data sources. Review the output before committing:
an inventory is a specification, and a value that should not be there must be fixed in the module,
not copied into the inventory.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from tooling import specs
from tooling.emulator.server import Emulator
from tooling.paths import BUILD
from tooling.terraform.runner import Terraform, terraform_env

# Per resource type, the attributes an inventory records.
KEEP: dict[str, list[str]] = {
    "aws_athena_named_query": ["name", "database", "query"],
    "aws_athena_workgroup": ["name", "force_destroy", "configuration"],
    "aws_cloudwatch_event_rule": ["name", "event_pattern"],
    "aws_cloudwatch_event_target": ["target_id"],
    "aws_cloudwatch_metric_alarm": ["alarm_name", "namespace", "metric_name", "dimensions", "threshold"],
    "aws_lambda_event_source_mapping": [
        "batch_size",
        "maximum_batching_window_in_seconds",
        "function_response_types",
        "scaling_config",
    ],
    "aws_s3_bucket_notification": ["eventbridge"],
    "aws_sns_topic": ["name"],
    "aws_sns_topic_policy": ["policy"],
    "aws_sqs_queue_policy": ["policy"],
    "aws_cloudwatch_log_group": ["name", "retention_in_days", "kms_key_id"],
    "aws_glue_catalog_database": ["name"],
    "aws_glue_classifier": ["name", "csv_classifier"],
    "aws_glue_crawler": [
        "name",
        "database_name",
        "s3_target",
        "schema_change_policy",
        "recrawl_policy",
        "configuration",
        "table_prefix",
        "lineage_configuration",
        "security_configuration",
        "classifiers",
    ],
    "aws_glue_security_configuration": ["name", "encryption_configuration"],
    "aws_iam_role": ["name", "assume_role_policy"],
    "aws_iam_role_policy": ["name", "policy"],
    "aws_kms_key": ["enable_key_rotation", "deletion_window_in_days"],
    "aws_lambda_function": [
        "function_name",
        "runtime",
        "architectures",
        "handler",
        "memory_size",
        "timeout",
        "reserved_concurrent_executions",
        "environment",
        "logging_config",
        "tracing_config",
    ],
    "aws_lambda_function_event_invoke_config": ["maximum_retry_attempts", "maximum_event_age_in_seconds"],
    "aws_s3_bucket": ["bucket", "force_destroy"],
    "aws_s3_bucket_lifecycle_configuration": ["rule"],
    "aws_s3_bucket_ownership_controls": ["rule"],
    "aws_s3_bucket_policy": [],
    "aws_s3_bucket_public_access_block": [
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ],
    "aws_s3_bucket_server_side_encryption_configuration": ["rule"],
    "aws_s3_bucket_versioning": ["versioning_configuration"],
    "aws_scheduler_schedule": ["name", "schedule_expression", "schedule_expression_timezone", "flexible_time_window"],
    "aws_sqs_queue": [
        "name",
        "message_retention_seconds",
        "sqs_managed_sse_enabled",
        "kms_master_key_id",
        "visibility_timeout_seconds",
        "redrive_policy",
    ],
}


def prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: prune(v) for k, v in value.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [prune(v) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        try:  # policies: keep them as readable YAML rather than one JSON line
            return {"json": json.loads(value)}
        except json.JSONDecodeError:
            return value
    return value


def inventory(plan: Any) -> dict[str, Any]:
    """The values that matter and the counts, from a Plan."""
    values = {}
    for address, planned in plan.resources.items():
        keep = KEEP.get(plan.types[address], [])
        values[address] = prune({k: planned[k] for k in keep if planned.get(k) is not None})
    return {"counts": plan.counts(), "values": values}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="an example folder, e.g. examples/basic")
    parser.add_argument("--write", action="store_true", help="write the plan section of the example's spec")
    args = parser.parse_args(argv)
    emulator = Emulator(log_path=BUILD / "inventory-emulator.log").start()
    try:
        directory = args.directory.resolve()
        tf = Terraform(directory, terraform_env(emulator.url), data_dir=BUILD / "inventory" / directory.name)
        result = inventory(tf.plan())
    finally:
        emulator.stop()
    if args.write:
        specs.write_section(directory.name, "plan", result)
    else:
        print(yaml.safe_dump(result, sort_keys=True, width=110), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
