"""EventBridge Scheduler behaviour moto 5.2 lacks: schedules fire.

* Firing. moto stores schedules and answers the API, but nothing ever invokes a target, so a
  deployed schedule (the module's crawl schedule) never ran locally and its retry policy and
  dead-letter queue were never exercised. clock.py evaluates rate(), at() and cron() expressions
  (expressions.py) in the schedule's time zone on a clock that tests can advance, honouring State,
  StartDate, EndDate and ActionAfterCompletion; delivery.py delivers to Lambda (asynchronous
  invoke), SQS and SNS targets through the execution role (checked by tooling/emulator/iam), with the target's
  RetryPolicy and DeadLetterConfig. The clock's thread starts with the first CreateSchedule.
* Endpoints (tooling/emulator/routes.py): `POST /_emulator/scheduler/fire` {"name": ...,
  "group": "default"} fires a schedule now, whatever its expression and state (the demo's "run it
  now"); the answer names the ScheduleArn, ExecutionId and ScheduledTime.
  `POST /_emulator/scheduler/advance` {"seconds": N} moves the scheduler's clock forward and
  evaluates every schedule at once; the answer lists the schedules that fired and the clock's time.
  Both take optional "account" and "region" (the fake account's defaults otherwise).
"""

from __future__ import annotations

from typing import Any

from moto.scheduler.models import (
    EventBridgeSchedulerBackend,
    Schedule,
    scheduler_backends,
)

from tooling import aws_env
from tooling.emulator import routes
from tooling.emulator.scheduler import clock, delivery

_original_create = EventBridgeSchedulerBackend.create_schedule


def _create_schedule(self: EventBridgeSchedulerBackend, *args: Any, **kwargs: Any) -> Schedule:
    schedule: Schedule = _original_create(self, *args, **kwargs)
    clock.start()
    return schedule


def _backend(request: dict[str, Any]) -> EventBridgeSchedulerBackend:
    backend: EventBridgeSchedulerBackend = scheduler_backends[str(request.get("account", aws_env.ACCOUNT_ID))][
        str(request.get("region", aws_env.REGION))
    ]
    return backend


def fire_now(request: dict[str, Any]) -> dict[str, Any]:
    """`POST /_emulator/scheduler/fire`: deliver one occurrence of a schedule now."""
    from moto.scheduler.exceptions import ScheduleGroupNotFound, ScheduleNotFound

    name, group = str(request["name"]), str(request.get("group") or "default")
    try:
        schedule = _backend(request).get_schedule(group, name)
    except (ScheduleNotFound, ScheduleGroupNotFound) as missing:
        raise LookupError(f"no schedule {group}/{name}") from missing
    clock.start()
    firing = clock.fire(schedule, clock.CLOCK.now())
    return {
        "ScheduleArn": firing.schedule_arn,
        "ExecutionId": firing.execution_id,
        "ScheduledTime": delivery.iso(firing.scheduled_time),
        "TargetArn": firing.target.get("Arn"),
    }


def advance(request: dict[str, Any]) -> dict[str, Any]:
    """`POST /_emulator/scheduler/advance`: move the clock forward and evaluate every schedule."""
    clock.start()
    now, fired = clock.DISPATCHER.advance(float(request.get("seconds", 0)))
    return {"Now": delivery.iso(now), "Fired": fired}


def install() -> None:
    EventBridgeSchedulerBackend.create_schedule = _create_schedule  # type: ignore[method-assign]
    routes.install()
    routes.register("scheduler/fire", fire_now)
    routes.register("scheduler/advance", advance)
