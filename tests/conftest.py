"""Session fixtures shared by the plan and integration tiers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import harness


@pytest.fixture(scope="session")
def moto_server() -> Iterator[harness.MotoServer]:
    """One moto server on 127.0.0.1 for the whole session, stopped by PID even when tests fail."""
    server = harness.MotoServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def tf_env(moto_server: harness.MotoServer) -> dict[str, str]:
    """Environment for terraform: fails in CI (skips locally) when terraform or the mirror is missing."""
    harness.require(harness.terraform_binary() is not None, "terraform CLI not found on PATH")
    harness.require(harness.tf_cli_config.find_mirror() is not None, "hashicorp/aws provider mirror not found")
    return harness.terraform_env(moto_server.url)
