"""Start the Glue crawler when new data lands: no lost updates, one crawl per burst.

Two kinds of invocation:

* a scheduled or direct call (any object without ``Records``): start the crawler
  unless it is already busy;
* an SQS batch of EventBridge "Object Created" events, delivered by an event source
  mapping with ``ReportBatchItemFailures``: a message is acknowledged only once a
  crawl has started at or after the moment it arrived. Messages that no crawl covers
  yet are returned as batch item failures, so SQS redelivers them after the
  visibility timeout and they cause the next crawl.

The module reads as parse -> decide -> act: ``parse_event`` and ``decide_batch`` are
pure; ``process`` is the only code that calls AWS.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)

# A message counts as covered by a running crawl only if it was sent at least this long
# before the crawl started; absorbs clock skew between SQS and this function.
SAFETY_MARGIN_MS = 5_000
READY = "READY"
RUNNING = "RUNNING"

# Standard mode retries throttling, 5xx and timeouts with jittered backoff; in a botocore
# Config, max_attempts counts retries (5 retries = 6 attempts at most).
GLUE_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 5},
    connect_timeout=5,
    read_timeout=10,
)
glue = boto3.client("glue", config=GLUE_CONFIG)


class CrawlerNotFoundError(LookupError):
    """The crawler named by CRAWLER_NAME does not exist."""


class MissingPermissionError(PermissionError):
    """The function's role may not call a Glue action on the crawler."""


class GlueClient(Protocol):
    """The two Glue calls the trigger makes (a boto3 Glue client satisfies it)."""

    def get_crawler(self, *, Name: str) -> Mapping[str, Any]: ...

    def start_crawler(self, *, Name: str) -> Mapping[str, Any]: ...


class Kind(Enum):
    OBJECT_CREATED = "object_created"
    IGNORED = "ignored"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Message:
    message_id: str
    sent_ms: int | None  # SQS SentTimestamp; None when absent (never counted as covered)
    kind: Kind


@dataclass(frozen=True)
class Crawler:
    state: str
    elapsed_ms: int  # CrawlElapsedTime of the running crawl; 0 means "start unknown"


@dataclass(frozen=True)
class Plan:
    start: bool
    covered: tuple[str, ...]
    uncovered: tuple[str, ...]


# ---------------------------------------------------------------------------- parse


def parse_event(event: object) -> tuple[Message, ...] | None:
    """None for a scheduled/direct invocation, otherwise the SQS batch's messages."""
    if not isinstance(event, dict):
        raise ValueError(f"expected the event to be a JSON object, got {type(event).__name__}")
    if "Records" not in event:
        return None
    records = event["Records"]
    if not isinstance(records, list):
        raise ValueError("expected 'Records' to be a list of SQS records")
    return tuple(_parse_record(record) for record in records)


def _parse_record(record: object) -> Message:
    if not isinstance(record, dict) or record.get("eventSource") != "aws:sqs":
        raise ValueError("expected every record to be an SQS record (eventSource 'aws:sqs')")
    message_id = record.get("messageId")
    if not isinstance(message_id, str):
        raise ValueError("expected every SQS record to have a string 'messageId'")
    attributes = record.get("attributes")
    sent = attributes.get("SentTimestamp") if isinstance(attributes, dict) else None
    sent_ms = int(sent) if isinstance(sent, str) and sent.isdigit() else None
    return Message(message_id, sent_ms, classify_body(record.get("body")))


def classify_body(body: object) -> Kind:
    """What an SQS message body is: an S3 Object Created event, another event, or junk."""
    try:
        payload = json.loads(body) if isinstance(body, str) else None
    except json.JSONDecodeError:
        payload = None
    if not isinstance(payload, dict):
        return Kind.MALFORMED
    if payload.get("source") == "aws.s3" and payload.get("detail-type") == "Object Created":
        return Kind.OBJECT_CREATED
    return Kind.IGNORED


def parse_crawler(response: Mapping[str, Any]) -> Crawler:
    crawler = response["Crawler"]
    return Crawler(state=crawler["State"], elapsed_ms=int(crawler.get("CrawlElapsedTime") or 0))


# --------------------------------------------------------------------------- decide


def decide_batch(messages: Sequence[Message], crawler: Crawler, now_ms: int) -> Plan:
    """Start a crawl if the crawler is idle; otherwise acknowledge what the running crawl covers.

    A running crawl covers a message only if the message was sent at least
    SAFETY_MARGIN_MS before the crawl started (now - CrawlElapsedTime). An unknown start
    (CrawlElapsedTime 0) or a stopping crawler covers nothing.
    """
    ids = tuple(m.message_id for m in messages)
    if crawler.state == READY:
        return Plan(start=True, covered=ids, uncovered=())
    if crawler.state != RUNNING or crawler.elapsed_ms <= 0:
        return Plan(start=False, covered=(), uncovered=ids)
    latest_covered_ms = now_ms - crawler.elapsed_ms - SAFETY_MARGIN_MS
    covered = {m.message_id for m in messages if m.sent_ms is not None and m.sent_ms <= latest_covered_ms}
    return Plan(
        start=False,
        covered=tuple(i for i in ids if i in covered),
        uncovered=tuple(i for i in ids if i not in covered),
    )


