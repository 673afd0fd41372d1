"""The module and one example (and the sample data) copied under .build, with a provider override
for the emulator.

Runs against the emulator never write to the working tree: the module (root *.tf, modules/, dist/)
and examples/<example> are copied to a work folder and an `emulator_override.tf` points the
example's provider at the emulator. The plan tier plans the repository's examples in place, so it
never sees an override.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tooling import aws_env
from tooling.paths import REPO

MODULE_ITEMS = ("modules", "dist")
OVERRIDE = "emulator_override.tf"


def provider_override(endpoint: str) -> str:
    """An override for an example's provider block: every endpoint at the emulator.

    moto's Athena cannot list the tags of an untagged workgroup (ListTagsForResource answers "Does
    Not Exist"), so the emulator's provider adds a default tag; real AWS needs no such thing.
    """
    endpoints = "\n".join(f'    {s:13} = "{endpoint}"' for s in aws_env.SERVICES)
    return f"""# Generated for a run against the local emulator; never committed.
provider "aws" {{
  region                      = "{aws_env.REGION}"
  access_key                  = "{aws_env.ACCESS_KEY_ID}"
  secret_key                  = "{aws_env.SECRET_ACCESS_KEY}"
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


def copy_module(root: Path, source: Path = REPO) -> None:
    """The module (root *.tf, modules/, dist/) from `source` into `root`, which is emptied first."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for tf in source.glob("*.tf"):
        shutil.copy2(tf, root / tf.name)
    for item in MODULE_ITEMS:
        if (source / item).is_dir():
            shutil.copytree(source / item, root / item, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))


def copy_stack(example: str, root: Path, endpoint: str, source: Path = REPO) -> Path:
    """Copy the module and examples/<example> from `source` under root; return the example's folder there."""
    copy_module(root, source)
    target = root / "examples" / example
    target.mkdir(parents=True)
    for tf in (source / "examples" / example).glob("*.tf"):
        if not tf.name.endswith("_override.tf"):
            shutil.copy2(tf, target / tf.name)
    (target / OVERRIDE).write_text(provider_override(endpoint))
    # The sample data beside it, so the README's relative commands (../sample-data/) work here too.
    for data in (source / "examples").glob("sample-data*"):
        shutil.copytree(data, root / "examples" / data.name, dirs_exist_ok=True)
    return target


def export_revision(revision: str, destination: Path) -> Path:
    """The repository as it was at `revision` (a commit), exported with `git archive` into
    `destination`; for upgrade tests that apply an earlier layout."""
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", revision], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(destination)], input=archive, check=True)
    return destination


def upgrade_stack(root: Path, example: str, source: Path = REPO) -> None:
    """Replace the module and examples/<example> under `root` with `source`'s, keeping the provider
    override, the Terraform data dir and the state: what a user does to upgrade the module."""
    for tf in root.glob("*.tf"):
        tf.unlink()
    for item in MODULE_ITEMS:
        shutil.rmtree(root / item, ignore_errors=True)
    for tf in source.glob("*.tf"):
        shutil.copy2(tf, root / tf.name)
    for item in MODULE_ITEMS:
        shutil.copytree(source / item, root / item, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    target = root / "examples" / example
    for tf in target.glob("*.tf"):
        if tf.name != OVERRIDE:
            tf.unlink()
    for tf in (source / "examples" / example).glob("*.tf"):
        shutil.copy2(tf, target / tf.name)
