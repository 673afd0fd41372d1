"""What each example promises, one file per example: tests/examples/<example>.yaml.

Each file has one section per tier that reads it:
- `plan`: the planned values that matter and the resource counts (the plan tier compares them with
  a real plan; `python -m tooling.terraform.inventory examples/<name> --write` refreshes them);
- `deployed`: what the integration tier checks on the emulator after apply (encryption, targets,
  schedule, retention, cutoff, ...);
- `catalog` and `query`: the tables, columns, partitions and locations a crawl of the sample data
  must produce, and one query with its exact rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tooling.paths import REPO

SPECS = REPO / "tests" / "examples"
HEADER = "# What examples/{example} promises; read by the plan and integration tiers (tooling/specs.py).\n"


def path(example: str) -> Path:
    return SPECS / f"{example}.yaml"


def load(example: str) -> dict[str, Any]:
    file = path(example)
    if not file.is_file():
        raise FileNotFoundError(f"examples/{example} has no spec: write {file.relative_to(REPO)}")
    spec: dict[str, Any] = yaml.safe_load(file.read_text())
    return spec


def write_section(example: str, section: str, value: Any) -> None:
    """Replace one section of the example's spec, keeping the others."""
    spec = load(example) if path(example).is_file() else {}
    spec[section] = value
    path(example).write_text(HEADER.format(example=example) + yaml.safe_dump(spec, sort_keys=False, width=110))
