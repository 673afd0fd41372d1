"""Deliver one occurrence of a schedule to its target, as EventBridge Scheduler does.

- The payload is the target's Input ("{}" without one) with Scheduler's context attributes filled
  in: <aws.scheduler.schedule-arn>, <aws.scheduler.scheduled-time>, <aws.scheduler.execution-id>,
  <aws.scheduler.attempt-number>.
- Before each attempt the execution role is checked as Scheduler would use it (the IAM evaluator of
  tooling/emulator/iam): it must
  exist, trust scheduler.amazonaws.com under the request's aws:SourceArn (the schedule) and
  aws:SourceAccount, and allow the target action on the target (lambda:InvokeFunction,
  sqs:SendMessage, sns:Publish).
- A Lambda target is invoked asynchronously (invoke_async.submit): once accepted, the function's
  own errors are Lambda's business (its retries and on-failure destination). An SQS or SNS target
  receives the payload as a message. Other targets (universal `aws-sdk` targets, ...) are not
  emulated and fail with `NotImplemented`.
- A delivery that fails (function, queue or topic missing; role missing, untrusted or not allowed)
  is retried after RETRY_SECONDS while the target's RetryPolicy allows it (MaximumRetryAttempts,
  MaximumEventAgeInSeconds counted from the scheduled time on the scheduler's clock), then the
  payload goes to the target's DeadLetterConfig queue with Scheduler's message attributes:
  ERROR_CODE, ERROR_MESSAGE, EXECUTION_ID, EXHAUSTED_RETRY_CONDITION, IS_PAYLOAD_TRUNCATED,
  RETRY_ATTEMPTS, SCHEDULED_TIME, SCHEDULE_ARN, TARGET_ARN. The error codes are the target API's
  (ResourceNotFoundException, AccessDeniedException; AccessDenied for sts:AssumeRole); the wording
  of the messages is the emulator's. Scheduler's exponential back-off is shortened to a fixed
  delay so that a local run can watch it: EMULATOR_SCHEDULER_RETRY_SECONDS sets it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tooling.emulator.iam import policy, trust
from tooling.emulator.iam.conditions import lower_keys

RETRY_SECONDS = float(os.environ.get("EMULATOR_SCHEDULER_RETRY_SECONDS", "1"))
DEFAULT_RETRY_ATTEMPTS = 185  # Scheduler's defaults when a target has no RetryPolicy
DEFAULT_EVENT_AGE_SECONDS = 86400
ACTIONS = {"lambda": "lambda:InvokeFunction", "sqs": "sqs:SendMessage", "sns": "sns:Publish"}

log = logging.getLogger(__name__)
_pending: set[str] = set()  # execution ids being delivered or waiting for a retry
_lock = threading.Lock()


@dataclass(frozen=True)
class Firing:
    """One occurrence of a schedule on its way to the target."""

    schedule_arn: str
    target: dict[str, Any]
    scheduled_time: datetime
    execution_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def account(self) -> str:
        return self.schedule_arn.split(":")[4]

    @property
    def region(self) -> str:
        return self.schedule_arn.split(":")[3]


class DeliveryError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


# --- pure -------------------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def payload(firing: Firing, attempt: int) -> str:
    """The target's Input with the context attributes of this attempt filled in."""
    text = firing.target.get("Input")
    if text is None:
        return "{}"
    for name, value in (
        ("schedule-arn", firing.schedule_arn),
        ("scheduled-time", iso(firing.scheduled_time)),
        ("execution-id", firing.execution_id),
        ("attempt-number", str(attempt)),
    ):
        text = text.replace(f"<aws.scheduler.{name}>", value)
    return str(text)


def retry_policy(target: dict[str, Any]) -> tuple[int, int]:
    policy = target.get("RetryPolicy") or {}
    attempts = policy.get("MaximumRetryAttempts")
    age = policy.get("MaximumEventAgeInSeconds")
    return (
        DEFAULT_RETRY_ATTEMPTS if attempts is None else int(attempts),
        DEFAULT_EVENT_AGE_SECONDS if age is None else int(age),
    )


def dead_letter_attributes(firing: Firing, error: DeliveryError, retries: int, condition: str | None) -> dict[str, Any]:
    values = {
        "ERROR_CODE": error.code,
        "ERROR_MESSAGE": error.message,
        "EXECUTION_ID": firing.execution_id,
        "IS_PAYLOAD_TRUNCATED": "false",
        "RETRY_ATTEMPTS": str(retries),
        "SCHEDULED_TIME": iso(firing.scheduled_time),
        "SCHEDULE_ARN": firing.schedule_arn,
        "TARGET_ARN": firing.target["Arn"],
    }
    if condition:
        values["EXHAUSTED_RETRY_CONDITION"] = condition
    return {name: {"DataType": "String", "StringValue": value} for name, value in sorted(values.items())}


# --- the thin layer over moto -----------------------------------------------------------------


def _role_documents(role: Any) -> list[str]:
    documents = list(role.policies.values())
    for managed in role.managed_policies.values():
        documents += [v.document for v in managed.versions if v.is_default]
    return documents


