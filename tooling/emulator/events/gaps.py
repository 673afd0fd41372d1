"""EventBridge behaviour moto 5.2 lacks that the module's rules depend on.

* SNS and Lambda targets. moto's Rule.send_to_targets delivers to SQS queues, log groups, other
  buses, archives and API destinations, and raises NotImplementedError for anything else, so
  PutEvents failed (HTTP 500) as soon as a matching rule had an SNS topic (the module's crawl
  alerts) or a Lambda function as a target. Here an SNS target publishes to the topic through
  moto's SNS (its subscriptions, SQS ones included, receive it) and a Lambda target is invoked
  asynchronously (awslambda/invoke_async.py: Lambda's retries and on-failure destination). The
  payload is what EventBridge sends: the event (time in ISO 8601, without moto's ingestion-time),
  or the target's Input, InputPath or InputTransformer applied (transform.py). moto's own
  targets are left to moto. A topic or function that does not exist sends the payload to the
  target's DeadLetterConfig queue with EventBridge's attributes (RULE_ARN, TARGET_ARN,
  ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS 0: such errors are not retried), or drops it.
  The topic's policy and the function's resource policy are not checked.
* Disabled rules. moto delivers events to the targets of a rule whose State is DISABLED; AWS
  does not. A disabled rule delivers nothing here.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

from moto.events.models import Rule

from tooling.emulator.events import transform

log = logging.getLogger(__name__)
OURS = ("sns", "lambda")

_original_send = Rule.send_to_targets


def _service(target: dict[str, Any]) -> str:
    parts = str(target.get("Arn", "")).split(":")
    return parts[2] if len(parts) > 5 else ""


def _send_to_targets(self: Rule, original_event: Any, transform_input: bool = True) -> None:
    if self.state == "DISABLED" or not self.event_pattern.matches_event(original_event):
        return
    theirs = [t for t in self.targets if _service(t) not in OURS]
    if theirs:
        moto_rule = copy.copy(self)
        moto_rule.targets = theirs
        _original_send(moto_rule, original_event, transform_input)
    for target in self.targets:
        if _service(target) in OURS:
            deliver(self, target, dict(original_event), transform_input)


def deliver(rule: Rule, target: dict[str, Any], event: dict[str, Any], transform_input: bool = True) -> None:
    """Deliver one matched event to an SNS or Lambda target."""
    event = transform.as_delivered(event)
    text = transform.target_input(target, event, rule.arn, rule.name) if transform_input else json.dumps(event)
    arn = str(target["Arn"])
    parts = arn.split(":")
    if parts[2] == "sns":
        from moto.sns.models import sns_backends

        backend = sns_backends[parts[4]][parts[3]]
        if arn not in backend.topics:
            dead_letter(rule, target, text, "ResourceNotFoundException", f"Topic does not exist: {arn}")
            return
        backend.publish(text, arn=arn)
        return
    from moto.awslambda.exceptions import UnknownFunctionException
    from moto.awslambda.models import lambda_backends

    from tooling.emulator.awslambda import invoke_async

    try:
        function = lambda_backends[parts[4]][parts[3]].get_function(arn)
    except UnknownFunctionException:
        dead_letter(rule, target, text, "ResourceNotFoundException", f"Function not found: {arn}")
        return
    invoke_async.submit(function, transform.json_or_text(text))


def dead_letter(rule: Rule, target: dict[str, Any], text: str, code: str, message: str) -> None:
    """EventBridge's dead-letter message for an event it could not deliver (not retried)."""
    from moto.sqs.models import sqs_backends

    queue_arn = (target.get("DeadLetterConfig") or {}).get("Arn")
    if not queue_arn:
        log.warning("rule %s: dropped an event for %s: %s %s", rule.arn, target.get("Arn"), code, message)
        return
    attributes = {
        "RULE_ARN": rule.arn,
        "TARGET_ARN": str(target["Arn"]),
        "ERROR_CODE": code,
        "ERROR_MESSAGE": message,
        "RETRY_ATTEMPTS": "0",
    }
    parts = queue_arn.split(":")
    sqs_backends[parts[4]][parts[3]].send_message(
        parts[5],
        text,
        message_attributes={k: {"DataType": "String", "StringValue": v} for k, v in sorted(attributes.items())},
    )


def install() -> None:
    Rule.send_to_targets = _send_to_targets  # type: ignore[method-assign]
