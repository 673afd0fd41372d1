"""The local Lambda runner on its own (moto's backends in process, no server): results, errors and
timeouts shaped as Lambda shapes them, the log and its tail, and which runtimes run."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import textwrap
import zipfile
from types import SimpleNamespace
from typing import Any

import pytest

from tooling.emulator.awslambda import runner


def function(source: str, *, runtime: str = "", timeout: int = 10, env: dict[str, str] | None = None) -> Any:
    """What runner.invoke reads of a moto LambdaFunction."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", textwrap.dedent(source))
    code = buffer.getvalue()
    return SimpleNamespace(
        function_name="runner-test",
        function_arn="arn:aws:lambda:us-east-1:123456789012:function:runner-test",
        account_id="123456789012",
        region="us-east-1",
        role="arn:aws:iam::123456789012:role/runner-test",
        run_time=runtime or f"python{sys.version_info.major}.{sys.version_info.minor}",
        handler="app.handler",
        timeout=timeout,
        memory_size=128,
        environment_vars=env or {},
        code_bytes=code,
        code_sha_256=base64.b64encode(hashlib.sha256(code).digest()).decode(),
        compat_logging_config=None,
    )


@pytest.fixture(autouse=True)
def emulator_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATOR_URL", "http://127.0.0.1:9")  # never called by these handlers


def test_the_handlers_return_value_is_the_payload() -> None:
    result = runner.invoke(
        function("def handler(event, context):\n    return {'echo': event, 'name': context.function_name}\n"), {"a": 1}
    )

    assert result.function_error is None
    assert json.loads(result.payload) == {"echo": {"a": 1}, "name": "runner-test"}


def test_an_exception_answers_unhandled_with_lambdas_error_shape() -> None:
    result = runner.invoke(
        function("""
        def handler(event, context):
            raise KeyError("crawler")
    """),
        {},
    )

    error = json.loads(result.payload)
    assert result.function_error == "Unhandled"
    assert set(error) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    assert (error["errorType"], error["errorMessage"], error["requestId"]) == (
        "KeyError",
        "'crawler'",
        result.request_id,
    )
    assert isinstance(error["stackTrace"], list) and any("app.py" in line for line in error["stackTrace"])


def test_a_function_past_its_timeout_is_reported_as_lambda_reports_it() -> None:
    result = runner.invoke(
        function(
            """
        import time

        def handler(event, context):
            time.sleep(30)
    """,
            timeout=1,
        ),
        {},
    )

    assert result.function_error == "Unhandled"
    message = json.loads(result.payload)["errorMessage"]
    assert message.endswith(f"{result.request_id} Task timed out after 1.00 seconds")


def test_the_log_has_start_end_and_report_lines_and_its_tail_is_the_log_result() -> None:
    result = runner.invoke(
        function("""
        def handler(event, context):
            for i in range(2000):
                print(f"line {i}")
    """),
        {},
    )

    lines = result.log.splitlines()
    assert lines[0] == f"START RequestId: {result.request_id} Version: $LATEST"
    assert lines[-2] == f"END RequestId: {result.request_id}"
    assert lines[-1].startswith(f"REPORT RequestId: {result.request_id}\tDuration: ")
    tail = base64.b64decode(result.log_result)
    assert len(tail) == runner.LOG_TAIL_BYTES
    assert result.log.encode().endswith(tail)


def test_a_runtime_other_than_python_is_refused() -> None:
    result = runner.invoke(function("def handler(e, c):\n    return 1\n", runtime="nodejs20.x"), {})

    assert result.function_error == "Unhandled"
    assert json.loads(result.payload)["errorType"] == "Runtime.Unsupported"


def test_another_python_minor_version_runs_with_a_warning_in_the_log() -> None:
    other = "python3.9" if sys.version_info[:2] != (3, 9) else "python3.12"

    result = runner.invoke(function("def handler(e, c):\n    return 'ran'\n", runtime=other), {})

    assert json.loads(result.payload) == "ran"
    assert f"the function's runtime is {other}" in result.log


def test_the_function_sees_its_environment_lambdas_variables_and_the_emulator() -> None:
    result = runner.invoke(
        function(
            """
        import os

        def handler(event, context):
            keys = ["STAGE", "AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_LAMBDA_FUNCTION_TIMEOUT"]
            return {k: os.environ.get(k) for k in keys} | {"remaining": context.get_remaining_time_in_millis() > 0}
    """,
            env={"STAGE": "test"},
        ),
        {},
    )

    assert json.loads(result.payload) == {
        "STAGE": "test",
        "AWS_LAMBDA_FUNCTION_NAME": "runner-test",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_LAMBDA_FUNCTION_TIMEOUT": "10",
        "remaining": True,
    }
