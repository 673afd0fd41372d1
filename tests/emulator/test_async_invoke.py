"""Asynchronous invocation (InvocationType=Event): a failing function is retried as its event
invoke config allows, then Lambda's record reaches the on-failure destination.

Runs on an emulator of its own whose retry delay is short (EMULATOR_ASYNC_RETRY_SECONDS), so the
shared session emulator keeps its defaults."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tooling.emulator.server import Emulator
from tooling.paths import BUILD

Fixture = Callable[..., Any]

FAILING = """
import json

def handler(event, context):
    print("OBSERVED " + json.dumps({"event": event, "request": context.aws_request_id}))
    raise ValueError("bad input " + event["id"])
"""


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    server = Emulator(
        log_path=BUILD / "test-emulator-async.log", settings={"EMULATOR_ASYNC_RETRY_SECONDS": "0.2"}
    ).start()
    try:
        yield server
    finally:
        server.stop()


def test_a_failing_async_invocation_reaches_the_on_failure_destination_after_its_retries(
    emulator: Emulator, make_function: Fixture, make_queue: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(FAILING)
    destination = make_queue("on-failure")
    emulator.client("lambda").put_function_event_invoke_config(
        FunctionName=fn["FunctionName"],
        MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": destination["arn"]}},
    )

    answer = emulator.client("lambda").invoke(
        FunctionName=fn["FunctionName"], InvocationType="Event", Payload=json.dumps({"id": "e-1"})
    )
    assert answer["StatusCode"] == 202

    messages = wait_for(lambda: emulator.client("sqs").receive_message(QueueUrl=destination["url"]).get("Messages"))
    record = json.loads(messages[0]["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["requestContext"]["functionArn"] == f"{fn['FunctionArn']}:$LATEST"
    assert record["requestPayload"] == {"id": "e-1"}
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert record["responsePayload"]["errorType"] == "ValueError"
    assert record["responsePayload"]["errorMessage"] == "bad input e-1"
    assert [o["event"] for o in observed(fn["FunctionName"])] == [{"id": "e-1"}] * 3


def test_an_async_invocation_that_succeeds_sends_nothing_to_the_on_failure_destination(
    emulator: Emulator,
    make_function: Fixture,
    make_queue: Fixture,
    observed: Fixture,
    wait_for: Fixture,
    queue_depth: Fixture,
) -> None:
    fn = make_function("""
import json

def handler(event, context):
    print("OBSERVED " + json.dumps(event))
    return {"ok": True}
""")
    destination = make_queue("on-failure")
    emulator.client("lambda").put_function_event_invoke_config(
        FunctionName=fn["FunctionName"], DestinationConfig={"OnFailure": {"Destination": destination["arn"]}}
    )

    emulator.client("lambda").invoke(FunctionName=fn["FunctionName"], InvocationType="Event", Payload=b'{"n": 1}')

    assert wait_for(lambda: observed(fn["FunctionName"])) == [{"n": 1}]
    assert queue_depth(destination["url"]) == 0
