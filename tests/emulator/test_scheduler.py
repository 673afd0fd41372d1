"""EventBridge Scheduler firing: fire now, a rate schedule on an advanced clock, the execution role,
and the dead-letter queue of what cannot be delivered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tooling.emulator.server import Emulator
from tooling.policy_documents import allow, document, trust

Fixture = Callable[..., Any]
ACCOUNT = "123456789012"

RECORDING = """
import json

def handler(event, context):
    print("OBSERVED " + json.dumps(event))
"""


def scheduler_role(
    emulator: Emulator,
    name: str,
    schedule_name: str,
    resources: list[str],
    actions: tuple[str, ...] = ("lambda:InvokeFunction", "sqs:SendMessage"),
) -> str:
    """A role as the module writes it: trusted by this schedule only, allowed `actions` on `resources`."""
    iam = emulator.client("iam")
    role_trust = trust(
        "scheduler.amazonaws.com",
        StringEquals={"aws:SourceAccount": ACCOUNT},
        ArnEquals={"aws:SourceArn": f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/default/{schedule_name}"},
    )
    arn = str(iam.create_role(RoleName=name, AssumeRolePolicyDocument=role_trust)["Role"]["Arn"])
    iam.put_role_policy(RoleName=name, PolicyName="targets", PolicyDocument=document(allow(list(actions), resources)))
    return arn


def create_schedule(
    emulator: Emulator, name: str, target: dict[str, Any], expression: str = "cron(0 3 1 1 ? 2099)", **extra: Any
) -> str:
    return str(
        emulator.client("scheduler").create_schedule(
            Name=name, ScheduleExpression=expression, FlexibleTimeWindow={"Mode": "OFF"}, Target=target, **extra
        )["ScheduleArn"]
    )


def test_a_schedule_fired_now_invokes_its_function_with_the_targets_input(
    emulator: Emulator, make_function: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(RECORDING)
    name = f"now-{fn['FunctionName']}"
    role = scheduler_role(emulator, name, name, [fn["FunctionArn"]])
    create_schedule(
        emulator,
        name,
        {
            "Arn": fn["FunctionArn"],
            "RoleArn": role,
            "Input": '{"source": "data-catalog.schedule", "id": "<aws.scheduler.execution-id>"}',
        },
        expression="cron(0 3 1 1 ? 2099)",
    )

    fired = emulator.post("/_emulator/scheduler/fire", {"name": name, "group": "default"})

    events = wait_for(lambda: observed(fn["FunctionName"]))
    assert events == [{"source": "data-catalog.schedule", "id": fired["ExecutionId"]}]
    assert fired["ScheduleArn"].endswith(f":schedule/default/{name}")


def test_a_rate_schedule_fires_at_once_and_again_when_its_period_has_passed(
    emulator: Emulator, make_function: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(RECORDING)
    name = f"rate-{fn['FunctionName']}"
    role = scheduler_role(emulator, name, name, [fn["FunctionArn"]])
    arn = create_schedule(
        emulator, name, {"Arn": fn["FunctionArn"], "RoleArn": role, "Input": '{"n": 1}'}, expression="rate(1 minute)"
    )

    wait_for(lambda: len(observed(fn["FunctionName"])) == 1)  # a rate schedule starts at once
    half = emulator.post("/_emulator/scheduler/advance", {"seconds": 30})
    full = emulator.post("/_emulator/scheduler/advance", {"seconds": 30})

    assert arn not in half["Fired"]
    assert arn in full["Fired"]
    assert wait_for(lambda: len(e := observed(fn["FunctionName"])) == 2 and e) == [{"n": 1}, {"n": 1}]


def test_a_disabled_schedule_does_not_fire_when_due(emulator: Emulator, make_function: Fixture) -> None:
    fn = make_function(RECORDING)
    name = f"off-{fn['FunctionName']}"
    role = scheduler_role(emulator, name, name, [fn["FunctionArn"]])
    arn = create_schedule(
        emulator, name, {"Arn": fn["FunctionArn"], "RoleArn": role}, expression="rate(1 minute)", State="DISABLED"
    )

    advanced = emulator.post("/_emulator/scheduler/advance", {"seconds": 120})

    assert arn not in advanced["Fired"]


def dead_letters(emulator: Emulator, url: str) -> list[dict[str, Any]]:
    messages = (
        emulator.client("sqs")
        .receive_message(QueueUrl=url, MessageAttributeNames=["All"], MaxNumberOfMessages=10)
        .get("Messages", [])
    )
    return list(messages)


def attributes(message: dict[str, Any]) -> dict[str, str]:
    return {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}


def test_a_schedule_whose_function_does_not_exist_ends_in_its_dead_letter_queue_after_its_retries(
    emulator: Emulator, make_queue: Fixture, wait_for: Fixture
) -> None:
    dlq = make_queue("schedule-dlq")
    name = dlq["name"].replace("schedule-dlq", "missing-fn")
    function_arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}"
    role = scheduler_role(emulator, name, name, [function_arn, dlq["arn"]])
    arn = create_schedule(
        emulator,
        name,
        {
            "Arn": function_arn,
            "RoleArn": role,
            "Input": '{"from": "schedule"}',
            "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
            "DeadLetterConfig": {"Arn": dlq["arn"]},
        },
        expression="cron(0 3 1 1 ? 2099)",
    )

    fired = emulator.post("/_emulator/scheduler/fire", {"name": name})

    message = wait_for(lambda: dead_letters(emulator, dlq["url"]))[0]
    assert message["Body"] == '{"from": "schedule"}'
    got = attributes(message)
    assert got["ERROR_CODE"] == "ResourceNotFoundException"
    assert function_arn in got["ERROR_MESSAGE"]
    assert got["EXHAUSTED_RETRY_CONDITION"] == "MaximumRetryAttempts"
    assert got["RETRY_ATTEMPTS"] == "2"
    assert (got["SCHEDULE_ARN"], got["TARGET_ARN"], got["EXECUTION_ID"]) == (arn, function_arn, fired["ExecutionId"])
    assert got["SCHEDULED_TIME"] == fired["ScheduledTime"]
    assert got["IS_PAYLOAD_TRUNCATED"] == "false"


def test_a_role_that_trusts_another_schedule_cannot_deliver(
    emulator: Emulator, make_function: Fixture, make_queue: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(RECORDING)
    dlq = make_queue("untrusted-dlq")
    name = f"untrusted-{fn['FunctionName']}"
    role = scheduler_role(emulator, name, "some-other-schedule", [fn["FunctionArn"]])
    create_schedule(
        emulator,
        name,
        {
            "Arn": fn["FunctionArn"],
            "RoleArn": role,
            "RetryPolicy": {"MaximumRetryAttempts": 0},
            "DeadLetterConfig": {"Arn": dlq["arn"]},
        },
    )

    emulator.post("/_emulator/scheduler/fire", {"name": name})

    message = wait_for(lambda: dead_letters(emulator, dlq["url"]))[0]
    assert attributes(message)["ERROR_CODE"] == "AccessDenied"
    assert attributes(message)["RETRY_ATTEMPTS"] == "0"
    assert observed(fn["FunctionName"]) == []


def test_a_role_without_invoke_permission_cannot_deliver(
    emulator: Emulator, make_function: Fixture, make_queue: Fixture, wait_for: Fixture
) -> None:
    fn = make_function(RECORDING)
    dlq = make_queue("denied-dlq")
    name = f"denied-{fn['FunctionName']}"
    role = scheduler_role(emulator, name, name, [fn["FunctionArn"] + "-other"])
    create_schedule(
        emulator,
        name,
        {
            "Arn": fn["FunctionArn"],
            "RoleArn": role,
            "RetryPolicy": {"MaximumRetryAttempts": 0},
            "DeadLetterConfig": {"Arn": dlq["arn"]},
        },
    )

    emulator.post("/_emulator/scheduler/fire", {"name": name})

    message = wait_for(lambda: dead_letters(emulator, dlq["url"]))[0]
    assert attributes(message)["ERROR_CODE"] == "AccessDeniedException"
    assert "lambda:InvokeFunction" in attributes(message)["ERROR_MESSAGE"]


def test_firing_an_unknown_schedule_answers_400(emulator: Emulator) -> None:
    import urllib.error

    try:
        emulator.post("/_emulator/scheduler/fire", {"name": "no-such-schedule"})
    except urllib.error.HTTPError as error:
        assert error.code == 400
        assert "no-such-schedule" in error.read().decode()
    else:
        raise AssertionError("firing an unknown schedule succeeded")


def test_a_one_time_schedule_fires_once_when_due_and_deletes_itself_when_asked(
    emulator: Emulator, make_function: Fixture, observed: Fixture, wait_for: Fixture
) -> None:
    from datetime import datetime, timedelta

    fn = make_function(RECORDING)
    name = f"at-{fn['FunctionName']}"
    role = scheduler_role(emulator, name, name, [fn["FunctionArn"]])
    now = datetime.strptime(emulator.post("/_emulator/scheduler/advance", {"seconds": 0})["Now"], "%Y-%m-%dT%H:%M:%SZ")
    when = (now + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%S")
    arn = create_schedule(
        emulator,
        name,
        {"Arn": fn["FunctionArn"], "RoleArn": role, "Input": '{"once": true}'},
        expression=f"at({when})",
        ActionAfterCompletion="DELETE",
    )

    early = emulator.post("/_emulator/scheduler/advance", {"seconds": 300})
    due = emulator.post("/_emulator/scheduler/advance", {"seconds": 600})

    assert arn not in early["Fired"]
    assert arn in due["Fired"]
    assert wait_for(lambda: observed(fn["FunctionName"])) == [{"once": True}]
    names = [s["Name"] for s in emulator.client("scheduler").list_schedules()["Schedules"]]
    assert name not in names
