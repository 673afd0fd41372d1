"""One example applied to the emulator: copied under a work folder, applied, read, destroyed.

Shared by the integration tier and `make demo`. Failures are recorded rather than raised, so that
several examples can be applied side by side and every one is still destroyed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tooling.paths import REPO
from tooling.terraform.runner import Terraform, TerraformError, terraform_env
from tooling.terraform.stack import copy_stack


@dataclass
class Deployment:
    example: str
    root: Path
    endpoint: str
    source: Path = REPO
    variables: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    apply_error: str | None = None
    destroy_error: str | None = None
    destroyed: bool = False
    resources: int = 0
    tf: Terraform = field(init=False)

    existing_dir: Path | None = None

    def __post_init__(self) -> None:
        directory = self.existing_dir or copy_stack(self.example, self.root, self.endpoint, self.source)
        self.tf = Terraform(
            directory, terraform_env(self.endpoint), log_dir=self.root.parent / "logs", name=self.root.name
        )

    @classmethod
    def existing(cls, example: str, directory: Path, endpoint: str) -> Deployment:
        """A stack applied earlier in `directory` (its copy of examples/<example>)."""
        return cls(example, directory.parent.parent, endpoint, existing_dir=directory)

    @property
    def dir(self) -> Path:
        return self.tf.directory

    @property
    def catalog(self) -> dict[str, Any]:
        """The example's module outputs (every example exposes the module as `catalog`)."""
        catalog: dict[str, Any] = self.outputs["catalog"]
        return catalog

    @property
    def seconds(self) -> dict[str, float]:
        return self.tf.seconds

    def apply(self) -> Deployment:
        try:
            self.tf.init()
            try:
                self.tf.apply(*self.var_args)
            finally:
                self.resources = self.tf.managed_resources()
            self.outputs = self.tf.output()
        except TerraformError as error:
            self.apply_error = str(error)
        return self

    @property
    def var_args(self) -> list[str]:
        return [f"-var={k}={v}" for k, v in sorted(self.variables.items())]

    def destroy(self) -> Deployment:
        if self.destroyed:
            return self
        try:
            self.tf.destroy(*self.var_args)
            self.destroyed = True
        except TerraformError as error:
            self.destroy_error = str(error)
        return self
