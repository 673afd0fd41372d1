"""Plan fixtures: run the real terraform CLI and AWS provider and return the planned resources.

Data sources (caller identity) are answered by the session's moto server on loopback; nothing is
created. Each directory is initialised once per session.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tftest

import harness
from planning import REPO, Plan, PlanFn


class Planner:
    """Plans a directory with variables passed in a .tfvars.json file. Each directory is initialised
    once; its data dir lives under .build/plan and nothing in the directory is cleaned up, so a plan
    never touches another run's state."""

    def __init__(self, env: dict[str, str], var_dir: Path) -> None:
        self.env, self.var_dir = env, var_dir
        self._terraform: dict[Path, tftest.TerraformTest] = {}

    def plan(self, directory: Path, variables: dict[str, Any], output: bool) -> Any:
        if directory not in self._terraform:
            name = directory.relative_to(harness.REPO).as_posix().replace("/", "-") or "root"
            tf = tftest.TerraformTest(str(directory), env={**self.env, "TF_DATA_DIR": str(harness.REPO / ".build" / "plan" / name)})
            tf.setup(upgrade=False, cleanup_on_exit=False)
            self._terraform[directory] = tf
        var_file = self.var_dir / f"{len(list(self.var_dir.iterdir()))}.tfvars.json"
        var_file.write_text(json.dumps(variables))
        return self._terraform[directory].plan(output=output, tf_var_file=str(var_file), lock=False)


@pytest.fixture(scope="session")
def planner(tf_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Planner:
    return Planner(tf_env, tmp_path_factory.mktemp("tfvars"))


@pytest.fixture(scope="session")
def plan_dir(planner: Planner) -> PlanFn:
    """plan_dir(path, **variables) -> Plan."""

    def run(directory: Path, **variables: Any) -> Plan:
        return Plan(planner.plan(directory, variables, output=True))

    return run


@pytest.fixture(scope="session")
def plan_module(plan_dir: PlanFn) -> PlanFn:
    """Plan the root module itself with the given inputs (name defaults to "catalog")."""

    def run(**variables: Any) -> Plan:
        variables.setdefault("name", "catalog")
        return plan_dir(REPO, **variables)

    return run


@pytest.fixture(scope="session")
def plan_error(planner: Planner) -> Callable[..., str]:
    """plan_error(**variables) -> the error text of a plan of the root module that must fail."""

    def run(**variables: Any) -> str:
        variables.setdefault("name", "catalog")
        with pytest.raises(tftest.TerraformTestError) as failure:
            planner.plan(REPO, variables, output=False)
        # terraform wraps long messages: compare on single-spaced text.
        text = " ".join(str(part) for part in failure.value.args)
        return " ".join(text.replace("│", " ").split())

    return run
