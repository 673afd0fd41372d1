"""Integration fixtures: every example applied to the session's moto server, checked, destroyed.

Each example is applied from a copy of the module (root *.tf, modules/, dist/) and the example,
under .build/integration/<example>, with a generated `test_emulator_override.tf` that points every
endpoint at the emulator. The repository's example folders are never written to, so the plan tier
(which plans them in place) never sees the override. The copy is removed at the end.

The examples use distinct names, so they are applied (and destroyed) concurrently against one moto
server: most of an apply is the AWS provider waiting for consecutive consistent reads, not work
(see README.md, "Why an apply takes a minute").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import deploy
import harness

REPO = harness.REPO
WORK = REPO / ".build" / "integration"
TIMINGS = REPO / ".build" / "integration-timings.json"
OVERRIDE = "test_emulator_override.tf"
EXAMPLES = harness.EXAMPLES



def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "integration: applies the examples to the local AWS emulator")


@dataclass
class Deployment:
    """One example applied to the emulator, and what it took."""

    example: str
    root: Path
    env: dict[str, str]
    outputs: dict[str, Any] = field(default_factory=dict)
    apply_error: str | None = None
    destroy_error: str | None = None
    destroyed: bool = False
    resources: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def dir(self) -> Path:
        return self.root / "examples" / self.example

    @property
    def catalog(self) -> dict[str, Any]:
        return self.outputs["catalog"]

    def terraform(self, *args: str, step: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        start = time.monotonic()
        log = WORK / f"{self.example}-{step or args[0]}.log"
        with open(log, "w") as out:  # a file, not a pipe: readable while terraform still runs
            try:
                proc = subprocess.run(["terraform", *args, "-no-color"], cwd=self.dir, env=self.env,
                                      stdout=out, stderr=subprocess.STDOUT, timeout=timeout, check=False)
                code = proc.returncode
            except subprocess.TimeoutExpired:
                code = -1
        if step:
            self.seconds[step] = round(time.monotonic() - start, 1)
        text = log.read_text()
        return subprocess.CompletedProcess(args, code, text, "" if code != -1 else f"timed out after {timeout}s")

    def require_applied(self) -> None:
        if self.apply_error is not None:
            pytest.fail(f"examples/{self.example} did not apply to the emulator:\n{self.apply_error}", pytrace=False)


def _apply(dep: Deployment) -> Deployment:
    init = dep.terraform("init", "-input=false", step="init")
    if init.returncode != 0:
        dep.apply_error = f"terraform init failed:\n{init.stdout[-4000:]}\n{init.stderr[-4000:]}"
        return dep
    apply = dep.terraform("apply", "-auto-approve", "-input=false", step="apply", timeout=900)
    state = dep.terraform("show", "-json")
    if state.returncode == 0 and state.stdout.strip():
        dep.resources = _count_resources(json.loads(state.stdout).get("values", {}).get("root_module", {}))
    if apply.returncode != 0:
        dep.apply_error = f"terraform apply exited {apply.returncode}:\n{apply.stdout[-6000:]}\n{apply.stderr[-6000:]}"
        return dep
    out = dep.terraform("output", "-json")
    dep.outputs = {k: v["value"] for k, v in json.loads(out.stdout).items()}
    return dep


def _destroy(dep: Deployment) -> Deployment:
    if dep.destroyed:
        return dep
    result = dep.terraform("destroy", "-auto-approve", "-input=false", step="destroy", timeout=900)
    dep.destroyed = result.returncode == 0
    if not dep.destroyed:
        dep.destroy_error = f"terraform destroy exited {result.returncode}:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    return dep


def _count_resources(module: dict[str, Any]) -> int:
    own = sum(1 for r in module.get("resources", []) if r.get("mode") == "managed")
    return own + sum(_count_resources(child) for child in module.get("child_modules", []))


def _selected_examples(session: pytest.Session) -> list[str]:
    wanted = {item.callspec.params["example"] for item in session.items
              if hasattr(item, "callspec") and "example" in item.callspec.params
              and item.get_closest_marker("integration")}
    return [e for e in EXAMPLES if e in wanted]


@pytest.fixture(scope="session")
def deployments(request: pytest.FixtureRequest, moto_server: harness.MotoServer,
                tf_env: dict[str, str]) -> Iterator[dict[str, Deployment]]:
    """Every selected example applied once, concurrently; destroyed (if a test has not) at the end."""
    moto_server.reset()
    examples = _selected_examples(request.session)
    env = {**os.environ, **tf_env}
    deps = {e: Deployment(e, WORK / e, env) for e in examples}
    for dep in deps.values():
        deploy.copy_stack(dep.example, dep.root, moto_server.url, OVERRIDE)
    try:
        with ThreadPoolExecutor(max_workers=max(1, len(deps))) as pool:
            list(pool.map(_apply, deps.values()))
        yield deps
    finally:
        with ThreadPoolExecutor(max_workers=max(1, len(deps))) as pool:
            list(pool.map(_destroy, deps.values()))
        _record_timings(deps)
        for dep in deps.values():
            if dep.destroyed:
                shutil.rmtree(dep.root, ignore_errors=True)


@pytest.fixture(scope="session")
def destroy_all(deployments: dict[str, Deployment]) -> Callable[[], dict[str, Deployment]]:
    """Destroy every deployment concurrently (once); later calls return the same results."""

    def run() -> dict[str, Deployment]:
        pending = [d for d in deployments.values() if not d.destroyed and d.destroy_error is None]
        with ThreadPoolExecutor(max_workers=max(1, len(pending))) as pool:
            list(pool.map(_destroy, pending))
        return deployments

    return run


@pytest.fixture
def deployment(deployments: dict[str, Deployment], example: str) -> Deployment:
    dep = deployments[example]
    dep.require_applied()
    return dep


@pytest.fixture(scope="session")
def aws(moto_server: harness.MotoServer) -> Callable[[str], Any]:
    """boto3 clients for the emulator: fake credentials, us-east-1, loopback only."""
    return moto_server.client


@pytest.fixture
def crawl_transition(moto_server: harness.MotoServer) -> Iterator[Callable[[], None]]:
    """Make a moto crawl finish on the first ListCrawls that sees it; restores moto's default after."""
    with deploy.crawl_transition(moto_server.url):
        yield lambda: None


_recorded: dict[str, dict[str, Any]] = {}


def _record_timings(deps: dict[str, Deployment]) -> None:
    for dep in deps.values():
        _recorded[dep.example] = {"resources": dep.resources, **dep.seconds,
                                  "applied": dep.apply_error is None, "destroyed": dep.destroyed}
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps(_recorded, indent=2, sort_keys=True) + "\n")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _recorded:
        return
    terminalreporter.section("integration timings (seconds; examples ran concurrently)")
    steps = ("init", "apply", "plan", "destroy")
    terminalreporter.write_line(f"{'example':18}{'resources':>10}" + "".join(f"{s:>9}" for s in steps))
    for example, row in sorted(_recorded.items()):
        cells = "".join(f"{row.get(s, '-'):>9}" for s in steps)
        terminalreporter.write_line(f"{example:18}{row['resources']:>10}{cells}")
    terminalreporter.write_line(f"written to {TIMINGS.relative_to(REPO)}")
