"""The SQS event source mapping poller: batches, windows, partial batch responses, redrive,
disabled mappings and the concurrency cap, observed through queues and the function's log."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from tooling.emulator.server import Emulator

Fixture = Callable[..., Any]

# Prints each batch it gets: bodies, receive counts, and the whole first record.
RECORDING = """
import json

def handler(event, context):
    records = event["Records"]
    print("OBSERVED " + json.dumps({
        "bodies": [r["body"] for r in records],
        "counts": [r["attributes"]["ApproximateReceiveCount"] for r in records],
        "source": records[0]["eventSourceARN"],
        "first": records[0],
    }))
"""


def send(emulator: Emulator, url: str, *bodies: str) -> None:
    for body in bodies:
        emulator.client("sqs").send_message(QueueUrl=url, MessageBody=body)


def map_queue(emulator: Emulator, queue_arn: str, function: str, **settings: Any) -> str:
    mapping = emulator.client("lambda").create_event_source_mapping(
        EventSourceArn=queue_arn, FunctionName=function, **settings
    )
    return str(mapping["UUID"])


def enable(emulator: Emulator, uuid: str, enabled: bool = True) -> None:
    emulator.client("lambda").update_event_source_mapping(UUID=uuid, Enabled=enabled)


def bodies(batches: list[dict[str, Any]]) -> list[list[str]]:
    return [b["bodies"] for b in batches]


def test_messages_queued_before_the_mapping_is_enabled_arrive_in_batches_of_batch_size(
    emulator: Emulator,
    make_function: Fixture,
    make_queue: Fixture,
    observed: Fixture,
    wait_for: Fixture,
    queue_depth: Fixture,
) -> None:
    fn = make_function(RECORDING)["FunctionName"]
    queue = make_queue()
    uuid = map_queue(emulator, queue["arn"], fn, BatchSize=3, Enabled=False)
    send(emulator, queue["url"], *[f"m{i}" for i in range(7)])

    enable(emulator, uuid)

    batches = wait_for(lambda: (b := observed(fn)) and sum(len(x["bodies"]) for x in b) == 7 and b)
    assert sorted(len(b) for b in bodies(batches)) == [1, 3, 3]
    assert sorted(x for b in bodies(batches) for x in b) == [f"m{i}" for i in range(7)]
    wait_for(lambda: queue_depth(queue["url"]) == 0)


def test_a_full_batch_goes_before_its_window_ends(
    emulator: Emulator, make_function: Fixture, make_queue: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(RECORDING)["FunctionName"]
    queue = make_queue()
    map_queue(emulator, queue["arn"], fn, BatchSize=3, MaximumBatchingWindowInSeconds=300)

    send(emulator, queue["url"], "a", "b", "c")  # three calls, gathered into one batch

    batches = wait_for(lambda: observed(fn), timeout=60)
    assert bodies(batches) == [["a", "b", "c"]]


def test_messages_sent_apart_within_the_window_arrive_as_one_batch(
    emulator: Emulator, make_function: Fixture, make_queue: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(RECORDING)["FunctionName"]
    queue = make_queue()
    map_queue(emulator, queue["arn"], fn, BatchSize=10, MaximumBatchingWindowInSeconds=2)

    send(emulator, queue["url"], "x", "y")

    batches = wait_for(lambda: observed(fn))
    assert bodies(batches) == [["x", "y"]]  # the window closed with 2 of 10


def test_the_event_has_lambdas_sqs_record_shape(
    emulator: Emulator, make_function: Fixture, make_queue: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(RECORDING)["FunctionName"]
    queue = make_queue()
    map_queue(emulator, queue["arn"], fn, BatchSize=1)
    before = int(time.time() * 1000)
    sent = emulator.client("sqs").send_message(
        QueueUrl=queue["url"],
        MessageBody='{"k": 1}',
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "demo"}},
    )
    after = int(time.time() * 1000)

    record = wait_for(lambda: observed(fn))[0]["first"]

    assert record["messageId"] == sent["MessageId"]
    assert record["body"] == '{"k": 1}'
    assert record["md5OfBody"] == sent["MD5OfMessageBody"]
    assert (record["eventSource"], record["eventSourceARN"], record["awsRegion"]) == (
        "aws:sqs",
        queue["arn"],
        "us-east-1",
    )
    assert record["receiptHandle"]
    attributes = record["attributes"]
    assert set(attributes) == {
        "ApproximateReceiveCount",
        "SentTimestamp",
        "SenderId",
        "ApproximateFirstReceiveTimestamp",
    }
    assert all(isinstance(v, str) for v in attributes.values())
    assert attributes["ApproximateReceiveCount"] == "1"
    assert before <= int(attributes["SentTimestamp"]) <= after
    assert int(attributes["SentTimestamp"]) <= int(attributes["ApproximateFirstReceiveTimestamp"])
    assert record["messageAttributes"] == {
        "kind": {"stringValue": "demo", "stringListValues": [], "binaryListValues": [], "dataType": "String"}
    }


PARTIAL = """
import json

