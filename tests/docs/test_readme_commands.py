"""Every shell command block of README.md and the examples' READMEs is either run here or checked.

A block is preceded by a marker that says what it is:
- `<!-- shell: local examples/<name> -->`: run, in order, with bash and the AWS CLI, in the
  example's folder of a stack applied to a local emulator (as after `KEEP=1 make demo`); it must
  exit 0. A block followed by `<!-- output of the block above: last line -->` and a ```text block
  must print that text as its last line.
- `<!-- shell: real-account examples/<name> -->`: meant for a real AWS account; not run, but every
  `terraform output` it calls must exist in that example.
- `<!-- shell: none (<reason>) -->`: not run here, for the reason given.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import hcl2
import pytest

from tooling import aws_env, demo
from tooling.emulator.server import Emulator
from tooling.paths import BUILD, EXAMPLES_DIR, REPO
from tooling.terraform.deployment import Deployment
from tooling.terraform.runner import terraform_env

DOCUMENTS = [REPO / "README.md", *sorted(EXAMPLES_DIR.glob("*/README.md"))]
BLOCK = re.compile(
    r"(?:<!-- (?P<marker>shell: [^>]*?) -->\n)?```(?:sh|bash|shell)\n(?P<body>.*?)```"
    r"(?:\n(?:(?!```).)*?<!-- output of the block above: last line -->\n```text\n(?P<output>.*?)\n```)?",
    re.DOTALL,
)
OUTPUT_CALL = re.compile(r"terraform output(?: -raw| -json)? ([a-z_]+)")


@dataclass(frozen=True)
class Block:
    document: Path
    number: int
    mode: str  # local, real-account, none
    example: str
    body: str
    output: str | None

    @property
    def id(self) -> str:
        return f"{self.document.relative_to(REPO)}#{self.number}"


def blocks() -> list[Block]:
    found = []
    for document in DOCUMENTS:
        for number, match in enumerate(BLOCK.finditer(document.read_text()), 1):
            marker = (match["marker"] or "").removeprefix("shell: ").split(maxsplit=1)
            mode = marker[0] if marker else ""
            rest = marker[1] if len(marker) > 1 else ""
            example = rest.removeprefix("examples/") if mode in ("local", "real-account") else rest
            found.append(Block(document, number, mode, example, match["body"], match["output"]))
    return found


BLOCKS = blocks()


def example_outputs(example: str) -> set[str]:
    names: set[str] = set()
    for tf in (EXAMPLES_DIR / example).glob("*.tf"):
        with tf.open() as handle:
            for entry in hcl2.load(handle).get("output", []):
                names.update(name.strip('"') for name in entry)
    return names


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_every_shell_block_says_what_it_is(block: Block) -> None:
    assert block.mode in ("local", "real-account", "none"), (
        f"{block.id}: precede it with <!-- shell: local examples/<name> -->, <!-- shell: real-account "
        f"examples/<name> --> or <!-- shell: none (<reason>) -->\n{block.body}"
    )
    if block.mode == "none":
        assert re.fullmatch(r"\(.{10,}\)", block.example), f"{block.id}: say why it is not run"
    else:
        assert (EXAMPLES_DIR / block.example / "main.tf").is_file(), f"{block.id}: no example {block.example}"


@pytest.mark.parametrize(
    "block",
    [b for b in BLOCKS if b.mode in ("local", "real-account")],
    ids=[b.id for b in BLOCKS if b.mode in ("local", "real-account")],
)
def test_every_terraform_output_a_block_calls_exists(block: Block) -> None:
    missing = set(OUTPUT_CALL.findall(block.body)) - example_outputs(block.example)
    assert not missing, f"{block.id}: examples/{block.example} has no output {sorted(missing)}"


def test_the_readme_runs_something_against_the_local_stack() -> None:
    assert [b for b in BLOCKS if b.mode == "local" and b.output is not None]


LOCAL = [b for b in BLOCKS if b.mode == "local"]


@pytest.fixture(scope="module")
def local_stack() -> Iterator[tuple[Deployment, dict[str, str]]]:
    """examples/basic applied to an emulator of its own, as `KEEP=1 make demo` leaves it, and the
    environment its printout exports (the AWS CLI from the virtual environment first on PATH)."""
    examples = {b.example for b in LOCAL}
    assert examples == {"basic"}, f"local blocks run only against examples/basic, not {examples}"
    server = Emulator(log_path=BUILD / "docs-emulator.log").start()
    try:
        stack = Deployment("basic", BUILD / "docs-stack" / "stack", server.url).apply()
        assert stack.apply_error is None, stack.apply_error
        env = {
            **os.environ,
            **terraform_env(server.url),
            **aws_env.fake_env(),
            "AWS_ENDPOINT_URL": server.url,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            env.pop(name, None)
        yield stack, env
    finally:
        server.stop()


def test_local_blocks_run_in_order_and_print_what_the_readme_shows(
    local_stack: tuple[Deployment, dict[str, str]],
) -> None:
    stack, env = local_stack
    for block in LOCAL:
        result = subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + block.body],
            cwd=stack.dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, (
            f"{block.id} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        if block.output is not None:
            last = result.stdout.rstrip("\n").splitlines()[-1]
            assert last == block.output, f"{block.id} printed {last!r}, the README shows {block.output!r}"


def test_make_demo_down_tears_down_a_stack_the_readme_commands_have_used(
    local_stack: tuple[Deployment, dict[str, str]],
) -> None:
    """What `make demo-down` does to the kept stack, after the user has uploaded, crawled and
    queried (the blocks above leave data and query results in both buckets)."""
    stack, env = local_stack
    demo.empty_and_destroy(stack, env["AWS_ENDPOINT_URL"])
    assert stack.tf.managed_resources() == 0
