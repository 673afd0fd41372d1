"""AWS event shapes the trigger receives, built the way AWS builds them (unit tests and the bench)."""

from __future__ import annotations

import json
from typing import Any


def s3_object_created(
    key: str = "raw/2024/01/01/part-0.parquet", bucket: str = "data-bucket", **overrides: Any
) -> dict[str, Any]:
    """An EventBridge S3 "Object Created" event, as an SQS message body carries it."""
    event = {
        "version": "0",
        "source": "aws.s3",
        "detail-type": "Object Created",
        "time": "2024-01-01T00:00:00Z",
        "detail": {"bucket": {"name": bucket}, "object": {"key": key}},
    }
    return {**event, **overrides}


def sqs_record(message_id: str, body: Any, sent_ms: int) -> dict[str, Any]:
    """One record of the SQS event an event source mapping hands to a function."""
    return {
        "eventSource": "aws:sqs",
        "messageId": message_id,
        "body": body if isinstance(body, str) else json.dumps(body),
        "attributes": {"SentTimestamp": str(sent_ms)},
    }
