"""Fixtures for tests against a running emulator: Python functions built from source in the test,
queues with unique names, the log lines a function printed, and waiting on observable state."""

from __future__ import annotations

import io
import json
import textwrap
import time
import uuid
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from tooling.emulator.server import Emulator
from tooling.policy_documents import trust

TRUST_LAMBDA = trust("lambda.amazonaws.com")
MARK = "OBSERVED "  # a handler prints MARK + JSON; `observed` reads those lines back from its log group


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def zip_source(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", textwrap.dedent(source))
    return buffer.getvalue()


def _wait_for(condition: Callable[[], Any], timeout: float = 60, interval: float = 0.2) -> Any:
    """Poll `condition` until it returns something truthy; fail with the last value at the deadline."""
    deadline = time.monotonic() + timeout
    value = condition()
    while not value:
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout}s (last value {value!r})", pytrace=False)
        time.sleep(interval)
        value = condition()
    return value


@pytest.fixture(scope="session")
def wait_for() -> Callable[..., Any]:
    """wait_for(condition, timeout=60): poll observable state with a deadline instead of sleeping."""
    return _wait_for


@pytest.fixture
def lambda_role(emulator: Emulator) -> str:
    name = unique("emulator-tests-fn")
    role = emulator.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_LAMBDA)
    return str(role["Role"]["Arn"])


@pytest.fixture
def make_function(emulator: Emulator, lambda_role: str) -> Callable[..., dict[str, Any]]:
    """Create a python3.11 function whose handler.py is `source`; returns its configuration."""

    def make(source: str, *, name: str | None = None, timeout: int = 30, **extra: Any) -> dict[str, Any]:
        config: dict[str, Any] = emulator.client("lambda").create_function(
            FunctionName=name or unique("fn"),
            Runtime="python3.11",
            Role=lambda_role,
            Handler="handler.handler",
            Code={"ZipFile": zip_source(source)},
            Timeout=timeout,
            **extra,
        )
        return config

    return make


@pytest.fixture
def make_queue(emulator: Emulator) -> Callable[..., dict[str, str]]:
    """Create a standard queue; returns {"url", "arn", "name"}."""

    def make(prefix: str = "q", **attributes: str) -> dict[str, str]:
        sqs = emulator.client("sqs")
        name = unique(prefix)
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return {"url": url, "arn": arn, "name": name}

    return make


@pytest.fixture
def observed(emulator: Emulator) -> Callable[[str], list[Any]]:
    """Everything a function printed as MARK + JSON, in log order, across its invocations."""

    def read(function_name: str) -> list[Any]:
        logs = emulator.client("logs")
        try:
            events = logs.filter_log_events(logGroupName=f"/aws/lambda/{function_name}")["events"]
        except logs.exceptions.ResourceNotFoundException:
            return []
        events.sort(key=lambda e: (e["timestamp"], e.get("ingestionTime", 0)))
        return [json.loads(e["message"][len(MARK) :]) for e in events if e["message"].startswith(MARK)]

    return read


@pytest.fixture
def queue_depth(emulator: Emulator) -> Callable[[str], int]:
    """Visible plus in-flight plus delayed messages of a queue."""

    def depth(url: str) -> int:
        names = [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ]
        attributes = emulator.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
        return sum(int(attributes[n]) for n in names)

    return depth
