"""Asynchronous invocations (InvocationType=Event, the schedule, EventBridge): Lambda's queue, its
retries and its on-failure destination, in the emulator's process.

An event is accepted at once (202) and run on a worker thread. A failed run is retried after a
delay as long as the function's event invoke config allows (MaximumRetryAttempts, default 2;
MaximumEventAgeInSeconds, default 6 hours); when retries are exhausted the on-failure destination
(an SQS queue) receives Lambda's invocation record (`condition: RetriesExhausted`).
RETRY_DELAYS_SECONDS shortens Lambda's one and two minutes so that a local run can watch it; the
environment variable EMULATOR_ASYNC_RETRY_SECONDS sets it.
"""

from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from tooling.emulator.awslambda import runner

RETRY_DELAYS_SECONDS = float(os.environ.get("EMULATOR_ASYNC_RETRY_SECONDS", "1"))
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lambda-async")
_pending: set[Future[None]] = set()
_lock = threading.Lock()


def submit(function: Any, event: Any) -> None:
    future = _pool.submit(_run, function, event, time.time())
    with _lock:
        _pending.add(future)
    future.add_done_callback(lambda f: _discard(f))


def _discard(future: Future[None]) -> None:
    with _lock:
        _pending.discard(future)


def idle() -> bool:
    """No asynchronous invocation is queued or running."""
    with _lock:
        return not _pending


def _config(function: Any) -> tuple[int, int, str | None]:
    configs = getattr(function, "event_invoke_config", [])
    config = configs[0].config if configs else {}
    retries = int(config.get("MaximumRetryAttempts", 2))
    max_age = int(config.get("MaximumEventAgeInSeconds", 21600))
    destination = config.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    return retries, max_age, destination


def _run(function: Any, event: Any, accepted: float) -> None:
    retries, max_age, destination = _config(function)
    attempt = 0
    while True:
        attempt += 1
        result = runner.invoke(function, event)
        if not result.function_error:
            return
        if attempt > retries or time.time() - accepted > max_age:
            break
        time.sleep(RETRY_DELAYS_SECONDS * attempt)
    if destination:
        send_failure(function, destination, event, result, attempt)


def failure_record(function: Any, event: Any, result: runner.Invocation, attempts: int) -> dict[str, Any]:
    """Lambda's on-failure destination record."""
    return {
        "version": "1.0",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "requestContext": {
            "requestId": result.request_id,
            "functionArn": f"{function.function_arn}:$LATEST",
            "condition": "RetriesExhausted",
            "approximateInvokeCount": attempts,
        },
        "requestPayload": event,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": result.function_error},
        "responsePayload": json.loads(result.payload or b"null"),
    }


def send_failure(function: Any, destination: str, event: Any, result: runner.Invocation, attempts: int) -> None:
    from moto.sqs.models import sqs_backends

    parts = destination.split(":")
    if parts[2] != "sqs":
        raise NotImplementedError(f"on-failure destinations other than SQS are not emulated: {destination}")
    sqs_backends[parts[4]][parts[3]].send_message(
        queue_name=parts[5], message_body=json.dumps(failure_record(function, event, result, attempts))
    )
