"""Lambda API behaviour moto 5.2 lacks that the module's resources depend on.

* Invoke. moto runs function code only in Docker (`error running docker` without an engine, and
  `FunctionError: Handled` for every failure). Invoke runs the deployed zip in a child process
  (runner.py) and answers as Lambda does: the payload, `X-Amz-Function-Error: Unhandled` for an
  exception or a timeout, `X-Amz-Log-Result` with `LogType=Tail`; `InvocationType=Event` answers
  202 at once and runs the function in the background (invoke_async.py: retries and the on-failure
  destination).
* SQS event source mappings. moto attaches a mapping to its queue and, inside every SendMessage
  to that queue, receives a batch (raising each message's receive count, so a redrive policy
  moved messages to the dead-letter queue that no function had seen), invokes the function once
  per message with a made-up SentTimestamp, and ignores batch size, batching window, concurrency
  and partial batch responses. The mapping is detached from the queue here, so a send only queues
  the message and wakes poller.py, which delivers batches as Lambda's pollers do. moto reports
  StateTransitionReason "User initiated"; AWS says "USER_INITIATED".
* Event invoke config. moto's PutFunctionEventInvokeConfig appends a config and Get returns the
  first, so a change (here: the trigger's on-failure destination after a rename) never took
  effect and every plan showed it again. Put replaces the config and Update merges into it, as in
  Lambda.
* LoggingConfig. moto drops the LoggingConfig a function is created or updated with and never
  returns it, so every plan wanted to add `logging_config` again. AWS always returns it (LogFormat
  "Text" and the /aws/lambda/<name> group unless told otherwise; log levels only for JSON logs).
"""

from __future__ import annotations

import json
from typing import Any

from moto.awslambda.models import EventInvokeConfig, EventSourceMapping, LambdaBackend, LambdaFunction
from moto.sqs.models import Queue

_original_init = LambdaFunction.__init__
_original_get_configuration = LambdaFunction.get_configuration
_original_update_configuration = LambdaFunction.update_configuration
_original_create_mapping = LambdaBackend.create_event_source_mapping
_original_mapping_configuration = EventSourceMapping.get_configuration
_original_add_message = Queue.add_message


def _logging_config(
    function_name: str, requested: dict[str, Any] | None, current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """AWS's LoggingConfig after a create (current None) or an update with `requested`."""
    config = dict(current or {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{function_name}"})
    config.update({k: v for k, v in (requested or {}).items() if v is not None})
    if config.get("LogFormat") == "JSON":
        config.setdefault("ApplicationLogLevel", "INFO")
        config.setdefault("SystemLogLevel", "INFO")
    else:  # log levels exist only for JSON logs
        config.pop("ApplicationLogLevel", None)
        config.pop("SystemLogLevel", None)
    return config


def logging_config(function: LambdaFunction) -> dict[str, Any]:
    """The function's LoggingConfig as AWS reports it."""
    config = getattr(function, "compat_logging_config", None)
    return dict(config) if config else _logging_config(function.function_name, None)


def _init(self: LambdaFunction, account_id: str, spec: dict[str, Any], region: str, version: str | int = 1) -> None:
    _original_init(self, account_id, spec, region, version)
    self.compat_logging_config = _logging_config(  # type: ignore[attr-defined]
        self.function_name, spec.get("LoggingConfig")
    )


def _get_configuration(self: LambdaFunction, on_create: bool = False) -> dict[str, Any]:
    config: dict[str, Any] = _original_get_configuration(self, on_create)
    config["LoggingConfig"] = logging_config(self)
    return config


def _update_configuration(self: LambdaFunction, config_updates: dict[str, Any]) -> dict[str, Any]:
    if "LoggingConfig" in config_updates:
        self.compat_logging_config = _logging_config(  # type: ignore[attr-defined]
            self.function_name, config_updates["LoggingConfig"], getattr(self, "compat_logging_config", None)
        )
    result: dict[str, Any] = _original_update_configuration(self, config_updates)
    return result


def _invoke(self: LambdaFunction, body: str, request_headers: Any, response_headers: Any) -> str | bytes:
    from tooling.emulator.awslambda import invoke_async, runner

    event = json.loads(body) if body else {}
    if request_headers.get("x-amz-invocation-type", request_headers.get("X-Amz-Invocation-Type")) == "Event":
        invoke_async.submit(self, event)
        return b""
    result = runner.invoke(self, event)
    response_headers["x-amz-executed-version"] = "$LATEST"
    if result.function_error:
        response_headers["x-amz-function-error"] = result.function_error
    response_headers["x-amz-log-result"] = result.log_result  # removed by moto unless LogType=Tail
    return result.payload


def _put_event_invoke_config(self: LambdaBackend, function_name: str, config: dict[str, Any]) -> dict[str, Any]:
    function = self.get_function(function_name)
    event_config = EventInvokeConfig(function.function_arn, function.last_modified, config)
    function.event_invoke_config = [event_config]
    response: dict[str, Any] = event_config.response()
    return response


def _update_event_invoke_config(self: LambdaBackend, function_name: str, config: dict[str, Any]) -> dict[str, Any]:
    current = self.get_function(function_name).event_invoke_config
    merged = {**(current[0].config if current else {}), **config}
    return _put_event_invoke_config(self, function_name, merged)


def _create_mapping(self: LambdaBackend, spec: dict[str, Any]) -> EventSourceMapping:
    from tooling.emulator.awslambda import poller

    mapping: EventSourceMapping = _original_create_mapping(self, spec)
    for queue in sqs_queues(mapping.event_source_arn):
        queue.lambda_event_source_mappings.pop(mapping.function_arn, None)  # no push inside SendMessage
    poller.start()
    return mapping


def sqs_queues(arn: str) -> list[Queue]:
    """The moto queue an SQS ARN names (none for other event sources)."""
    from moto.sqs.models import sqs_backends

    parts = arn.split(":")
    if parts[2] != "sqs":
        return []
    return [q for q in sqs_backends[parts[4]][parts[3]].queues.values() if q.queue_arn == arn]


def _mapping_configuration(self: EventSourceMapping) -> dict[str, Any]:
    config: dict[str, Any] = _original_mapping_configuration(self)
    config["StateTransitionReason"] = "USER_INITIATED"
    return config


def _add_message(self: Queue, message: Any) -> None:
    from tooling.emulator.awslambda import poller

    _original_add_message(self, message)
    poller.wake()


def install() -> None:
    LambdaBackend.put_function_event_invoke_config = _put_event_invoke_config  # type: ignore[method-assign]
    LambdaBackend.update_function_event_invoke_config = _update_event_invoke_config  # type: ignore[method-assign]
    LambdaBackend.create_event_source_mapping = _create_mapping  # type: ignore[method-assign]
    EventSourceMapping.get_configuration = _mapping_configuration  # type: ignore[method-assign]
    Queue.add_message = _add_message  # type: ignore[method-assign]
    LambdaFunction.invoke = _invoke  # type: ignore[method-assign]
    LambdaFunction.__init__ = _init  # type: ignore[method-assign]
    LambdaFunction.get_configuration = _get_configuration  # type: ignore[method-assign]
    LambdaFunction.update_configuration = _update_configuration  # type: ignore[method-assign]