def check_role(firing: Firing, action: str, resource: str) -> None:
    """Raise DeliveryError unless the execution role can be assumed and allows `action` on `resource`."""
    from moto.iam.models import iam_backends
    from moto.utilities.utils import get_partition

    role_arn = str(firing.target.get("RoleArn", ""))
    assume = DeliveryError(
        "AccessDenied", f"EventBridge Scheduler is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
    )
    try:
        role = iam_backends[firing.account][get_partition(firing.region)].get_role_by_arn(role_arn)
    except Exception as missing:  # moto raises its NotFoundException, or an IndexError for a malformed ARN
        raise assume from missing
    context = {"aws:SourceArn": firing.schedule_arn, "aws:SourceAccount": firing.account}
    if not trust.service_may_assume(role.assume_role_policy_document, "scheduler.amazonaws.com", context):
        raise assume
    effects = policy.identity_effects(_role_documents(role), action, resource, lower_keys(context))
    if effects.deny or not effects.allow:
        raise DeliveryError(
            "AccessDeniedException",
            (
                f"User: arn:aws:sts::{firing.account}:assumed-role/{role.name}/{firing.execution_id} is not authorized "
                f"to perform: {action} on resource: {resource} "
                f"because no identity-based policy allows the {action} action"
            ),
        )


def deliver_once(firing: Firing, attempt: int) -> None:
    """One attempt; DeliveryError when the target cannot be reached."""
    arn = str(firing.target["Arn"])
    parts = arn.split(":")
    service = parts[2] if len(parts) > 5 else ""
    if service not in ACTIONS:
        raise DeliveryError("NotImplemented", f"the emulator delivers schedules to Lambda, SQS and SNS only, not {arn}")
    body = payload(firing, attempt)
    if service == "lambda":
        from moto.awslambda.models import lambda_backends

        from tooling.emulator.awslambda import invoke_async

        check_role(firing, ACTIONS[service], arn)  # Lambda authorizes before it looks the function up
        try:
            function = lambda_backends[parts[4]][parts[3]].get_function(arn)
        except Exception as missing:  # moto's UnknownFunctionException
            raise DeliveryError("ResourceNotFoundException", f"Function not found: {arn}") from missing
        invoke_async.submit(function, _json_or_text(body))
    elif service == "sqs":
        from moto.sqs.models import sqs_backends

        queues = sqs_backends[parts[4]][parts[3]]
        if parts[5] not in queues.queues:
            raise DeliveryError("AWS.SimpleQueueService.NonExistentQueue", f"The specified queue does not exist: {arn}")
        check_role(firing, ACTIONS[service], arn)
        group = (firing.target.get("SqsParameters") or {}).get("MessageGroupId")
        queues.send_message(parts[5], body, group_id=group)
    else:
        from moto.sns.models import sns_backends

        topics = sns_backends[parts[4]][parts[3]]
        if arn not in topics.topics:
            raise DeliveryError("NotFound", f"Topic does not exist: {arn}")
        check_role(firing, ACTIONS[service], arn)
        topics.publish(body, arn=arn)


def _json_or_text(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body


def run(firing: Firing, now: Callable[[], datetime]) -> None:
    """Deliver with retries; dead-letter what cannot be delivered."""
    max_retries, max_age = retry_policy(firing.target)
    attempt = 0
    while True:
        attempt += 1
        try:
            deliver_once(firing, attempt)
            return
        except DeliveryError as error:
            failure = error
        log.info("schedule %s: attempt %d failed: %s", firing.schedule_arn, attempt, failure)
        if attempt > max_retries:
            condition = "MaximumRetryAttempts"
            break
        if (now() - firing.scheduled_time).total_seconds() + RETRY_SECONDS > max_age:
            condition = "MaximumEventAgeInSeconds"
            break
        time.sleep(RETRY_SECONDS)
    dead_letter(firing, payload(firing, attempt), failure, attempt - 1, condition)


def dead_letter(firing: Firing, body: str, error: DeliveryError, retries: int, condition: str | None) -> None:
    from moto.sqs.models import sqs_backends

    queue_arn = (firing.target.get("DeadLetterConfig") or {}).get("Arn")
    if not queue_arn:
        log.warning("schedule %s: dropped after %d retries: %s", firing.schedule_arn, retries, error)
        return
    parts = queue_arn.split(":")
    try:
        sqs_backends[parts[4]][parts[3]].send_message(
            parts[5], body, message_attributes=dead_letter_attributes(firing, error, retries, condition)
        )
    except Exception:  # a missing dead-letter queue loses the event, as in AWS
        log.exception("schedule %s: dead-letter queue %s unavailable", firing.schedule_arn, queue_arn)


def submit(firing: Firing, now: Callable[[], datetime]) -> None:
    """Deliver in the background, on a daemon thread: a retry loop never holds up the server's exit."""
    with _lock:
        _pending.add(firing.execution_id)
    threading.Thread(target=_run_tracked, args=(firing, now), name="scheduler-delivery", daemon=True).start()


def _run_tracked(firing: Firing, now: Callable[[], datetime]) -> None:
    try:
        run(firing, now)
    finally:
        with _lock:
            _pending.discard(firing.execution_id)


def idle() -> bool:
    """No occurrence is being delivered or waiting for a retry."""
    with _lock:
        return not _pending
