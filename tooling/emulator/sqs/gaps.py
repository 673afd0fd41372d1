"""SQS behaviour moto 5.2 lacks that the module's queues depend on.

* RedrivePolicy. moto renders it as `json.dumps` does ('{"a": 1, "b": 2}'), AWS compactly
  ('{"a":1,"b":2}'); the provider compares the strings, so every plan showed a whitespace update
  of `redrive_policy` (`examples/complete`). It is rendered compactly.
* SetQueueAttributes without a Policy. moto sets the queue's policy to whatever the call carries,
  so changing only VisibilityTimeout deleted the queue policy (and the next plan wanted to create
  `aws_sqs_queue_policy` again). As in SQS, attributes not in the call keep their values.
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


_original_set_attributes = Queue._set_attributes


def _set_attributes(self: Queue, attributes: dict[str, Any], now: float | None = None) -> None:
    policy = getattr(self, "policy", None)  # absent while the queue is being created
    _original_set_attributes(self, attributes, now)
    if "Policy" not in attributes:
        self.policy = policy


def install() -> None:
    Queue._set_attributes = _set_attributes  # type: ignore[method-assign]
    Queue.attributes = property(_queue_attributes)  # type: ignore[method-assign,assignment]
