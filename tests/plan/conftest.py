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


@pytest.fixture(scope="session")
def terraform_dirs(tf_env: dict[str, str]) -> dict[Path, tftest.TerraformTest]:
    return {}


def _runner(directory: Path, tf_env: dict[str, str], cache: dict[Path, tftest.TerraformTest]) -> tftest.TerraformTest:
    """One initialised terraform per directory. Its data dir lives outside the repository and
    nothing in the directory is cleaned up, so a plan never touches another run's state."""
    if directory not in cache:
        data_dir = harness.REPO / ".build" / "plan" / (directory.relative_to(harness.REPO).as_posix().replace("/", "-") or "root")
        tf = tftest.TerraformTest(str(directory), env={**tf_env, "TF_DATA_DIR": str(data_dir)})
        tf.setup(upgrade=False, cleanup_on_exit=False)
        cache[directory] = tf
    return cache[directory]


@pytest.fixture(scope="session")
def plan_dir(tf_env: dict[str, str], terraform_dirs: dict[Path, tftest.TerraformTest],
             tmp_path_factory: pytest.TempPathFactory) -> PlanFn:
    """plan_dir(path, **variables) -> Plan. Variables are written to a .tfvars.json file."""
    var_dir = tmp_path_factory.mktemp("tfvars")

    def run(directory: Path, **variables: Any) -> Plan:
        tf = _runner(directory, tf_env, terraform_dirs)
        var_file = var_dir / f"{len(list(var_dir.iterdir()))}.tfvars.json"
        var_file.write_text(json.dumps(variables))
        return Plan(tf.plan(output=True, tf_var_file=str(var_file), lock=False))

    return run


@pytest.fixture(scope="session")
def plan_module(plan_dir: PlanFn) -> PlanFn:
    """Plan the root module itself with the given inputs (name defaults to "catalog")."""

    def run(**variables: Any) -> Plan:
        variables.setdefault("name", "catalog")
        return plan_dir(REPO, **variables)

    return run


@pytest.fixture(scope="session")
def plan_error(tf_env: dict[str, str], terraform_dirs: dict[Path, tftest.TerraformTest],
               tmp_path_factory: pytest.TempPathFactory) -> Callable[..., str]:
    """plan_error(**variables) -> the error text of a plan of the root module that must fail."""
    var_dir = tmp_path_factory.mktemp("tfvars-bad")

    def run(**variables: Any) -> str:
        variables.setdefault("name", "catalog")
        tf = _runner(REPO, tf_env, terraform_dirs)
        var_file = var_dir / f"{len(list(var_dir.iterdir()))}.tfvars.json"
        var_file.write_text(json.dumps(variables))
        with pytest.raises(tftest.TerraformTestError) as failure:
            tf.plan(output=False, tf_var_file=str(var_file), lock=False)
        # terraform wraps long messages: compare on single-spaced text.
        text = " ".join(str(part) for part in failure.value.args)
        return " ".join(text.replace("│", " ").split())

    return run
