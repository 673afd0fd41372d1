"""Run a Python Lambda function from its deployed zip, without Docker.

moto runs function code only inside Docker. Without a Docker engine (these machines, many laptops
and CI runners) `Invoke` answered `FunctionError: Handled` and the emulator logged
`error running docker`, so a deployed function never ran by itself locally. Here each invocation
is one child process of the emulator:

- the zip is unpacked once per CodeSha256 and put first on the module search path (Lambda's
  /var/task), the handler imported and called by bootstrap.py with a context object;
- the process gets the function's environment variables, Lambda's own variables, the function
  role's temporary credentials (moto's STS), and every AWS endpoint at the emulator;
- the function's timeout is enforced inside the process (`Task timed out after N.00 seconds`,
  as Lambda reports it) and by a hard kill if the process does not end;
- the result is Lambda's: the handler's JSON, or for an exception `FunctionError: Unhandled` and
  errorMessage/errorType/stackTrace; logs go to the function's log group (START/END/REPORT lines
  included) and their last 4 KB are the `LogResult` when asked;
- only `python3.x` runtimes run: a different minor version than the emulator's Python runs with a
  warning in the log; any other runtime is refused with `Runtime.Unsupported`.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tooling.emulator.awslambda.gaps import logging_config

BOOTSTRAP = Path(__file__).with_name("bootstrap.py")
CODE_CACHE = Path(tempfile.gettempdir()) / f"tooling-lambda-{os.getuid()}"
LOG_TAIL_BYTES = 4096
INIT_ALLOWANCE_SECONDS = 10  # Lambda's own init phase limit, on top of the function's timeout


@dataclass(frozen=True)
class Invocation:
    request_id: str
    payload: bytes
    function_error: str | None  # "Unhandled" when the function raised or timed out
    log: str
    duration_ms: float

    @property
    def log_result(self) -> str:
        """Base64 of the log's last 4 KB, as Invoke's X-Amz-Log-Result carries it."""
        return base64.b64encode(self.log.encode()[-LOG_TAIL_BYTES:]).decode()

    def error(self) -> dict[str, Any] | None:
        return json.loads(self.payload) if self.function_error else None


class UnsupportedRuntime(Exception):
    pass


def endpoint() -> str:
    url = os.environ.get("EMULATOR_URL")
    if not url:
        raise RuntimeError("EMULATOR_URL is not set: the emulator's server sets it for itself")
    return url


def check_runtime(runtime: str) -> str | None:
    """None if the runtime runs here as is, a warning if it runs on another Python minor version;
    UnsupportedRuntime if it cannot run here at all."""
    if not runtime.startswith("python3."):
        raise UnsupportedRuntime(
            f"the local emulator runs Python functions only; {runtime!r} needs the real Lambda service or Docker"
        )
    here = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if runtime != here:
        return f"WARNING emulator: the function's runtime is {runtime}; this machine runs it on {here}"
    return None


def code_dir(function: Any) -> Path:
    """The function's zip, unpacked once per CodeSha256."""
    digest = base64.b64decode(function.code_sha_256).hex() if function.code_sha_256 else uuid.uuid4().hex
    root = CODE_CACHE / digest
    if not root.is_dir():
        CODE_CACHE.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="unpack-", dir=CODE_CACHE))
        with zipfile.ZipFile(io.BytesIO(function.code_bytes)) as archive:
            archive.extractall(staging)
        try:
            staging.rename(root)
        except OSError:  # another invocation unpacked it first
            shutil.rmtree(staging, ignore_errors=True)
    return root


def role_credentials(function: Any) -> dict[str, str]:
    """Temporary credentials of the function's role, as Lambda gives its execution environment."""
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    backend = sts_backends[function.account_id][get_partition(function.region)]
    role = backend.assume_role(
        region_name=function.region,
        role_session_name=function.function_name,
        role_arn=function.role,
        policy=None,  # type: ignore[arg-type]
        duration=3600,
        external_id=None,  # type: ignore[arg-type]
    )
    return {
        "AWS_ACCESS_KEY_ID": role.access_key_id,
        "AWS_SECRET_ACCESS_KEY": role.secret_access_key,
        "AWS_SESSION_TOKEN": role.session_token,
    }


