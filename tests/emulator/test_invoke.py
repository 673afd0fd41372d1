"""Invoke over the wire: the payload, X-Amz-Function-Error and X-Amz-Log-Result as Lambda sends them."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from tooling.emulator.server import Emulator

Fixture = Callable[..., Any]


def test_a_synchronous_invoke_answers_the_handlers_result_and_the_log_tail(
    emulator: Emulator, make_function: Fixture
) -> None:
    fn = make_function("""
def handler(event, context):
    print("hello from the handler")
    return {"doubled": event["n"] * 2}
""")

    answer = emulator.client("lambda").invoke(FunctionName=fn["FunctionName"], Payload=b'{"n": 21}', LogType="Tail")

    assert answer["StatusCode"] == 200
    assert "FunctionError" not in answer
    assert json.loads(answer["Payload"].read()) == {"doubled": 42}
    log = base64.b64decode(answer["LogResult"]).decode()
    assert "hello from the handler" in log and "REPORT RequestId:" in log


def test_an_exception_answers_function_error_unhandled(emulator: Emulator, make_function: Fixture) -> None:
    fn = make_function("""
def handler(event, context):
    raise RuntimeError("no crawler")
""")

    answer = emulator.client("lambda").invoke(FunctionName=fn["FunctionName"], Payload=b"{}")

    assert answer["FunctionError"] == "Unhandled"
    error = json.loads(answer["Payload"].read())
    assert (error["errorType"], error["errorMessage"]) == ("RuntimeError", "no crawler")