def handler(event, context):
    records = event["Records"]
    print("OBSERVED " + json.dumps({"bodies": [r["body"] for r in records],
                                    "counts": [r["attributes"]["ApproximateReceiveCount"] for r in records]}))
    return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records
                                  if r["body"].startswith("fail") and r["attributes"]["ApproximateReceiveCount"] == "1"]}
"""


def test_a_partial_batch_response_deletes_only_the_messages_it_does_not_report(
    emulator: Emulator,
    make_function: Fixture,
    make_queue: Fixture,
    observed: Fixture,
    wait_for: Fixture,
    queue_depth: Fixture,
) -> None:
    fn = make_function(PARTIAL)["FunctionName"]
    queue = make_queue(VisibilityTimeout="1")
    uuid = map_queue(
        emulator, queue["arn"], fn, BatchSize=10, FunctionResponseTypes=["ReportBatchItemFailures"], Enabled=False
    )
    send(emulator, queue["url"], "ok-1", "fail-1", "ok-2", "fail-2")
    enable(emulator, uuid)

    wait_for(lambda: queue_depth(queue["url"]) == 0)

    batches = observed(fn)
    assert sorted(batches[0]["bodies"]) == ["fail-1", "fail-2", "ok-1", "ok-2"]
    redelivered = sorted(b for batch in batches[1:] for b in batch["bodies"])
    assert redelivered == ["fail-1", "fail-2"]  # the reported ones only, after the visibility timeout
    assert all(c == "2" for batch in batches[1:] for c in batch["counts"])


MALFORMED = """
import json

def handler(event, context):
    records = event["Records"]
    print("OBSERVED " + json.dumps({"bodies": [r["body"] for r in records],
                                    "counts": [r["attributes"]["ApproximateReceiveCount"] for r in records]}))
    if records[0]["attributes"]["ApproximateReceiveCount"] == "1":
        return {"batchItemFailures": [{"itemIdentifier": "not-a-message-of-this-batch"}]}
    return {"batchItemFailures": []}
"""


def test_a_batch_response_naming_an_unknown_message_fails_the_whole_batch(
    emulator: Emulator,
    make_function: Fixture,
    make_queue: Fixture,
    observed: Fixture,
    wait_for: Fixture,
    queue_depth: Fixture,
) -> None:
    fn = make_function(MALFORMED)["FunctionName"]
    queue = make_queue(VisibilityTimeout="1")
    uuid = map_queue(
        emulator, queue["arn"], fn, BatchSize=10, FunctionResponseTypes=["ReportBatchItemFailures"], Enabled=False
    )
    send(emulator, queue["url"], "a", "b", "c")
    enable(emulator, uuid)

    wait_for(lambda: queue_depth(queue["url"]) == 0)

    second_time = [
        b for batch in observed(fn) for b, c in zip(batch["bodies"], batch["counts"], strict=True) if c == "2"
    ]
    assert sorted(second_time) == ["a", "b", "c"]


FAILING = """
import json

def handler(event, context):
    print("OBSERVED " + json.dumps({"bodies": [r["body"] for r in event["Records"]],
                                    "counts": [r["attributes"]["ApproximateReceiveCount"] for r in event["Records"]]}))
    raise RuntimeError("cannot process")
