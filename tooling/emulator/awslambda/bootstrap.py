"""The runtime side of a local Lambda invocation: one process, one event, standard library only.

Run by runner.py as `python bootstrap.py` with the function's code folder first on the module
search path (Lambda's /var/task), the function's environment, the event on stdin, and
LAMBDA_RESULT_FILE naming where the result goes. Logs go to stdout/stderr, as in Lambda; with
AWS_LAMBDA_LOG_FORMAT=JSON they are JSON lines shaped like the Lambda runtime's.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import signal
import sys
import time
import traceback
from typing import Any


class Context:
    """The parts of Lambda's context object handlers use."""

    def __init__(self, deadline: float) -> None:
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = os.environ["LAMBDA_FUNCTION_ARN"]
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.aws_request_id = os.environ["LAMBDA_REQUEST_ID"]
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class JsonFormatter(logging.Formatter):
    """Lambda's JSON log line: timestamp, level, message, logger, requestId, and `extra` fields."""

    _standard = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": os.environ.get("LAMBDA_REQUEST_ID", ""),
        }
        line.update({k: v for k, v in record.__dict__.items() if k not in self._standard})
        if record.exc_info:
            line["errorType"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
            line["stackTrace"] = traceback.format_exception(*record.exc_info)
        return json.dumps(line, default=str)


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stdout)
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT") == "JSON":
        handler.setFormatter(JsonFormatter())
        level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO")
    else:
        handler.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s\t%(message)s"))
        level = "INFO"
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel({"TRACE": "DEBUG", "FATAL": "CRITICAL", "WARN": "WARNING"}.get(level, level))


class TimedOut(BaseException):
    """The function ran past its timeout (a BaseException, so handlers cannot swallow it)."""


def _timed_out(signum: int, frame: object) -> None:
    raise TimedOut()


def main() -> int:
    timeout = float(os.environ.get("AWS_LAMBDA_FUNCTION_TIMEOUT", "3"))
    result_file = os.environ["LAMBDA_RESULT_FILE"]
    event = json.loads(sys.stdin.read() or "{}")
    configure_logging()
    try:
        module_name, function_name = os.environ["_HANDLER"].rsplit(".", 1)
        handler = getattr(importlib.import_module(module_name), function_name)
        deadline = time.monotonic() + timeout  # the timeout counts from the handler's call, as in Lambda
        signal.signal(signal.SIGALRM, _timed_out)
        signal.setitimer(signal.ITIMER_REAL, max(0.001, deadline - time.monotonic()))
        try:
            result = handler(event, Context(deadline))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        payload, ok = json.dumps(result), True
    except TimedOut:
        return 0  # no result file: the runner reports "Task timed out after N seconds"
    except Exception as error:
        stack = traceback.format_exception(type(error), error, error.__traceback__)
        payload, ok = (
            json.dumps(
                {
                    "errorMessage": str(error),
                    "errorType": type(error).__name__,
                    "requestId": os.environ.get("LAMBDA_REQUEST_ID", ""),
                    "stackTrace": [line for line in stack[1:] if line.strip()],
                }
            ),
            False,
        )
        print(f"[ERROR] {type(error).__name__}: {error}\n{''.join(stack)}", file=sys.stderr, flush=True)
    with open(result_file, "w") as out:
        json.dump({"ok": ok, "payload": payload}, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
