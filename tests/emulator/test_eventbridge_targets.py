"""EventBridge rules deliver to SNS topics (and on to their SQS subscriptions) and to Lambda
functions; disabled rules deliver nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tooling.emulator.server import Emulator

Fixture = Callable[..., Any]

RECORDING = """
import json

def handler(event, context):
    print("OBSERVED " + json.dumps(event))
"""


def rule(emulator: Emulator, name: str, source: str, target: dict[str, Any], state: str = "ENABLED") -> None:
    events = emulator.client("events")
    events.put_rule(
        Name=name,
        EventPattern=json.dumps({"source": [source], "detail-type": ["Glue Crawler State Change"]}),
        State=state,
    )
    events.put_targets(Rule=name, Targets=[{"Id": "target", **target}])


def put_event(emulator: Emulator, source: str, detail: dict[str, Any]) -> None:
    answer = emulator.client("events").put_events(
        Entries=[{"Source": source, "DetailType": "Glue Crawler State Change", "Detail": json.dumps(detail)}]
    )
    assert answer["FailedEntryCount"] == 0


def topic_with_queue(emulator: Emulator, make_queue: Fixture) -> tuple[str, dict[str, str]]:
    queue = make_queue("alerts")
    topic = emulator.client("sns").create_topic(Name=queue["name"])["TopicArn"]
    emulator.client("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue["arn"])
    return str(topic), queue


def received(emulator: Emulator, url: str) -> list[dict[str, Any]]:
    messages = emulator.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_a_rule_publishes_the_event_to_an_sns_topic_whose_sqs_subscription_receives_it(
    emulator: Emulator, make_queue: Fixture, wait_for: Fixture
) -> None:
    topic, queue = topic_with_queue(emulator, make_queue)
    source = f"test.{queue['name']}"
    rule(emulator, queue["name"], source, {"Arn": topic})

    put_event(emulator, source, {"crawlerName": "c", "state": "Failed"})

    notification = wait_for(lambda: received(emulator, queue["url"]))[0]
    assert notification["Type"] == "Notification"
    assert notification["TopicArn"] == topic
    event = json.loads(notification["Message"])
    assert (event["source"], event["detail-type"], event["detail"]) == (
        source,
        "Glue Crawler State Change",
        {"crawlerName": "c", "state": "Failed"},
    )
    assert event["time"].endswith("Z") and "ingestion-time" not in event
    assert event["account"] == "123456789012"


def test_an_input_transformer_shapes_what_the_topic_publishes(
    emulator: Emulator, make_queue: Fixture, wait_for: Fixture
) -> None:
    topic, queue = topic_with_queue(emulator, make_queue)
    source = f"test.{queue['name']}"
    rule(
        emulator,
        queue["name"],
        source,
        {
            "Arn": topic,
            "InputTransformer": {
                "InputPathsMap": {"crawler": "$.detail.crawlerName", "state": "$.detail.state"},
                "InputTemplate": '"Crawler <crawler> is <state>"',
            },
        },
    )

    put_event(emulator, source, {"crawlerName": "sales", "state": "Failed"})

    notification = wait_for(lambda: received(emulator, queue["url"]))[0]
    assert notification["Message"] == '"Crawler sales is Failed"'


def test_a_rule_invokes_a_lambda_function_asynchronously_with_the_event(
    emulator: Emulator, make_function: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(RECORDING)
    source = f"test.{fn['FunctionName']}"
    rule(
        emulator,
        fn["FunctionName"],
        source,
        {
            "Arn": fn["FunctionArn"],
            "InputTransformer": {
                "InputPathsMap": {"state": "$.detail.state"},
                "InputTemplate": '{"state": <state>, "rule": "<aws.events.rule-name>"}',
            },
        },
    )

    put_event(emulator, source, {"crawlerName": "sales", "state": "Succeeded"})

    events = wait_for(lambda: observed(fn["FunctionName"]))
    assert events == [{"state": "Succeeded", "rule": fn["FunctionName"]}]


def test_a_disabled_rule_delivers_nothing(emulator: Emulator, make_queue: Fixture, wait_for: Fixture) -> None:
    topic, queue = topic_with_queue(emulator, make_queue)
    source = f"test.{queue['name']}"
    rule(emulator, queue["name"], source, {"Arn": queue["arn"]}, state="DISABLED")  # moto's own SQS target
    rule(emulator, f"{queue['name']}-on", source, {"Arn": topic})

    put_event(emulator, source, {"crawlerName": "c", "state": "Failed"})

    messages = wait_for(lambda: received(emulator, queue["url"]))
    assert [m.get("Type") for m in messages] == ["Notification"]  # only the enabled rule's, via the topic


def test_an_event_for_a_missing_function_goes_to_the_targets_dead_letter_queue(
    emulator: Emulator, make_queue: Fixture, wait_for: Fixture
) -> None:
    dlq = make_queue("rule-dlq")
    source = f"test.{dlq['name']}"
    missing = f"arn:aws:lambda:us-east-1:123456789012:function:{dlq['name']}-gone"
    rule(emulator, dlq["name"], source, {"Arn": missing, "DeadLetterConfig": {"Arn": dlq["arn"]}})

    put_event(emulator, source, {"state": "Failed"})

    message = wait_for(
        lambda: (
            emulator.client("sqs").receive_message(QueueUrl=dlq["url"], MessageAttributeNames=["All"]).get("Messages")
        )
    )[0]
    got = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert got["ERROR_CODE"] == "ResourceNotFoundException"
    assert got["TARGET_ARN"] == missing
    assert got["RULE_ARN"].endswith(f":rule/{dlq['name']}")
    assert json.loads(message["Body"])["detail"] == {"state": "Failed"}
