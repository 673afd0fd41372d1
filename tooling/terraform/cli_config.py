"""Write a Terraform CLI configuration that installs hashicorp/aws only from a local mirror.

The machine has no Terraform registry, so `terraform init` must find the provider on disk. This
script locates the filesystem mirror (a folder laid out as registry.terraform.io/hashicorp/aws/...),
writes `.build/terraformrc` with a `filesystem_mirror` block, `direct` excluded and the checkpoint
call disabled, and prints the file's path. Point TF_CLI_CONFIG_FILE at it.

Usage: python -m tooling.terraform.cli_config [--mirror DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from pathlib import Path

from tooling.paths import BUILD

DEFAULT = BUILD / "terraformrc"
PROVIDER_GLOB = "registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_*"
SEARCH_ROOTS = (
    "/opt/tf-plugins",
    "/usr/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    os.path.expanduser("~/.terraform.d/plugins"),
    os.path.expanduser("~/.local/share/terraform/plugins"),
)


def find_mirror(explicit: str | None = None) -> Path | None:
    """Return the mirror folder that holds a hashicorp/aws provider binary, or None."""
    candidates = [explicit] if explicit else [os.environ.get("TF_PROVIDER_MIRROR", ""), *SEARCH_ROOTS]
    for root in filter(None, candidates):
        if glob.glob(os.path.join(root, PROVIDER_GLOB)):
            return Path(root)
    return None


def render(mirror: Path) -> str:
    return f"""provider_installation {{
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }}
  direct {{
    exclude = ["registry.terraform.io/*/*"]
  }}
}}
disable_checkpoint = true
"""


def write_config(out: Path = DEFAULT, mirror: str | None = None) -> Path:
    found = find_mirror(mirror)
    if found is None:
        raise SystemExit(
            "No hashicorp/aws provider mirror found (looked in TF_PROVIDER_MIRROR and "
            + ", ".join(SEARCH_ROOTS)
            + "). Set TF_PROVIDER_MIRROR to a folder holding "
            + PROVIDER_GLOB
            + "."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    text = render(found)
    if not out.exists() or out.read_text() != text:
        out.write_text(text)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", help="mirror folder (default: search the usual places)")
    parser.add_argument("--out", default=str(DEFAULT))
    args = parser.parse_args(argv)
    print(write_config(Path(args.out), args.mirror))
    return 0


if __name__ == "__main__":
    sys.exit(main())
