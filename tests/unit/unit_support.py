"""Constants and event builders shared by the unit tests (fixtures live in conftest.py).

A plain module, not conftest: several conftest.py files share that module name across
the test tiers, so `from conftest import ...` would be ambiguous.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
CRAWLER = "raw-data-crawler"


def s3_event(key: str = "raw/2024/01/01/part-0.parquet", **overrides: Any) -> dict[str, Any]:
    """An EventBridge S3 Object Created event, as the SQS message body carries it."""
    event = {
        "version": "0",
        "source": "aws.s3",
        "detail-type": "Object Created",
        "time": "2024-01-01T00:00:00Z",
        "detail": {"bucket": {"name": "data-bucket"}, "object": {"key": key}},
    }
    return {**event, **overrides}


def sqs_record(message_id: str, body: Any, sent_ms: int) -> dict[str, Any]:
    return {
        "eventSource": "aws:sqs",
        "messageId": message_id,
        "body": body if isinstance(body, str) else json.dumps(body),
        "attributes": {"SentTimestamp": str(sent_ms)},
    }
