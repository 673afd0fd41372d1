"""Every example plans, and its plan matches the inventory of values and counts that matter.

Inventories (tests/plan/inventories/<example>.yaml) list, per resource address, the planned values
we promise and, per resource type, how many are planned. A value missing from an inventory is not
checked; a value listed there must match exactly (dicts are compared on the listed keys, lists
element by element; a policy is listed as `{json: <document>}` and compared whole).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tooling.paths import EXAMPLES, REPO
from tooling.terraform.plan import Plan

PlanFn = Callable[..., Plan]

INVENTORIES = Path(__file__).parent / "inventories"


def assert_subset(expected: Any, actual: Any, path: str) -> None:
    if isinstance(expected, dict) and set(expected) == {"json"} and isinstance(actual, str):
        assert json.loads(actual) == expected["json"], f"{path}: planned {actual}"
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected a map, planned {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key}: not in the plan"
            assert_subset(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: expected {expected!r}, planned {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_subset(e, a, f"{path}[{i}]")
    else:
        assert actual == expected, f"{path}: expected {expected!r}, planned {actual!r}"


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_plan_matches_its_inventory(example: str, plan_dir: PlanFn) -> None:
    inventory = yaml.safe_load((INVENTORIES / f"{example}.yaml").read_text())
    plan = plan_dir(REPO / "examples" / example)
    for address, values in inventory["values"].items():
        assert address in plan.resources, f"{address} is not planned; planned: {sorted(plan.resources)}"
        assert_subset(values, plan.resources[address], address)
    assert plan.counts() == inventory["counts"]


def test_every_example_has_an_inventory_and_a_readme() -> None:
    assert EXAMPLES == ["basic", "complete", "existing-bucket"]
    for example in EXAMPLES:
        assert (INVENTORIES / f"{example}.yaml").exists(), f"no inventory for examples/{example}"
        assert (REPO / "examples" / example / "README.md").exists(), f"no README for examples/{example}"
