"""Plan support shared by the plan tier and its inventory tool: a parsed plan and its helpers."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import tftest

import harness

REPO = harness.REPO
EXAMPLES = harness.EXAMPLES


class Plan:
    """A parsed plan: resources by address (module paths included) and their counts by type."""

    def __init__(self, raw: tftest.TerraformPlanOutput) -> None:
        self.raw = raw
        self.resources: dict[str, dict[str, Any]] = {}
        self.types: dict[str, str] = {}
        self._walk(raw["planned_values"]["root_module"])
        self.outputs = {k: v.get("value") for k, v in raw["planned_values"].get("outputs", {}).items()}

    def _walk(self, module: dict[str, Any]) -> None:
        for res in module.get("resources", []):
            if res["mode"] == "managed":
                self.resources[res["address"]] = res.get("values", {})
                self.types[res["address"]] = res["type"]
        for child in module.get("child_modules", []):
            self._walk(child)

    def counts(self) -> dict[str, int]:
        types = Counter(self.types.values())
        return {"resources": len(self.resources), **dict(sorted(types.items()))}

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {a: v for a, v in self.resources.items() if self.types[a] == resource_type}

    def one(self, resource_type: str) -> dict[str, Any]:
        found = self.of_type(resource_type)
        assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
        return next(iter(found.values()))

    def policy(self, address_suffix: str) -> dict[str, Any]:
        """The parsed JSON policy of the IAM role policy whose address ends with address_suffix."""
        matches = [v for a, v in self.resources.items() if a.endswith(address_suffix)]
        assert len(matches) == 1, f"no single resource ending with {address_suffix}"
        return json.loads(matches[0]["policy"])


PlanFn = Callable[..., Plan]
