"""checkov over the module, its submodule and the examples: no failed check, every skip inline
with a reason. checkov runs from its own virtual environment (.venv-checkov), offline."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable

import pytest

from tooling.paths import REPO

CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"
SKIP = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")


@pytest.fixture(scope="module")
def report(require: Callable[[bool, str], None]) -> dict:
    require(CHECKOV.exists(), f"checkov not installed at {CHECKOV} (run `make setup`)")
    env = {
        **os.environ,
        "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
        "CHECKPOINT_DISABLE": "1",
        "BC_SKIP_MAPPING": "TRUE",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    result = subprocess.run(
        [
            str(CHECKOV),
            "-d",
            str(REPO),
            "--framework",
            "terraform",
            "--skip-download",
            "--output",
            "json",
            "--skip-path",
            r"\.venv",
            "--skip-path",
            r"\.build",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    return data[0] if isinstance(data, list) else data


def test_checkov_finds_no_failed_check(report: dict) -> None:
    failed = [f"{c['check_id']} {c['resource']} {c['file_path']}" for c in report["results"]["failed_checks"]]
    summary = report["summary"]
    print(f"checkov: passed {summary['passed']}, failed {summary['failed']}, skipped {summary['skipped']}")
    assert summary["passed"] > 100
    assert failed == []


def test_every_skip_is_inline_with_a_reason(report: dict) -> None:
    skipped = report["results"]["skipped_checks"]
    assert skipped, "expected the documented inline skips to be reported"
    for check in skipped:
        assert check.get("check_result", {}).get("suppress_comment", "").strip(), check["check_id"]
    for path in [*REPO.glob("*.tf"), *REPO.glob("modules/**/*.tf"), *REPO.glob("examples/**/*.tf")]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = SKIP.search(line)
            if match:
                reason = (match.group(2) or "").strip()
                assert len(reason) > 20, f"{path.relative_to(REPO)}:{number}: skip {match.group(1)} has no reason"
