"""Pure parts of the emulator's Lambda poller, Scheduler role check and EventBridge target input."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tooling.emulator.awslambda import poller
from tooling.emulator.events import transform
from tooling.emulator.iam import policy, trust
from tooling.emulator.iam.conditions import lower_keys
from tooling.emulator.scheduler import delivery

IDS = ["m1", "m2", "m3"]


@pytest.mark.parametrize(
    ("payload", "failed"),
    [
        (b"null", set()),
        (b"", set()),
        (b"{}", set()),
        (b'{"batchItemFailures": []}', set()),
        (b'{"batchItemFailures": null}', set()),
        (b'{"batchItemFailures": [{"itemIdentifier": "m2"}]}', {"m2"}),
        (b'{"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m3"}]}', {"m1", "m3"}),
        (b'{"batchItemFailures": [{"itemIdentifier": "elsewhere"}]}', set(IDS)),
        (b'{"batchItemFailures": [{"itemIdentifier": ""}]}', set(IDS)),
        (b'{"batchItemFailures": [{"itemIdentifier": null}]}', set(IDS)),
        (b'{"batchItemFailures": [{"id": "m1"}]}', set(IDS)),
        (b'{"batchItemFailures": "m1"}', set(IDS)),
        (b"not json", set(IDS)),
        (b'"done"', set(IDS)),
    ],
)
def test_a_batch_response_fails_what_it_names_and_everything_when_malformed(payload: bytes, failed: set[str]) -> None:
    assert poller.failed_message_ids(payload, IDS) == failed


def mapping(**fields: object) -> SimpleNamespace:
    base: dict[str, object] = {
        "scaling_config": None,
        "batch_size": 10,
        "max_batch_window": None,
        "function_response_types": None,
    }
    return SimpleNamespace(**{**base, **fields})


def test_mapping_settings_default_as_lambda_does() -> None:
    assert poller.settings(mapping()) == poller.Settings(
        batch_size=10, window_seconds=0, concurrency=5, report_failures=False
    )
    configured = mapping(
        batch_size=1000,
        max_batch_window=60,
        scaling_config={"MaximumConcurrency": 2},
        function_response_types=["ReportBatchItemFailures"],
    )
    assert poller.settings(configured) == poller.Settings(1000, 60.0, 2, True)
    assert poller.settings(configured, reserved_concurrency=1).concurrency == 1
    assert poller.settings(configured, reserved_concurrency=0).concurrency == 0


def test_a_batch_goes_when_full_when_its_window_ends_or_near_six_megabytes() -> None:
    config = poller.Settings(batch_size=3, window_seconds=5, concurrency=2, report_failures=False)

    assert not poller.batch_ready(2, 100, started=0, now=4.9, config=config)
    assert poller.batch_ready(3, 100, started=0, now=0, config=config)
    assert poller.batch_ready(1, 100, started=0, now=5, config=config)
    assert poller.batch_ready(1, poller.MAX_PAYLOAD_BYTES, started=0, now=0, config=config)


def test_message_attributes_take_lambdas_camel_case_shape() -> None:
    shaped = poller.message_attributes(
        {
            "s": {"DataType": "String", "StringValue": "v"},
            "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        }
    )

    assert shaped == {
        "s": {"stringValue": "v", "stringListValues": [], "binaryListValues": [], "dataType": "String"},
        "b": {"binaryValue": "AAE=", "stringListValues": [], "binaryListValues": [], "dataType": "Binary"},
    }


SCHEDULE = "arn:aws:scheduler:us-east-1:123456789012:schedule/default/crawl"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": "123456789012"},
                "ArnEquals": {"aws:SourceArn": SCHEDULE},
            },
        }
    ],
}
CONTEXT = {"aws:SourceArn": SCHEDULE, "aws:SourceAccount": "123456789012"}


def test_a_schedules_role_trust_admits_the_scheduler_only_under_its_conditions() -> None:
    """The scheduler checks its execution role with the emulator's IAM evaluator (tooling/emulator/iam)."""
    assert trust.service_may_assume(json.dumps(TRUST), "scheduler.amazonaws.com", CONTEXT)
    assert not trust.service_may_assume(TRUST, "events.amazonaws.com", CONTEXT)
    other = {**CONTEXT, "aws:SourceArn": SCHEDULE + "-other"}
    assert not trust.service_may_assume(TRUST, "scheduler.amazonaws.com", other)
    assert not trust.service_may_assume(TRUST, "scheduler.amazonaws.com", {})


