"""Every example plans, and its plan matches the inventory of values and counts that matter.

The `plan` section of each example's spec (tests/examples/<example>.yaml, tooling/specs.py) lists,
per resource address, the planned values we promise and, per resource type, how many are planned. A value missing from an inventory is not
checked; a value listed there must match exactly (dicts are compared on the listed keys, lists
element by element; a policy is listed as `{json: <document>}` and compared whole).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tooling import specs
from tooling.paths import EXAMPLES, REPO
from tooling.terraform.plan import Plan

PlanFn = Callable[..., Plan]


def assert_subset(expected: Any, actual: Any, path: str) -> None:
    if isinstance(expected, dict) and set(expected) == {"json"} and isinstance(actual, str):
        assert json.loads(actual) == expected["json"], f"{path}: planned {actual}"
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected a map, planned {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key}: not in the plan"
            assert_subset(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (
            f"{path}: expected {expected!r}, planned {actual!r}"
        )
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_subset(e, a, f"{path}[{i}]")
    else:
        assert actual == expected, f"{path}: expected {expected!r}, planned {actual!r}"


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_plan_matches_its_inventory(example: str, plan_dir: PlanFn) -> None:
    inventory = specs.load(example)["plan"]
    plan = plan_dir(REPO / "examples" / example)
    for address, values in inventory["values"].items():
        assert address in plan.resources, f"{address} is not planned; planned: {sorted(plan.resources)}"
        assert_subset(values, plan.resources[address], address)
    assert plan.counts() == inventory["counts"]


def test_every_example_has_a_spec_and_a_readme_and_every_spec_an_example() -> None:
    assert EXAMPLES, "no example found"
    for example in EXAMPLES:
        spec = specs.load(example)
        assert {"plan", "deployed"} <= set(spec), f"tests/examples/{example}.yaml lacks a section: {sorted(spec)}"
        assert (REPO / "examples" / example / "README.md").exists(), f"no README for examples/{example}"
    assert sorted(p.stem for p in specs.SPECS.glob("*.yaml")) == EXAMPLES, "a spec without an example"
