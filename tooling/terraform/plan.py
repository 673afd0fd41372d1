"""A parsed plan: resources by address (module paths included), counts by type, outputs."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any


class Plan:
    def __init__(self, raw: Any) -> None:
        """`raw`: tftest's TerraformPlanOutput or the JSON of `terraform show -json <plan>`."""
        self.raw = raw
        self.resources: dict[str, dict[str, Any]] = {}
        self.types: dict[str, str] = {}
        self._walk(raw["planned_values"]["root_module"])
        self.outputs = {k: v.get("value") for k, v in raw["planned_values"].get("outputs", {}).items()}
        # `raw` may be tftest's wrapper, which supports only [] and `in`.
        changes = raw["resource_changes"] if "resource_changes" in raw else []  # noqa: SIM401 - no .get() on tftest's wrapper
        self.changes: dict[str, list[str]] = {c["address"]: list(c["change"]["actions"]) for c in changes}

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

    def policy(self, address_suffix: str, attribute: str = "policy") -> dict[str, Any]:
        """The parsed JSON policy of the one resource whose address ends with address_suffix."""
        matches = [v for a, v in self.resources.items() if a.endswith(address_suffix)]
        assert len(matches) == 1, f"no single resource ending with {address_suffix}: {len(matches)}"
        parsed: dict[str, Any] = json.loads(matches[0][attribute])
        return parsed