def function_env(function: Any, request_id: str, result_file: Path, task: Path) -> dict[str, str]:
    logging = logging_config(function)
    url = endpoint()
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        **{k: str(v) for k, v in (function.environment_vars or {}).items()},
        "_HANDLER": function.handler,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.run_time}",
        "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
        "AWS_LAMBDA_FUNCTION_TIMEOUT": str(function.timeout),
        "AWS_LAMBDA_LOG_GROUP_NAME": logging["LogGroup"],
        "AWS_LAMBDA_LOG_FORMAT": logging.get("LogFormat", "Text"),
        "AWS_LAMBDA_LOG_LEVEL": logging.get("ApplicationLogLevel", "INFO"),
        "AWS_REGION": function.region,
        "AWS_DEFAULT_REGION": function.region,
        "AWS_ENDPOINT_URL": url,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        **role_credentials(function),
        "PYTHONPATH": str(task),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LAMBDA_RESULT_FILE": str(result_file),
        "LAMBDA_REQUEST_ID": request_id,
        "LAMBDA_FUNCTION_ARN": function.function_arn,
    }


def invoke(function: Any, event: Any) -> Invocation:
    """Run the function once with `event`; never raises for the function's own failures."""
    request_id = str(uuid.uuid4())
    started = time.monotonic()
    try:
        warning = check_runtime(function.run_time)
    except UnsupportedRuntime as refused:
        payload = {"errorMessage": str(refused), "errorType": "Runtime.Unsupported"}
        return _finish(function, request_id, json.dumps(payload).encode(), "Unhandled", str(refused), started)
    task = code_dir(function)
    with tempfile.TemporaryDirectory(prefix="invoke-") as scratch:
        result_file = Path(scratch) / "result.json"
        # Copied into an empty folder: the script's own folder, first on the import path, holds
        # nothing the function could import by accident.
        bootstrap = shutil.copy2(BOOTSTRAP, Path(scratch) / "bootstrap.py")
        env = function_env(function, request_id, result_file, task)
        try:
            proc = subprocess.run(
                [sys.executable, str(bootstrap)],
                input=json.dumps(event),
                capture_output=True,
                text=True,
                env=env,
                cwd=task,
                timeout=float(function.timeout) + INIT_ALLOWANCE_SECONDS,
                check=False,
            )
            output = proc.stdout + proc.stderr
            result = json.loads(result_file.read_text()) if result_file.exists() else None
        except subprocess.TimeoutExpired as expired:
            output = (expired.stdout or "") + (expired.stderr or "") if isinstance(expired.stdout, str) else ""
            result = None
    log = "\n".join(line for line in (warning, output.rstrip("\n")) if line)
    if result is None:
        message = (
            f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S.%fZ} {request_id} "
            f"Task timed out after {float(function.timeout):.2f} seconds"
        )
        return _finish(
            function,
            request_id,
            json.dumps({"errorMessage": message}).encode(),
            "Unhandled",
            f"{log}\n{message}".strip(),
            started,
        )
    return _finish(
        function, request_id, result["payload"].encode(), None if result["ok"] else "Unhandled", log, started
    )


def _finish(function: Any, request_id: str, payload: bytes, error: str | None, log: str, started: float) -> Invocation:
    duration = (time.monotonic() - started) * 1000
    lines = [
        f"START RequestId: {request_id} Version: $LATEST",
        *([log] if log else []),
        f"END RequestId: {request_id}",
        (
            f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\tBilled Duration: {int(duration) + 1} ms\t"
            f"Memory Size: {function.memory_size} MB"
        ),
    ]
    text = "\n".join(lines) + "\n"
    _write_logs(function, request_id, text)
    return Invocation(request_id, payload, error, text, duration)


def _write_logs(function: Any, request_id: str, text: str) -> None:
    from moto.logs.models import logs_backends

    backend = logs_backends[function.account_id][function.region]
    group = logging_config(function)["LogGroup"]
    backend.ensure_log_group(group)
    stream = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{request_id.replace('-', '')}"
    backend.create_log_stream(group, stream)
    now = int(time.time() * 1000)
    backend.put_log_events(group, stream, [{"timestamp": now, "message": line} for line in text.splitlines()])
