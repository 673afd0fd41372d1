"""Shared test plumbing: the Terraform CLI environment and a moto server on loopback.

Everything here talks only to 127.0.0.1. Terraform gets fake credentials, every AWS endpoint pointed
at the emulator, the metadata service disabled and the checkpoint call turned off.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import tf_cli_config  # noqa: E402

REGION = "us-east-1"
# Every runnable example: a folder of examples/ with a main.tf (sample-data is not one).
EXAMPLES = sorted(p.name for p in (REPO / "examples").iterdir() if (p / "main.tf").exists())
ACCOUNT_ID = "123456789012"  # moto's default account
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# moto 5.2.5 lacks a few behaviours the module's resources depend on; this launcher patches them in
# and then runs moto's own server (each gap is listed in tests/integration/README.md).
MOTO_LAUNCHER = REPO / "tests" / "integration" / "moto_compat.py"

# Every service the module and its examples call. Terraform's AWS provider reads these endpoint
# variables (AWS_ENDPOINT_URL_<SERVICE>) as well as the provider block.
SERVICES = ("s3", "glue", "iam", "sts", "lambda", "events", "scheduler", "logs", "sqs", "sns", "kms",
            "athena", "cloudwatch")


def require(condition: bool, reason: str) -> None:
    """Skip locally when a tool is missing, but fail in CI, where a skip would hide a gap."""
    if condition:
        return
    import pytest

    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing tool is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def terraform_binary() -> str | None:
    return shutil.which("terraform")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class MotoServer:
    """A moto server process on 127.0.0.1, stopped by PID."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = REPO / ".build" / "moto-server.log"
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> "MotoServer":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        launcher = [str(MOTO_LAUNCHER)] if MOTO_LAUNCHER.exists() else ["-m", "moto.server"]
        self.process = subprocess.Popen(
            [sys.executable, *launcher, "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **fake_aws_env()},
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"moto server did not answer on {self.url} within {timeout}s")

    def client(self, service: str) -> Any:
        """A boto3 client for this emulator (fake credentials, REGION), one per service."""
        if service not in self._clients:
            import boto3

            session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                            aws_session_token="testing", region_name=REGION)
            self._clients[service] = session.client(service, endpoint_url=self.url)
        return self._clients[service]

    def reset(self) -> None:
        req = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(req, timeout=10):
            pass

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def fake_aws_env() -> dict[str, str]:
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


def terraform_env(endpoint: str) -> dict[str, str]:
    """Environment for the terraform CLI: local provider mirror, fake credentials, loopback endpoints."""
    env = {
        **fake_aws_env(),
        "TF_CLI_CONFIG_FILE": str(tf_cli_config.write_config()),
        "CHECKPOINT_DISABLE": "1",
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "AWS_ENDPOINT_URL": endpoint,
    }
    env.update({f"AWS_ENDPOINT_URL_{s.upper()}": endpoint for s in SERVICES})
    return env


def provider_override(endpoint: str) -> str:
    """An override file for an example's provider block: every endpoint at the emulator.

    moto's Athena cannot list the tags of an untagged workgroup (ListTagsForResource answers "Does
    Not Exist"), so the emulator's provider adds a default tag; real AWS needs no such thing.
    """
    endpoints = "\n".join(f'    {s:10} = "{endpoint}"' for s in SERVICES)
    return f"""# Generated for a run against the local emulator; never committed.
provider "aws" {{
  region                      = "{REGION}"
  access_key                  = "testing"
  secret_key                  = "testing"
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = false

  endpoints {{
{endpoints}
  }}

  default_tags {{
    tags = {{ emulator = "moto" }}
  }}
}}
"""
