"""Deploying an example to the emulator and running it: shared by the integration tier and `make demo`.

- `copy_stack`: the module (root *.tf, modules/, dist/) and one example, copied under .build so the
  working tree is never written to, with a provider override that points at the emulator.
- `deployed_handler`: the trigger exactly as deployed (the zip checked against CodeSha256, the
  function's environment, boto3 pointed at the emulator), imported under a private module name.
- `upload_sample_data` / `delete_every_version`: the shipped sample files in and out of a bucket.
- `crawl_transition`: moto keeps a crawl RUNNING until a state transition; this makes the next
  ListCrawls that sees it complete it, and restores moto's default afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import shutil
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import harness

SAMPLE_DATA = harness.REPO / "examples" / "sample-data"
MODULE_ITEMS = ("modules", "dist")


def copy_stack(example: str, root: Path, endpoint: str, override: str = "emulator_override.tf") -> Path:
    """Copy the module and examples/<example> under root; return the example's folder there."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for tf in harness.REPO.glob("*.tf"):
        shutil.copy2(tf, root / tf.name)
    for item in MODULE_ITEMS:
        shutil.copytree(harness.REPO / item, root / item, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    target = root / "examples" / example
    target.mkdir(parents=True)
    for tf in (harness.REPO / "examples" / example).glob("*.tf"):
        if not tf.name.endswith("_override.tf"):
            shutil.copy2(tf, target / tf.name)
    (target / override).write_text(harness.provider_override(endpoint))
    return target


@contextmanager
def deployed_handler(lambda_client: Any, function_name: str, zip_path: Path, endpoint: str) -> Iterator[ModuleType]:
    """The handler exactly as deployed, with the function's environment and boto3 at the emulator."""
    fn = lambda_client.get_function(FunctionName=function_name)["Configuration"]
    data = zip_path.read_bytes()
    if base64.b64encode(hashlib.sha256(data).digest()).decode() != fn["CodeSha256"]:
        raise AssertionError(f"the deployed function code is not {zip_path}")
    module_file = fn["Handler"].split(".")[0] + ".py"
    with zipfile.ZipFile(zip_path) as archive:
        source = archive.read(module_file)

    env = {**harness.fake_aws_env(), **fn["Environment"]["Variables"], "AWS_ENDPOINT_URL": endpoint,
           "AWS_LAMBDA_FUNCTION_NAME": fn["FunctionName"]}
    saved = {k: os.environ.get(k) for k in env}
    # A private name, so the unit tier's `trigger_crawler` (and its coverage) is never replaced.
    name = "_deployed_" + fn["FunctionName"].replace("-", "_")
    os.environ.update(env)
    try:
        spec = importlib.util.spec_from_loader(name, loader=None)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        module.__file__ = f"{zip_path}/{module_file}"
        sys.modules[name] = module  # dataclasses resolve annotations through sys.modules
        exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 - our own artifact
        yield module
    finally:
        sys.modules.pop(name, None)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def upload_sample_data(s3: Any, bucket: str, prefixes: list[str]) -> list[str]:
    """Sample files under each crawled prefix: sample-data/<p> into <p> if it exists, else all of it."""
    keys = []
    for prefix in prefixes:
        source = SAMPLE_DATA / prefix if prefix and (SAMPLE_DATA / prefix).is_dir() else SAMPLE_DATA
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.suffix in (".csv", ".jsonl"):
                key = prefix + path.relative_to(source).as_posix()
                s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())
                keys.append(key)
    if not keys:
        raise AssertionError(f"no sample data uploaded from {SAMPLE_DATA}")
    return keys


def delete_every_version(s3: Any, bucket: str, keys: list[str]) -> None:
    """Versioned buckets without force_destroy are only destroyed once every version is gone."""
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
            if v["Key"] in keys:
                s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])


def _state_manager(endpoint: str, path: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/state-manager/{path}",
                                     data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


@contextmanager
def crawl_transition(endpoint: str) -> Iterator[None]:
    """A moto crawl finishes on the first ListCrawls that sees it; moto's default is restored after."""
    _state_manager(endpoint, "set-transition", {"model_name": "glue::crawl", "transition": {"progression": "manual", "times": 1}})
    try:
        yield
    finally:
        _state_manager(endpoint, "unset-transition", {"model_name": "glue::crawl"})
