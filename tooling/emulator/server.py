"""Start and stop the emulator: `python -m tooling.emulator` in its own process group on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tooling import aws_env
from tooling.paths import BUILD


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Emulator:
    """The emulator's server process on 127.0.0.1, stopped by process group.

    `settings` become environment variables of the server (for example
    INITIAL_NO_AUTH_ACTION_COUNT to make moto authorize requests against IAM policies).
    """

    port: int = field(default_factory=free_port)
    log_path: Path = BUILD / "emulator.log"
    settings: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Emulator:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **aws_env.fake_env(), **self.settings, "EMULATOR_URL": self.url}
        for name in aws_env.UNSAFE:
            env.pop(name, None)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tooling.emulator", "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the emulator exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1):  # noqa: S310 - http://127.0.0.1 only
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the emulator did not answer on {self.url} within {timeout}s; see {self.log_path}")

    def client(self, service: str) -> Any:
        """A boto3 client for this emulator (fake credentials, the fake region), one per service."""
        if service not in self._clients:
            self._clients[service] = aws_env.client(service, self.url)
        return self._clients[service]

    def post(self, path: str, body: dict[str, Any] | None = None, timeout: float = 60) -> Any:
        """POST to one of the emulator's own endpoints (`/moto-api/...` or `/_emulator/...`)."""
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            f"{self.url}{path}",
            data=json.dumps(body or {}).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http://127.0.0.1 only
            text = response.read().decode()
        return json.loads(text) if text.strip().startswith(("{", "[")) else text

    def reset(self) -> None:
        self.post("/moto-api/reset")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
