"""Every HCL sample in README.md plans, and every resource name a description promises is planned.

Like cloud-foundation-fabric's README sample tests: each ```hcl block that calls the module is
written into a root configuration of its own (its `source` pointed at this repository) and planned
with the real terraform CLI and AWS provider, so a sample that stops matching the module's inputs
fails here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tooling import aws_env, docs
from tooling.paths import BUILD, REPO
from tooling.terraform.plan import Plan
from tooling.terraform.runner import Terraform

SAMPLES = BUILD / "docs-samples"
HCL_BLOCK = re.compile(r"```hcl\n(.*?)```", re.DOTALL)
SOURCE = re.compile(r'(\s*source\s*=\s*)"[^"]*"')
ROOT = """terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}
"""


def readme_samples() -> list[str]:
    return [b for b in HCL_BLOCK.findall((REPO / "README.md").read_text()) if 'module "catalog"' in b]


def test_the_readme_has_module_samples() -> None:
    assert len(readme_samples()) >= 2


@pytest.mark.parametrize("index", range(len(readme_samples())))
def test_readme_hcl_sample_plans(index: int, tf_env: dict[str, str]) -> None:
    sample = readme_samples()[index]
    folder = SAMPLES / str(index)
    folder.mkdir(parents=True, exist_ok=True)
    relative = Path("../" * len(folder.relative_to(REPO).parts))
    (folder / "main.tf").write_text(ROOT + SOURCE.sub(rf'\1"{relative.as_posix().rstrip("/")}"', sample, count=1))
    plan = Terraform(folder, tf_env, data_dir=folder / ".terraform", name=f"sample-{index}").plan()
    assert plan.of_type("aws_glue_crawler"), f"sample {index} planned no crawler:\n{sample}"


# --- names promised in descriptions --------------------------------------------------------------

NAME_PATTERN = re.compile(r"`([^`]*<name>[^`]*)`")
# Inputs that turn on every resource a description names.
EVERYTHING = {"name": "catalog", "event_trigger": {}, "crawler": {"csv_classifiers": {"pipes": {"delimiter": "|"}}}}
FILL = {"<name>": "catalog", "<account>": aws_env.ACCOUNT_ID, "<region>": aws_env.REGION, "<key>": "pipes"}


def promised_names() -> list[tuple[str, str]]:
    """(where, name) for every backticked name with a `<name>` placeholder in a description."""
    found = []
    for variable, fields in docs.render_variable_fields(REPO).items():
        for field in fields:
            for name in NAME_PATTERN.findall(field.meaning):
                found.append((f"{variable}.{field.path}", name))
    return found


def planned_strings(plan: Plan) -> set[str]:
    strings: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(plan.resources)
    return strings


def test_descriptions_promise_some_names() -> None:
    assert len(promised_names()) >= 4


def test_every_name_a_description_promises_is_the_planned_name(plan_module: Callable[..., Plan]) -> None:
    planned = planned_strings(plan_module(**EVERYTHING))
    wrong = []
    for where, template in promised_names():
        name = template
        for placeholder, value in FILL.items():
            name = name.replace(placeholder, value)
        if name not in planned:
            wrong.append(f"{where}: `{template}` -> {name!r}")
    assert not wrong, (
        "descriptions name resources the plan does not create:\n"
        + "\n".join(wrong)
        + "\n(planned names include: "
        + json.dumps(sorted(s for s in planned if s.startswith("catalog") or "/aws" in s)[:40])
        + ")"
    )


# --- policy documents shown ------------------------------------------------------------------------

POLICY_BLOCK = re.compile(
    r"<!-- policy: (?P<output>[a-z_]+) of (?P<inputs>\{.*?\}) -->\n```json\n(?P<document>.*?)```", re.DOTALL
)


def shown_policies() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    return [
        (m["output"], json.loads(m["inputs"]), json.loads(m["document"]))
        for m in POLICY_BLOCK.finditer((REPO / "README.md").read_text())
    ]


def test_the_readme_shows_the_query_and_write_policies() -> None:
    assert sorted(output for output, _, _ in shown_policies()) == ["query_policy_json", "write_policy_json"]


@pytest.mark.parametrize("index", range(len(shown_policies())))
def test_a_policy_the_readme_shows_is_the_planned_one(index: int, plan_module: Callable[..., Plan]) -> None:
    output, inputs, document = shown_policies()[index]
    assert json.loads(plan_module(**inputs).outputs[output]) == document, f"README's {output} is stale"
