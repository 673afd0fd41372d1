"""Measure the local Lambda: Invoke latency, cold and warm, and SQS send to function start.

    .venv/bin/python bench/emulator_lambda.py [--runs 20]

Starts an emulator of its own on 127.0.0.1 and prints medians (and min/max) in milliseconds:

- cold: the first Invoke of each of `runs` new functions (the zip is unpacked on that call);
- warm: `runs` further Invokes of one function. Every invocation is a new process (the runner keeps
  no execution environment), so warm differs from cold only by the unpacking;
- SQS to handler: SendMessage to a queue with an event source mapping (batch size 1, no window)
  until the handler's first line runs, from the handler's own clock (same machine).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import uuid
import zipfile
from typing import Any

from tooling.emulator.server import Emulator
from tooling.paths import BUILD
from tooling.policy_documents import trust

HANDLER = """
import time

def handler(event, context):
    started = time.time()
    print("STARTED %.6f" % started)
    return {"started": started}
"""
TRUST = trust("lambda.amazonaws.com")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", HANDLER + f"# {uuid.uuid4()}\n")  # a new CodeSha256: a cold unpack
    return buffer.getvalue()


def _function(emulator: Emulator, role: str) -> str:
    name = f"latency-{uuid.uuid4().hex[:8]}"
    emulator.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": _zip()},
        Timeout=30,
    )
    return name


def _invoke_ms(emulator: Emulator, name: str) -> float:
    started = time.perf_counter()
    answer = emulator.client("lambda").invoke(FunctionName=name, Payload=b"{}")
    answer["Payload"].read()
    return (time.perf_counter() - started) * 1000


def _summary(label: str, values: list[float]) -> str:
    return (
        f"{label:<16} median {statistics.median(values):7.1f} ms   min {min(values):7.1f}   "
        f"max {max(values):7.1f}   (n={len(values)})"
    )


def _sqs_to_start_ms(emulator: Emulator, role: str, runs: int) -> list[float]:
    name = _function(emulator, role)
    sqs = emulator.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    emulator.client("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=name, BatchSize=1)
    logs = emulator.client("logs")
    delays: list[float] = []
    for _ in range(runs):
        sent = time.time()
        sqs.send_message(QueueUrl=url, MessageBody="{}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            starts = _started(logs, name)
            if len(starts) > len(delays):
                delays.append((starts[-1] - sent) * 1000)
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("the poller did not deliver within 30 s")
    return delays


def _started(logs: Any, name: str) -> list[float]:
    try:
        events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
    except logs.exceptions.ResourceNotFoundException:
        return []
    return sorted(float(e["message"].split()[1]) for e in events if e["message"].startswith("STARTED "))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    emulator = Emulator(log_path=BUILD / "latency-emulator.log").start()
    try:
        role = emulator.client("iam").create_role(RoleName="latency", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        cold = [_invoke_ms(emulator, _function(emulator, role)) for _ in range(args.runs)]
        warm_fn = _function(emulator, role)
        _invoke_ms(emulator, warm_fn)
        warm = [_invoke_ms(emulator, warm_fn) for _ in range(args.runs)]
        sqs = _sqs_to_start_ms(emulator, role, args.runs)
    finally:
        emulator.stop()
    print(_summary("Invoke, cold", cold))
    print(_summary("Invoke, warm", warm))
    print(_summary("SQS to handler", sqs))


if __name__ == "__main__":
    main()