# ------------------------------------------------------------------------------ act


def handler(event: object, context: object) -> dict[str, Any]:
    """Lambda entry point (``trigger_crawler.handler``)."""
    return process(event, crawler_name=crawler_name_from_env(), client=glue, now_ms=wall_clock_ms)


def crawler_name_from_env() -> str:
    name = os.environ.get("CRAWLER_NAME", "").strip()
    if not name:
        raise RuntimeError("environment variable CRAWLER_NAME is not set; set it to the Glue crawler to start")
    return name


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def process(event: object, *, crawler_name: str, client: GlueClient, now_ms: Callable[[], int]) -> dict[str, Any]:
    messages = parse_event(event)
    if messages is None:
        result = _trigger_scheduled(crawler_name, client)
    else:
        result = _trigger_for_batch(crawler_name, client, messages, now_ms)
    counts: dict[str, Any] = {k: result[k] for k in ("messages", "covered", "ignored", "malformed") if k in result}
    logger.info(
        "crawler trigger decision",
        extra={
            "crawler": crawler_name,
            "event_kind": "schedule" if messages is None else "sqs",
            "decision": result["action"],
            "state": result["state"],
            **counts,
            "failed": len(result.get("batchItemFailures", ())),
        },
    )
    return result


def _trigger_scheduled(crawler_name: str, client: GlueClient) -> dict[str, Any]:
    crawler = _get_crawler(client, crawler_name)
    if crawler.state != READY:
        return {"crawler": crawler_name, "action": "already_running", "state": crawler.state}
    started = _start_crawler(client, crawler_name)
    return {
        "crawler": crawler_name,
        "action": "started" if started else "already_running",
        "state": READY if started else RUNNING,
    }


def _trigger_for_batch(
    crawler_name: str,
    client: GlueClient,
    messages: Sequence[Message],
    now_ms: Callable[[], int],
) -> dict[str, Any]:
    relevant = [m for m in messages if m.kind is Kind.OBJECT_CREATED]
    malformed = [m.message_id for m in messages if m.kind is Kind.MALFORMED]
    for message_id in malformed:
        logger.warning(
            "malformed SQS message: body is not a JSON object; reporting it as a failure",
            extra={"crawler": crawler_name, "message_id": message_id},
        )
    counts = {
        "messages": len(messages),
        "ignored": sum(m.kind is Kind.IGNORED for m in messages),
        "malformed": len(malformed),
    }
    if not relevant:
        return _batch_result(crawler_name, "nothing_to_do", None, (), malformed, counts)

    crawler = _get_crawler(client, crawler_name)
    plan = decide_batch(relevant, crawler, now_ms())
    if not plan.start:
        return _batch_result(
            crawler_name,
            "already_running",
            crawler.state,
            plan.covered,
            [*plan.uncovered, *malformed],
            counts,
        )
    if _start_crawler(client, crawler_name):
        return _batch_result(crawler_name, "started", crawler.state, plan.covered, malformed, counts)
    # Another invocation started a crawl between GetCrawler and StartCrawler: it may have
    # begun before these messages arrived, so none of them is covered.
    everything = [m.message_id for m in relevant]
    return _batch_result(crawler_name, "already_running", RUNNING, (), [*everything, *malformed], counts)


def _batch_result(
    crawler_name: str,
    action: str,
    state: str | None,
    covered: Sequence[str],
    failed: Sequence[str],
    counts: Mapping[str, int],
) -> dict[str, Any]:
    return {
        "crawler": crawler_name,
        "action": action,
        "state": state,
        **counts,
        "covered": len(covered),
        "batchItemFailures": [{"itemIdentifier": i} for i in failed],
    }


def _get_crawler(client: GlueClient, crawler_name: str) -> Crawler:
    try:
        return parse_crawler(client.get_crawler(Name=crawler_name))
    except ClientError as error:
        raise _explain(error, "GetCrawler", crawler_name) from error


def _start_crawler(client: GlueClient, crawler_name: str) -> bool:
    """Start a crawl; False if one was started concurrently (CrawlerRunningException)."""
    try:
        client.start_crawler(Name=crawler_name)
    except ClientError as error:
        if _code(error) == "CrawlerRunningException":
            return False
        raise _explain(error, "StartCrawler", crawler_name) from error
    return True


def _explain(error: ClientError, action: str, crawler_name: str) -> Exception:
    code = _code(error)
    if code == "EntityNotFoundException":
        return CrawlerNotFoundError(
            f"Glue crawler {crawler_name!r} does not exist; check the CRAWLER_NAME environment variable"
        )
    if code == "AccessDeniedException":
        region = os.environ.get("AWS_REGION", "<region>")
        return MissingPermissionError(
            f"access denied for glue:{action} on crawler {crawler_name!r}: grant glue:{action} on "
            f"arn:aws:glue:{region}:<account-id>:crawler/{crawler_name} to the function's role "
            f"(AWS said: {error.response.get('Error', {}).get('Message', '')})"
        )
    return error


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
