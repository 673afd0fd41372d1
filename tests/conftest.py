"""Session fixtures shared by every tier: the emulator, the Terraform environment, plans of a
directory (the plan and docs tiers), and `require`, which skips locally but fails in CI when a tool
is missing (a skip there would hide a gap).

Plans use the real terraform CLI and AWS provider; data sources (caller identity) are answered by
the session's emulator on loopback and nothing is created. Each directory is initialised once per
session, with its data dir under .build/plan.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tooling.emulator.server import Emulator
from tooling.paths import BUILD, REPO
from tooling.terraform import cli_config
from tooling.terraform.plan import Plan
from tooling.terraform.runner import Terraform, terraform_binary, terraform_env

PlanFn = Callable[..., Plan]

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
    # Crawls stay RUNNING 3 s (long enough to see a second trigger answered already_running), and
    # failed asynchronous invocations are retried after 0.5 s rather than Lambda's minutes.
    server = Emulator(
        log_path=BUILD / "test-emulator.log",
        settings={"EMULATOR_CRAWL_SECONDS": "3", "EMULATOR_ASYNC_RETRY_SECONDS": "0.5"},
    ).start()
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


@pytest.fixture(scope="session")
def terraform_in(tf_env: dict[str, str]) -> Callable[[Path], Terraform]:
    """terraform_in(directory) -> the session's Terraform for that directory."""
    runners: dict[Path, Terraform] = {}

    def get(directory: Path) -> Terraform:
        if directory not in runners:
            name = directory.relative_to(REPO).as_posix().replace("/", "-") or "root"
            runners[directory] = Terraform(
                directory, tf_env, data_dir=BUILD / "plan" / name, log_dir=BUILD / "plan" / "logs", name=name
            )
        return runners[directory]

    return get


@pytest.fixture(scope="session")
def plan_dir(terraform_in: Callable[[Path], Terraform]) -> PlanFn:
    """plan_dir(path, **variables) -> Plan."""

    def run(directory: Path, **variables: Any) -> Plan:
        return terraform_in(directory).plan(variables)

    return run


@pytest.fixture(scope="session")
def plan_module(plan_dir: PlanFn) -> PlanFn:
    """Plan the root module itself with the given inputs (name defaults to "catalog")."""

    def run(**variables: Any) -> Plan:
        variables.setdefault("name", "catalog")
        return plan_dir(REPO, **variables)

    return run


@pytest.fixture(scope="session")
def plan_error(terraform_in: Callable[[Path], Terraform]) -> Callable[..., str]:
    """plan_error(**variables) -> the error text of a plan of the root module that must fail."""

    def run(**variables: Any) -> str:
        variables.setdefault("name", "catalog")
        return terraform_in(REPO).plan_error(variables)

    return run
