"""The one Terraform runner. Every command of the tests, the demo and the inventory tool goes through
`Terraform`: the same environment (local provider mirror, fake credentials, every endpoint at the
emulator), output written to a log file that can be read while the command runs, and timings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tftest

from tooling import aws_env
from tooling.paths import BUILD
from tooling.terraform import cli_config
from tooling.terraform.plan import Plan


class TerraformError(RuntimeError):
    """A terraform command failed; the message ends with the command's output."""


def terraform_binary() -> str | None:
    return shutil.which("terraform")


def terraform_env(endpoint: str | None = None) -> dict[str, str]:
    """Environment for the terraform CLI: local provider mirror, fake credentials, no checkpoint,
    and every AWS endpoint at `endpoint` when given (plans of data sources need one)."""
    return {
        **(aws_env.endpoint_env(endpoint) if endpoint else aws_env.fake_env()),
        "TF_CLI_CONFIG_FILE": str(cli_config.write_config()),
        "CHECKPOINT_DISABLE": "1",
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
    }


@dataclass
class Terraform:
    """Terraform commands in one directory. `env` is added to the current environment."""

    directory: Path
    env: dict[str, str]
    data_dir: Path | None = None
    log_dir: Path = BUILD / "logs"
    name: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    _tftest: tftest.TerraformTest | None = field(default=None, repr=False)
    _var_files: int = 0

    def __post_init__(self) -> None:
        self.name = self.name or self.directory.name

    @property
    def full_env(self) -> dict[str, str]:
        env = {**os.environ, **self.env}
        for name in aws_env.UNSAFE:
            if name not in self.env:
                env.pop(name, None)
        if self.data_dir is not None:
            env["TF_DATA_DIR"] = str(self.data_dir)
        return env

    def run(
        self, *args: str, step: str | None = None, timeout: float = 900, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """`terraform <args> -no-color`; output goes to <log_dir>/<name>-<step>.log and is returned."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_dir / f"{self.name}-{step or args[0]}.log"
        start = time.monotonic()
        with open(log, "w") as out:
            try:
                code = subprocess.run(
                    ["terraform", *args, "-no-color"],
                    cwd=self.directory,
                    env=self.full_env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    timeout=timeout,
                    check=False,
                ).returncode
            except subprocess.TimeoutExpired:
                code = -1
        if step:
            self.seconds[step] = round(time.monotonic() - start, 1)
        result = subprocess.CompletedProcess(list(args), code, log.read_text(), "")
        if check and code != 0:
            reason = f"timed out after {timeout:.0f}s" if code == -1 else f"exited {code}"
            raise TerraformError(f"terraform {args[0]} in {self.directory} {reason}:\n{result.stdout[-6000:]}")
        return result

    def init(self) -> None:
        self.run("init", "-input=false", step="init")

    # Most of an apply against the emulator is the provider waiting for consistent reads; more
    # operations in flight than Terraform's default 10 let the long waits overlap.
    PARALLELISM = "-parallelism=30"

    def apply(self, *extra: str) -> None:
        self.run("apply", "-auto-approve", "-input=false", self.PARALLELISM, *extra, step="apply")

    def destroy(self, *extra: str) -> None:
        self.run("destroy", "-auto-approve", "-input=false", self.PARALLELISM, *extra, step="destroy")

    def output(self) -> dict[str, Any]:
        text = self.run("output", "-json", step="output").stdout
        return {k: v["value"] for k, v in json.loads(text).items()}

    def state(self) -> dict[str, Any]:
        text = self.run("show", "-json", step="show").stdout
        return json.loads(text) if text.strip() else {}

    def managed_resources(self) -> int:
        """How many managed resources the state holds (submodules included)."""

        def count(module: dict[str, Any]) -> int:
            own = sum(1 for r in module.get("resources", []) if r.get("mode") == "managed")
            return own + sum(count(child) for child in module.get("child_modules", []))

        return count(self.state().get("values", {}).get("root_module", {}))

    def plan_exit_code(self, *extra: str) -> subprocess.CompletedProcess[str]:
        """`plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error."""
        return self.run("plan", "-detailed-exitcode", "-input=false", "-lock=false", *extra, step="plan", check=False)

    # Plans that the tests read: through tftest, which parses `terraform show -json`.

    def _tf(self) -> tftest.TerraformTest:
        if self._tftest is None:
            self._tftest = tftest.TerraformTest(str(self.directory), env=self.full_env)
            self._tftest.setup(upgrade=False, cleanup_on_exit=False)
        return self._tftest

    def _var_file(self, variables: dict[str, Any] | None) -> str | None:
        if not variables:
            return None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._var_files += 1
        path = self.log_dir / f"{self.name}-{os.getpid()}-{self._var_files}.tfvars.json"
        path.write_text(json.dumps(variables))
        return str(path)

    def plan(self, variables: dict[str, Any] | None = None) -> Plan:
        return Plan(self._tf().plan(output=True, tf_var_file=self._var_file(variables), lock=False))

    def plan_error(self, variables: dict[str, Any] | None = None) -> str:
        """The error text of a plan that must fail, single-spaced (terraform wraps long lines)."""
        try:
            self._tf().plan(output=False, tf_var_file=self._var_file(variables), lock=False)
        except tftest.TerraformTestError as failure:
            text = " ".join(str(part) for part in failure.args)
            return " ".join(text.replace("│", " ").split())
        raise AssertionError(f"a plan of {self.directory} with {variables} succeeded; it should have failed")
