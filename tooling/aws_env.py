"""The fake AWS account every local run uses: one region, one account, fake credentials.

Nothing here can reach AWS: credentials are fake, the metadata service is disabled and shared
config files are ignored, so a client without an emulator endpoint fails instead of calling out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing"  # noqa: S105 - a fake credential for the emulator

# Every service the module and its examples call. The AWS provider and boto3 read
# AWS_ENDPOINT_URL_<SERVICE> as well as AWS_ENDPOINT_URL.
SERVICES = (
    "s3",
    "glue",
    "iam",
    "sts",
    "lambda",
    "events",
    "scheduler",
    "logs",
    "sqs",
    "sns",
    "kms",
    "athena",
    "cloudwatch",
    "lakeformation",
)


def fake_env() -> dict[str, str]:
    """Environment variables for a process that must only ever talk to the emulator."""
    return {
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,  # AWS CLI v1 and older SDKs read only this one
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


def endpoint_env(endpoint: str) -> dict[str, str]:
    """fake_env() plus every service endpoint at `endpoint`."""
    env = {**fake_env(), "AWS_ENDPOINT_URL": endpoint}
    env.update({f"AWS_ENDPOINT_URL_{s.upper()}": endpoint for s in SERVICES})
    return env


# Variables that would send a client somewhere else; removed wherever fake_env() is applied.
UNSAFE = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL")


def client(service: str, endpoint: str | None = None, **credentials: Any) -> Any:
    """A boto3 client with the fake credentials (or `credentials`) and REGION."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id=credentials.get("aws_access_key_id", ACCESS_KEY_ID),
        aws_secret_access_key=credentials.get("aws_secret_access_key", SECRET_ACCESS_KEY),
        aws_session_token=credentials.get("aws_session_token", "testing" if not credentials else None),
        region_name=REGION,
    )
    make: Any = session.client  # typed per service name by boto3-stubs; any service here
    return make(service, endpoint_url=endpoint)


@dataclass(frozen=True)
class Caller:
    """boto3 clients at `url` signed with one principal's credentials (the administrator's, the
    fake ones, when `credentials` is empty): `Caller(url, creds)("s3").list_buckets()`."""

    url: str
    credentials: dict[str, str] = field(default_factory=dict)

    def __call__(self, service: str) -> Any:
        return client(service, self.url, **self.credentials)
