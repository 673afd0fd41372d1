"""Plan fixtures: the real terraform CLI and AWS provider plan a directory and return a Plan.

Data sources (caller identity) are answered by the session's emulator on loopback; nothing is
created. Each directory is initialised once per session, with its data dir under .build/plan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tooling.paths import BUILD, REPO
from tooling.terraform.plan import Plan
from tooling.terraform.runner import Terraform

PlanFn = Callable[..., Plan]


@pytest.fixture(scope="session")
def terraform_in(tf_env: dict[str, str]) -> Callable[[Path], Terraform]:
    """terraform_in(directory) -> the session's Terraform for that directory."""
    runners: dict[Path, Terraform] = {}

    def get(directory: Path) -> Terraform:
        if directory not in runners:
            name = directory.relative_to(REPO).as_posix().replace("/", "-") or "root"
            runners[directory] = Terraform(directory, tf_env, data_dir=BUILD / "plan" / name,
                                           log_dir=BUILD / "plan" / "logs", name=name)
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
