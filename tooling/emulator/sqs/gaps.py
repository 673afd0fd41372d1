"""SQS behaviour moto 5.2 lacks that the module's queues depend on.

* RedrivePolicy. moto renders it as `json.dumps` does ('{"a": 1, "b": 2}'), AWS compactly
  ('{"a":1,"b":2}'); the provider compares the strings, so every plan showed a whitespace update
  of `redrive_policy` (`examples/complete`). It is rendered compactly.
"""

from __future__ import annotations

import json
from typing import Any

from moto.sqs.models import Queue

_original_queue_attributes = Queue.attributes


def _queue_attributes(self: Queue) -> dict[str, Any]:
    result: dict[str, Any] = _original_queue_attributes.fget(self)  # type: ignore[attr-defined]
    if self.redrive_policy:
        result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
    return result


def install() -> None:
    Queue.attributes = property(_queue_attributes)  # type: ignore[method-assign,assignment]
