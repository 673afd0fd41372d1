"""Fixtures for the unit tier: the trigger Lambda against moto, in process, offline."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.retries.standard import ExponentialBackoff
from moto import mock_aws
from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.botocore_stubber import MockRawResponse

from tooling import aws_env
from tooling.events import s3_object_created, sqs_record

REGION = aws_env.REGION


@pytest.fixture
def crawler_name() -> str:
    """The crawler the handler is configured to start (its CRAWLER_NAME)."""
    return "raw-data-crawler"


@pytest.fixture(autouse=True)
def fake_aws(monkeypatch: pytest.MonkeyPatch, crawler_name: str) -> None:
    """Fake credentials and region; nothing may reach a real AWS endpoint."""
    for name in aws_env.UNSAFE:
        monkeypatch.delenv(name, raising=False)
    for name, value in aws_env.fake_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CRAWLER_NAME", crawler_name)


@pytest.fixture
def no_retry_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep botocore's standard-mode retries, but without the backoff sleep."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)


@pytest.fixture
def trigger() -> Iterator[ModuleType]:
    """The handler module, (re)imported inside moto so its module-level client is mocked."""
    with mock_aws():
        module = importlib.import_module("trigger_crawler")
        yield importlib.reload(module)


@pytest.fixture
def glue(trigger: ModuleType) -> Any:
    return boto3.client("glue", region_name=REGION)


@pytest.fixture
def crawler(glue: Any, crawler_name: str) -> str:
    """A crawler in moto, READY; its name is what CRAWLER_NAME says."""
    glue.create_database(DatabaseInput={"Name": "raw"})
    glue.create_crawler(
        Name=crawler_name,
        Role=f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/crawler",
        DatabaseName="raw",
        Targets={"S3Targets": [{"Path": "s3://data-bucket/raw/"}]},
    )
    return crawler_name


@pytest.fixture
def moto_crawler(crawler: str) -> Any:
    """moto's in-memory crawler, to finish crawls and set CrawlElapsedTime."""
    return get_backend("glue")[DEFAULT_ACCOUNT_ID][REGION].crawlers[crawler]


@pytest.fixture
def finish_crawl(moto_crawler: Any) -> Callable[[], None]:
    def finish() -> None:
        moto_crawler.crawls[-1].status = "COMPLETED"

    return finish


class GlueCalls:
    """Counts the Glue requests the handler sends, and lets a test answer some of them."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.scripted: dict[str, list[str | Exception]] = {}

    def fail(self, operation: str, *outcomes: str | Exception) -> None:
        """The next calls of `operation` fail with these error codes or exceptions, in order."""
        self.scripted.setdefault(operation, []).extend(outcomes)

    def count(self, operation: str) -> int:
        return self.sent.count(operation)

    def before_send(self, request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        operation = event_name.rsplit(".", 1)[-1]
        self.sent.append(operation)
        script = self.scripted.get(operation)
        if not script:
            return None  # moto answers
        outcome = script.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        body = json.dumps({"__type": outcome, "message": f"{outcome} (injected by the test)"})
        return AWSResponse(request.url, 400, {}, MockRawResponse(body.encode()))


@pytest.fixture
def glue_calls(trigger: ModuleType, no_retry_sleep: None) -> GlueCalls:
    """Records (and can fail) every Glue request of the handler's own client."""
    calls = GlueCalls()
    trigger.glue.meta.events.register_first("before-send.glue", calls.before_send)
    return calls


@pytest.fixture
def make_record() -> Callable[..., dict[str, Any]]:
    """make_record(message_id, body=<S3 Object Created event>, sent_ms=0) -> an SQS record."""

    def make(message_id: str, body: Any = None, sent_ms: int = 0) -> dict[str, Any]:
        return sqs_record(message_id, s3_object_created() if body is None else body, sent_ms)

    return make
