"""terraform fmt and validate on the root module, the submodule and every example."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tooling.paths import EXAMPLES, REPO

DIRS = [
    REPO,
    *sorted(p for p in (REPO / "modules").iterdir() if p.is_dir()),
    *(REPO / "examples" / e for e in EXAMPLES),
]


def terraform(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["terraform", *args], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )


def test_terraform_fmt_is_clean(tf_env: dict[str, str]) -> None:
    result = terraform(["fmt", "-check", "-recursive", "-diff"], REPO, tf_env)
    assert result.returncode == 0, f"terraform fmt would change:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("directory", DIRS, ids=lambda d: str(d.relative_to(REPO)) or "root")
def test_terraform_validate(directory: Path, tf_env: dict[str, str], tmp_path: Path) -> None:
    env = {**tf_env, "TF_DATA_DIR": str(tmp_path / ".terraform")}
    init = terraform(["init", "-backend=false", "-input=false", "-no-color"], directory, env)
    assert init.returncode == 0, init.stderr
    result = terraform(["validate", "-no-color"], directory, env)
    assert result.returncode == 0, result.stdout + result.stderr
