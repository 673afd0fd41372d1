"""Integration fixtures: every example applied to the session's emulator, checked, destroyed.

Each example is applied from a copy of the module and the example under .build/integration
(tooling.terraform.stack), with a provider override that points every endpoint at the emulator.
The examples use distinct names, so they are applied (and destroyed) concurrently against one
emulator: most of an apply is the AWS provider waiting for consecutive consistent reads, not work
(see tooling/emulator/README.md, "Why an apply takes a minute").
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tooling.emulator.server import Emulator
from tooling.paths import BUILD, EXAMPLES, REPO
from tooling.terraform.deployment import Deployment
from tooling.terraform.stack import export_revision

WORK = BUILD / "integration"
TIMINGS = BUILD / "integration-timings.json"

# The last commit before the module was laid out by feature (moved.tf): a stack applied from it
# must upgrade in place. Applied beside the examples, on an emulator of its own (examples/complete
# names its database, so two copies cannot share one catalog).
LAYOUT_BEFORE = "0a44ce4ebc359c93216cca7e71b9cf86848a54f3"
UPGRADE = "upgrade"

# Examples applied to an emulator that authorizes every request against IAM policies
# (EMULATOR_IAM=enforce): Terraform and the tests run as its administrator, the functions and the
# crawler as their roles, and tests/integration/test_access.py as the roles the example creates.
ENFORCED = ("access",)
SETTINGS = {"EMULATOR_CRAWL_SECONDS": "3", "EMULATOR_ASYNC_RETRY_SECONDS": "0.5"}


def _selected_examples(session: pytest.Session) -> list[str]:
    wanted = {
        item.callspec.params["example"]
        for item in session.items
        if hasattr(item, "callspec") and "example" in item.callspec.params and item.get_closest_marker("integration")
    }
    wanted |= {m.args[0] for item in session.items for m in item.iter_markers("uses_example")}
    return [e for e in EXAMPLES if e in wanted]


def _upgrade_selected(session: pytest.Session) -> bool:
    return any(item.get_closest_marker("upgrade") for item in session.items)


@pytest.fixture(scope="session")
def deployments(
    request: pytest.FixtureRequest, emulator: Emulator, tf_env: dict[str, str]
) -> Iterator[dict[str, Deployment]]:
    """Every selected example applied once, concurrently; destroyed (if a test has not) at the end."""
    emulator.reset()
    examples = _selected_examples(request.session)
    own: dict[str, Emulator] = {}
    if any(e in ENFORCED for e in examples):
        own["enforced"] = Emulator(
            log_path=BUILD / "test-emulator-enforced.log", settings={**SETTINGS, "EMULATOR_IAM": "enforce"}
        ).start()
    deps = {e: Deployment(e, WORK / e, own["enforced"].url if e in ENFORCED else emulator.url) for e in examples}
    if _upgrade_selected(request.session):
        own["upgrade"] = Emulator(log_path=BUILD / "test-emulator-upgrade.log", settings=SETTINGS).start()
        source = export_revision(LAYOUT_BEFORE, WORK / "upgrade-source")
        deps[UPGRADE] = Deployment(
            "complete", WORK / UPGRADE, own["upgrade"].url, source=source, variables={"name": "catalog-upgrade"}
        )
    emulators.update(
        {
            dep.endpoint: server
            for dep in deps.values()
            for server in [emulator, *own.values()]
            if server.url == dep.endpoint
        }
    )
    try:
        with ThreadPoolExecutor(max_workers=max(1, len(deps))) as pool:
            list(pool.map(Deployment.apply, deps.values()))
        yield deps
    finally:
        with ThreadPoolExecutor(max_workers=max(1, len(deps))) as pool:
            list(pool.map(Deployment.destroy, deps.values()))
        for server in own.values():
            server.stop()
        _record_timings(deps)
        for dep in deps.values():
            if dep.destroyed:
                shutil.rmtree(dep.root, ignore_errors=True)


@pytest.fixture(scope="session")
def destroy_all(deployments: dict[str, Deployment]) -> Callable[[], dict[str, Deployment]]:
    """Destroy every example's deployment concurrently (once); later calls return the same results.
    The upgrade stack is left to test_upgrade.py (it runs later) and the session's end."""

    def run() -> dict[str, Deployment]:
        pending = [
            d for key, d in deployments.items() if key != UPGRADE and not d.destroyed and d.destroy_error is None
        ]
        with ThreadPoolExecutor(max_workers=max(1, len(pending))) as pool:
            list(pool.map(Deployment.destroy, pending))
        return deployments

    return run


@pytest.fixture
def deployment(deployments: dict[str, Deployment], example: str) -> Deployment:
    dep = deployments[example]
    if dep.apply_error is not None:
        pytest.fail(f"examples/{example} did not apply to the emulator:\n{dep.apply_error}", pytrace=False)
    return dep


# The emulator each deployment was applied to, by its URL.
emulators: dict[str, Emulator] = {}


@pytest.fixture
def deployed_on(deployment: Deployment) -> Emulator:
    """The emulator this test's example was applied to."""
    return emulators[deployment.endpoint]


@pytest.fixture
def aws(deployed_on: Emulator) -> Callable[[str], Any]:
    """boto3 clients for the example's emulator (as its administrator): fake credentials, loopback only."""
    return deployed_on.client


_recorded: dict[str, dict[str, Any]] = {}


def _record_timings(deps: dict[str, Deployment]) -> None:
    for key, dep in deps.items():
        _recorded[key] = {
            "resources": dep.resources,
            **dep.seconds,
            "applied": dep.apply_error is None,
            "destroyed": dep.destroyed,
        }
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS.write_text(json.dumps(_recorded, indent=2, sort_keys=True) + "\n")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "upgrade: applies an earlier revision of the module, then upgrades it")
    config.addinivalue_line("markers", "uses_example(name): the test needs examples/<name> applied")


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
