"""Session fixtures shared by every tier: the emulator, the Terraform environment, and `require`,
which skips locally but fails in CI when a tool is missing (a skip there would hide a gap)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from tooling.emulator.server import Emulator
from tooling.paths import BUILD
from tooling.terraform import cli_config
from tooling.terraform.runner import terraform_env
from tooling.terraform.runner import terraform_binary

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing tool is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def require() -> Callable[[bool, str], None]:
    return _require


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """One emulator on 127.0.0.1 for the whole session, stopped by process group even when tests fail."""
    server = Emulator(log_path=BUILD / "test-emulator.log").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def tf_env(emulator: Emulator) -> dict[str, str]:
    """Environment for terraform: fails in CI (skips locally) when terraform or the mirror is missing."""
    _require(terraform_binary() is not None, "terraform CLI not found on PATH")
    _require(cli_config.find_mirror() is not None, "hashicorp/aws provider mirror not found")
    return terraform_env(emulator.url)