"""


def test_a_failing_functions_message_moves_to_the_dead_letter_queue_after_max_receive_count(
    emulator: Emulator,
    make_function: Fixture,
    make_queue: Fixture,
    observed: Fixture,
    wait_for: Fixture,
    queue_depth: Fixture,
) -> None:
    fn = make_function(FAILING)["FunctionName"]
    dlq = make_queue("dlq")
    queue = make_queue(
        VisibilityTimeout="1", RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq["arn"], "maxReceiveCount": 2})
    )
    map_queue(emulator, queue["arn"], fn, BatchSize=1)

    send(emulator, queue["url"], "poison")

    wait_for(lambda: queue_depth(dlq["url"]) == 1)
    assert queue_depth(queue["url"]) == 0
    assert [b["counts"] for b in observed(fn)] == [["1"], ["2"]]
    moved = emulator.client("sqs").receive_message(QueueUrl=dlq["url"])["Messages"]
    assert [m["Body"] for m in moved] == ["poison"]


def test_a_disabled_mapping_leaves_its_queue_alone_until_enabled(
    emulator: Emulator, make_function: Fixture, make_queue: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(RECORDING)["FunctionName"]
    idle_queue, busy_queue = make_queue("disabled"), make_queue("enabled")
    disabled = map_queue(emulator, idle_queue["arn"], fn, BatchSize=1)
    enable(emulator, disabled, False)
    map_queue(emulator, busy_queue["arn"], fn, BatchSize=1)
    sqs = emulator.client("sqs")
    send(emulator, idle_queue["url"], "waits")
    send(emulator, busy_queue["url"], "goes")

    wait_for(lambda: observed(fn))  # the poller has served both mappings' queues since the sends

    visible = sqs.get_queue_attributes(QueueUrl=idle_queue["url"], AttributeNames=["All"])["Attributes"]
    assert (visible["ApproximateNumberOfMessages"], visible["ApproximateNumberOfMessagesNotVisible"]) == ("1", "0")
    state = emulator.client("lambda").get_event_source_mapping(UUID=disabled)
    assert state["State"] == "Disabled"

    enable(emulator, disabled)
    assert emulator.client("lambda").get_event_source_mapping(UUID=disabled)["State"] == "Enabled"
    batches = wait_for(lambda: len(b := observed(fn)) == 2 and b)
    assert sorted(x for b in bodies(batches) for x in b) == ["goes", "waits"]


SLOW = """
import json, time

def handler(event, context):
    started = time.time()
    time.sleep(1.5)
    print("OBSERVED " + json.dumps({"bodies": [r["body"] for r in event["Records"]], "start": started,
                                    "end": time.time()}))
"""


def most_at_once(intervals: list[tuple[float, float]]) -> int:
    edges = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    running = peak = 0
    for _, step in edges:
        running += step
        peak = max(peak, running)
    return peak


def test_maximum_concurrency_caps_the_batches_running_at_once(
    emulator: Emulator, make_function: Fixture, make_queue: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(SLOW)["FunctionName"]
    queue = make_queue(VisibilityTimeout="60")
    uuid = map_queue(emulator, queue["arn"], fn, BatchSize=1, ScalingConfig={"MaximumConcurrency": 2}, Enabled=False)
    send(emulator, queue["url"], *[f"m{i}" for i in range(6)])
    enable(emulator, uuid)

    batches = wait_for(lambda: len(b := observed(fn)) == 6 and b, timeout=120)

    assert most_at_once([(b["start"], b["end"]) for b in batches]) == 2


SIZES = """
import json

def handler(event, context):
    print("OBSERVED " + json.dumps({"count": len(event["Records"]), "bytes": len(json.dumps(event))}))
"""


def test_a_batch_stops_short_of_lambdas_six_megabyte_payload_limit(
    emulator: Emulator,
    make_function: Fixture,
    make_queue: Fixture,
    observed: Fixture,
    wait_for: Fixture,
    queue_depth: Fixture,
) -> None:
    fn = make_function(SIZES)["FunctionName"]
    queue = make_queue(VisibilityTimeout="60")
    uuid = map_queue(emulator, queue["arn"], fn, BatchSize=100, MaximumBatchingWindowInSeconds=1, Enabled=False)
    send(emulator, queue["url"], *["x" * 250_000] * 30)  # 7.5 MB in all
    enable(emulator, uuid)

    batches = wait_for(lambda: (b := observed(fn)) and sum(x["count"] for x in b) == 30 and b)

    assert len(batches) >= 2
    assert all(b["bytes"] <= 6 * 1024 * 1024 for b in batches)
    wait_for(lambda: queue_depth(queue["url"]) == 0)