def test_a_schedules_role_policies_allow_by_action_and_resource_and_deny_wins() -> None:
    fn = "arn:aws:lambda:us-east-1:123456789012:function:trigger"
    allow = {
        "Statement": [{"Effect": "Allow", "Action": "lambda:Invoke*", "Resource": "arn:aws:lambda:*:*:function:trig*"}]
    }
    deny = {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": fn}]}
    keys = lower_keys(CONTEXT)

    assert policy.identity_effects([allow], "lambda:InvokeFunction", fn, keys).allow
    assert policy.identity_effects([allow], "LAMBDA:invokefunction", fn, keys).allow  # actions ignore case
    assert not policy.identity_effects([allow], "lambda:InvokeFunction", fn.replace("trigger", "other"), keys).allow
    assert policy.identity_effects([allow, deny], "lambda:InvokeFunction", fn, keys).deny
    assert not policy.identity_effects([], "lambda:InvokeFunction", fn, keys).allow


def test_a_schedules_payload_fills_in_its_context_attributes() -> None:
    from datetime import UTC, datetime

    firing = delivery.Firing(
        SCHEDULE,
        {
            "Arn": "x",
            "Input": '{"s": "<aws.scheduler.schedule-arn>", '
            '"t": "<aws.scheduler.scheduled-time>", "n": <aws.scheduler.attempt-number>}',
        },
        datetime(2030, 1, 1, 3, 0, tzinfo=UTC),
        execution_id="e",
    )

    assert json.loads(delivery.payload(firing, 2)) == {"s": SCHEDULE, "t": "2030-01-01T03:00:00Z", "n": 2}
    assert delivery.payload(delivery.Firing(SCHEDULE, {"Arn": "x"}, firing.scheduled_time), 1) == "{}"
    assert delivery.retry_policy({}) == (185, 86400)


EVENT = {
    "version": "0",
    "id": "1",
    "detail-type": "Glue Crawler State Change",
    "source": "aws.glue",
    "account": "123456789012",
    "time": 1893456000.5,
    "region": "us-east-1",
    "resources": [],
    "detail": {"crawlerName": "sales", "state": "Failed", "errors": 2},
    "ingestion-time": 1893456001,
}


def test_the_delivered_event_has_an_iso_time_and_no_ingestion_time() -> None:
    delivered = transform.as_delivered(EVENT)

    assert list(delivered) == list(transform.ORDER)
    assert delivered["time"] == "2030-01-01T00:00:00Z"


def test_input_and_input_path_replace_the_event() -> None:
    event = transform.as_delivered(EVENT)

    assert transform.target_input({"Input": '{"fixed": true}'}, event, "arn", "r") == '{"fixed": true}'
    assert json.loads(transform.target_input({"InputPath": "$.detail"}, event, "arn", "r")) == EVENT["detail"]
    assert json.loads(transform.target_input({}, event, "arn", "r")) == event


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{"crawler": <name>, "errors": <errors>}', '{"crawler": "sales", "errors": 2}'),
        ('{"text": "crawler <name> has <errors> errors"}', '{"text": "crawler sales has 2 errors"}'),
        ('"Crawler <name> is <state>"', '"Crawler sales is Failed"'),
        ("Crawler <name> is <state> (rule <aws.events.rule-name>)", "Crawler sales is Failed (rule alerts)"),
        ('{"missing": <nothing>, "kept": "<unknown>"}', '{"missing": null, "kept": "<unknown>"}'),
    ],
)
def test_an_input_transformer_inserts_json_outside_strings_and_text_inside(template: str, expected: str) -> None:
    transformer = {
        "InputPathsMap": {
            "name": "$.detail.crawlerName",
            "state": "$.detail.state",
            "errors": "$.detail.errors",
            "nothing": "$.detail.absent",
        },
        "InputTemplate": template,
    }

    out = transform.target_input({"InputTransformer": transformer}, transform.as_delivered(EVENT), "arn", "alerts")

    assert out == expected
