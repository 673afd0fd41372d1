"""The sample files shipped in examples/sample-data (and the demo's next day in
examples/sample-data-next-day), into and out of a bucket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tooling.paths import SAMPLE_DATA

DATA_SUFFIXES = (".csv", ".jsonl", ".json", ".parquet", ".gz")


def files(prefix: str = "") -> dict[str, bytes]:
    """Sample files for a crawled prefix, by key: sample-data/<prefix> into <prefix> when it exists,
    otherwise everything (only data files; the folder's README is never uploaded)."""
    source = SAMPLE_DATA / prefix if prefix and (SAMPLE_DATA / prefix).is_dir() else SAMPLE_DATA
    return files_from(source, prefix)


def files_from(folder: Path, prefix: str = "") -> dict[str, bytes]:
    """The data files under `folder`, by key (their path below it, after `prefix`)."""
    return {
        prefix + p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name.endswith(DATA_SUFFIXES)
    }


def upload_from(s3: Any, bucket: str, folder: Path, prefix: str = "") -> list[str]:
    """Upload the data files under `folder` to `prefix` in the bucket; return their keys."""
    keys = []
    for key, body in files_from(folder, prefix).items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        keys.append(key)
    return keys


def upload(s3: Any, bucket: str, prefixes: list[str]) -> list[str]:
    """Upload the sample files under each crawled prefix; return their keys."""
    keys = []
    for prefix in prefixes:
        for key, body in files(prefix).items():
            s3.put_object(Bucket=bucket, Key=key, Body=body)
            keys.append(key)
    if not keys:
        raise AssertionError(f"no sample data uploaded from {SAMPLE_DATA}")
    return keys


def delete_every_version(s3: Any, bucket: str, keys: list[str] | None = None) -> None:
    """Versioned buckets without force_destroy are only destroyed once every version is gone.
    `keys` None deletes every version of every object."""
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
            if keys is None or v["Key"] in keys:
                s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])
